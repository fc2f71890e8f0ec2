#!/usr/bin/env bash
# Guest-side: capture all netlink traffic of the guest while one script runs.
# Creates nlmon0, runs `tcpdump -i nlmon0 -Z root -U -w OUT` (link type NETLINK, 253),
# runs the script with bash, stops tcpdump and removes nlmon0.
#
# Usage (inside the VM):  scripts/vm/nlmon-capture.sh OUT.pcap SCRIPT.sh [ARGS...]
#   e.g. from the host:   scripts/vm/run.sh --modules "nlmon sch_netem" -- \
#                           scripts/vm/nlmon-capture.sh /run/nlroute-vm/x.pcap my-cmds.sh
# tcpdump is taken from PATH, else from $NLROUTE_TCPDUMP_ROOT (a tree unpacked
# with `dpkg-deb -x` from the tcpdump and libpcap0.8 .debs; see
# test/fixtures/pcap/make-capture.sh, which fetches them with apt-get download).
# Exit: the script's status; 3 when the capture could not be set up.
set -euo pipefail
out=${1:?usage: nlmon-capture.sh OUT.pcap SCRIPT.sh [ARGS...]}
script=${2:?usage: nlmon-capture.sh OUT.pcap SCRIPT.sh [ARGS...]}
shift 2

tcpdump=$(command -v tcpdump || true)
if [[ -z $tcpdump && -n ${NLROUTE_TCPDUMP_ROOT:-} ]]; then
  tcpdump=$NLROUTE_TCPDUMP_ROOT/usr/bin/tcpdump
  export LD_LIBRARY_PATH=$NLROUTE_TCPDUMP_ROOT/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
[[ -x $tcpdump ]] || { echo "nlmon-capture: no tcpdump (PATH or NLROUTE_TCPDUMP_ROOT)" >&2; exit 3; }

modprobe nlmon 2>/dev/null || true
ip link add nlmon0 type nlmon || { echo "nlmon-capture: cannot create nlmon0" >&2; exit 3; }
ip link set nlmon0 up
# tcpdump's own netlink chatter happens before it prints "listening", so wait for that line.
log=$(mktemp)
"$tcpdump" -i nlmon0 -Z root -U -n -w "$out" 2>"$log" &
tpid=$!
for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
grep -q listening "$log" || { cat "$log" >&2; kill "$tpid"; exit 3; }

rc=0
bash "$script" "$@" || rc=$?
sleep 0.5 # let the last answers reach the tap
kill -INT "$tpid"
wait "$tpid" || true
cat "$log" >&2
ip link del nlmon0
exit "$rc"
