// police avrate and packet rates, red and sfq details, netem slot distributions and red qevents:
// `nlroute tc ... show` prints what tc 6.1 prints, -j and text, with -s and -d.
import { describe, it } from 'node:test';

import { sameShows, vmOnly } from './vm.js';

describe('tc qdisc and police options as tc 6.1 shows them (VM)', vmOnly, () => {
  it('police avrate and pkts_rate, red and sfq with -d, netem slot distribution, red qevents', async () => {
    const setup = [
      'qdisc add dev d0 ingress',
      // An estimator on the filter is the rate estimator of its actions (avrate needs one).
      'filter add dev d0 parent ffff: protocol ip prio 1 estimator 1s 8s matchall action police avrate 1mbit ' +
        'conform-exceed drop/ok',
      'filter add dev d0 parent ffff: protocol ip prio 2 matchall action police pkts_rate 1000 pkts_burst 100 ' +
        'conform-exceed drop/pipe',
      'filter add dev d0 parent ffff: protocol ip prio 3 estimator 250ms 1s matchall action police avrate 500kbit ' +
        'mtu 2k conform-exceed pipe/drop',
      'qdisc add dev d1 root red limit 400000 min 30000 max 90000 avpkt 1000 burst 55 probability 0.02 ' +
        'bandwidth 10mbit ecn harddrop adaptive',
      'qdisc add dev d2 root sfq limit 100 redflowlimit 40000 min 5000 max 15000 probability 0.2 ecn harddrop',
      'qdisc add dev d3 root sfq perturb 10 quantum 1514 divisor 1024 depth 64 flows 512',
      'qdisc add dev d4 root netem delay 10ms slot distribution normal 2ms 1ms packets 10 bytes 3000',
      'qdisc add dev d5 root netem slot distribution pareto 5ms 2ms',
      'qdisc add dev d6 root handle 1: red limit 500000 min 30000 max 90000 avpkt 1000 bandwidth 10mbit ecn ' +
        'qevent early_drop block 10 qevent mark block 11',
    ];
    const shows = [
      'filter show dev d0 ingress',
      ...['d1', 'd2', 'd3', 'd4', 'd5', 'd6'].map((d) => `qdisc show dev ${d}`),
    ];
    await sameShows(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6'], setup, shows, new Set(), [[], ['-s'], ['-d']]);
  });
});
