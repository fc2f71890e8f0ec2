# pyroute2 NDB: the same N routes and M addresses on one interface, each committed as NDB
# does it (the process runs inside the benchmark's namespace).
import json
import sys

from pyroute2 import NDB


def at(base, i):
    a, b, c, d = (int(x) for x in base.split('.'))
    n = ((a << 24) | (b << 16) | (c << 8) | d) + i
    return '%d.%d.%d.%d' % (n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255)


routes, addrs, ifname = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with NDB() as ndb:
    with ndb.interfaces[ifname] as i:
        for k in range(addrs):
            i.add_ip('%s/32' % at('10.64.0.0', k))
    for k in range(routes):
        ndb.routes.create(dst='%s/32' % at('10.128.0.0', k), oif=ndb.interfaces[ifname]['index']).commit()
print(json.dumps({'count': routes + addrs}))
