"""pyroute2 peer, ipset adds: create a hash:ip set and IPSet.add() N entries one by one."""
import ipaddress
import json
import sys

from pyroute2.ipset import IPSet

name = sys.argv[1]
n = int(sys.argv[2])
base = int(ipaddress.IPv4Address(sys.argv[3]))

with IPSet() as ips:
    ips.create(name, stype='hash:ip', maxelem=max(65536, 2 * n), hashsize=max(1024, n // 4))
    for i in range(n):
        ips.add(name, str(ipaddress.IPv4Address(base + i)), etype='ip')
print(json.dumps({'count': n}))
