"""pyroute2 peer, ipset list: list(name), every entry's address read."""
import json
import sys

from pyroute2.ipset import IPSet

name = sys.argv[1]
count = 0
with IPSet() as ips:
    for msg in ips.list(name):
        adt = msg.get_attr('IPSET_ATTR_ADT')
        if adt is None:
            continue
        for data in adt.get_attrs('IPSET_ATTR_DATA'):
            ip = data.get_attr('IPSET_ATTR_IP_FROM')
            if ip is not None and ip.get_attr('IPSET_ATTR_IPADDR_IPV4'):
                count += 1
print(json.dumps({'count': count}))
