"""BUG: `and` and `or` (logical) written for `&` and `|` (bitwise): 14 and 19 is 19,
14 or 19 is 14, and a mask built with `or` keeps only its first flag. Symptom: `14 & 19 = 19`,
`POLLIN | POLLERR = 1`."""
from select import POLLIN, POLLOUT, POLLERR, EPOLLIN, EPOLLET

a, b = 14, 19
print("%d & %d = %d" % (a, b, a and b))  # BUG: logical `and`, not bitwise `&`
print("%d | %d = %d" % (a, b, a or b))
print("%d ^ %d = %d" % (a, b, a ^ b))
print("%d << 2 = %d" % (a, a << 2))
print("%d >> 2 = %d" % (a, a >> 2))
mask = POLLIN or POLLERR  # BUG: `or` is not `|`
print("POLLIN | POLLERR = %d" % mask)
print("EPOLLIN | EPOLLET = %d" % (EPOLLIN | EPOLLET))
print("%d & POLLIN = %d" % (mask, mask & POLLIN))
print("%d & POLLOUT = %d" % (mask, mask & POLLOUT))
