# Pure-Python loop: arithmetic, a dict and string building.
import sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 300000
d = {}
s = 0
for i in range(n):
    s = (s * 31 + i) % 1000003
    d[i % 1000] = s
print(s, sum(d.values()), len("".join(str(i % 10) for i in range(n // 10))))
