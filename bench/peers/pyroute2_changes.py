"""pyroute2 peer, changes: N address adds, then N route adds, on one interface, one by one."""
import ipaddress
import json
import sys

from pyroute2 import IPRoute

n = int(sys.argv[1])
ifname = sys.argv[2]
addr_base = int(ipaddress.IPv4Address(sys.argv[3]))
route_base = int(ipaddress.IPv4Address(sys.argv[4]))

with IPRoute() as ipr:
    index = ipr.link_lookup(ifname=ifname)[0]
    for i in range(n):
        ipr.addr('add', index=index, address=str(ipaddress.IPv4Address(addr_base + i)), prefixlen=32)
    for i in range(n):
        ipr.route('add', dst=str(ipaddress.IPv4Address(route_base + i)), dst_len=32, oif=index)
print(json.dumps({'count': 2 * n}))
