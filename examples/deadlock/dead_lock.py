"""
dead_lock.py 死锁情况模拟

Two accounts, each with its own lock. Tom pays Alex while Alex pays Tom: each transfer
locks the payer's account, works a moment (time.sleep), then locks the payee's. Each
thread holds one lock and waits for the other: a deadlock, and the program never ends.
(The course's day8/dead_lock.py; its fixed twin is dead_lock_fixed.py.)
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


# 转账函数
def transfer(from_, to, amount):
    # 上锁成功返回true
    if from_.lock.acquire():
        from_.withdraw(amount)  # from_ 钱减少
        time.sleep(0.5)
        if to.lock.acquire():
            to.deposit(amount)  # to 钱增加
            to.lock.release()
        from_.lock.release()
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
