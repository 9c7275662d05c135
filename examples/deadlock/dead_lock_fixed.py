"""
dead_lock_fixed.py 避免死锁: dead_lock.py with its two locks taken in one global order

The same two transfers at the same time, but every transfer locks the two accounts in
one order, by the account's id, whoever pays: a thread that holds the second lock has
already got the first, so the two threads cannot each hold one and wait for the other.
It breaks circular wait (环路等待条件), the cheapest of the four conditions to break.
"""
from threading import Thread, Lock
import time
import sys


# 交易类
class Account:
    def __init__(self, _id, balance, lock):
        self.id = _id  # 用户
        self.balance = balance  # 存款
        self.lock = lock  # 锁

    # 取钱
    def withdraw(self, amount):
        self.balance -= amount

    # 存钱
    def deposit(self, amount):
        self.balance += amount

    # 查看余额
    def get_balance(self):
        return self.balance


# 转账函数: the accounts are locked in the order of their ids, not payer first
def transfer(from_, to, amount):
    first, second = sorted([from_, to], key=lambda account: account.id)
    with first.lock:
        time.sleep(0.5)
        with second.lock:
            from_.withdraw(amount)  # from_ 钱减少
            to.deposit(amount)  # to 钱增加
    print("%s给%s转账完成" % (from_.id, to.id))
    sys.stdout.flush()


Tom = Account("Tom", 5000, Lock())
Alex = Account("Alex", 8000, Lock())

t1 = Thread(target=transfer, args=(Tom, Alex, 4000))
t2 = Thread(target=transfer, args=(Alex, Tom, 2000))
t1.start()
t2.start()
t1.join()
t2.join()
print("Tom:", Tom.get_balance(), "Alex:", Alex.get_balance())
