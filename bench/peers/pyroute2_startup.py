"""pyroute2 peer, start-up: import, open a socket, list links."""
import json

from pyroute2 import IPRoute

with IPRoute() as ipr:
    count = len(list(ipr.get_links()))
print(json.dumps({'count': count}))
