"""The course's bit operations (位运算) and the event masks built with them.
Same output as `conform ref bits`."""
from select import POLLIN, POLLOUT, POLLERR, EPOLLIN, EPOLLET

a, b = 14, 19
print("%d & %d = %d" % (a, b, a & b))
print("%d | %d = %d" % (a, b, a | b))
print("%d ^ %d = %d" % (a, b, a ^ b))
print("%d << 2 = %d" % (a, a << 2))
print("%d >> 2 = %d" % (a, a >> 2))
mask = POLLIN | POLLERR
print("POLLIN | POLLERR = %d" % mask)
print("EPOLLIN | EPOLLET = %d" % (EPOLLIN | EPOLLET))
print("%d & POLLIN = %d" % (mask, mask & POLLIN))
print("%d & POLLOUT = %d" % (mask, mask & POLLOUT))
