"""pyroute2 peer, route dump: get_routes() of every IPv4 route, the destination read from each."""
import json
import socket

from pyroute2 import IPRoute

with IPRoute() as ipr:
    count = 0
    with_dst = 0
    for route in ipr.get_routes(family=socket.AF_INET):
        count += 1
        if route.get_attr('RTA_DST') is not None:
            with_dst += 1
print(json.dumps({'count': count, 'dst': with_dst}))
