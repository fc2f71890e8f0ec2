"""pyroute2 peer, link dump: get_links() with details and stats, name, kind and rx bytes read."""
import json

from pyroute2 import IPRoute

with IPRoute() as ipr:
    count = 0
    rx = 0
    kinds = 0
    for link in ipr.get_links():
        count += 1
        if link.get_attr('IFLA_IFNAME'):
            stats = link.get_attr('IFLA_STATS64')
            if stats is not None:
                rx += stats['rx_bytes']
            info = link.get_attr('IFLA_LINKINFO')
            if info is not None and info.get_attr('IFLA_INFO_KIND'):
                kinds += 1
print(json.dumps({'count': count, 'kinds': kinds, 'rx_bytes': rx}))
