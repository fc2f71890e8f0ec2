"""pyroute2 peer, events: bind() to link and IPv4 address groups, get() until N address
events arrived (or SIGTERM); prints counts, ENOBUFS seen and the time of the last event."""
import errno
import json
import os
import signal
import sys
import time

from pyroute2 import IPRoute
from pyroute2.netlink.rtnl import RTMGRP_IPV4_IFADDR, RTMGRP_LINK

n = int(sys.argv[1])
state = {'count': 0, 'other': 0, 'enobufs': 0, 'last': 0.0}


def report(*_):
    sys.stdout.write(json.dumps({**state, 'last_ms': state['last'] * 1000}) + '\n')
    sys.stdout.flush()
    os._exit(0)


signal.signal(signal.SIGTERM, report)
ipr = IPRoute()
ipr.bind(groups=RTMGRP_LINK | RTMGRP_IPV4_IFADDR)
print('ready', flush=True)
while state['count'] < n:
    try:
        msgs = ipr.get()
    except OSError as e:
        if e.errno == errno.ENOBUFS:
            state['enobufs'] += 1
            continue
        raise
    for m in msgs:
        if m.get('event') == 'RTM_NEWADDR':
            state['count'] += 1
            state['last'] = time.time()
        else:
            state['other'] += 1
report()
