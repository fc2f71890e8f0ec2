#!/bin/sh
# The command runner when systemd is the guest's PID 1 (nlroute-vm.service): the same contract
# as guest-init.sh's chroot path (started, stdout, stderr, finished, status, dmesg on the
# result share), plus the boot figures, the journal on failure, then an immediate power-off.
OUT=/run/nlroute-vm
. $OUT/params
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# Kernel start -> boot target reached, from the manager's own monotonic timestamps.
systemctl show -p ActiveEnterTimestampMonotonic --value nlroute-vm.target >$OUT/systemd-target-us
systemd-analyze time >$OUT/systemd-analyze 2>&1
start=$(uptime_s)
margin=$((VM_TIMEOUT / 10))
[ "$margin" -ge 5 ] || margin=5
[ "$margin" -le 10 ] || margin=10
CMD_TIMEOUT=$((VM_TIMEOUT - ${start%.*} - margin))
[ "$CMD_TIMEOUT" -ge 1 ] || CMD_TIMEOUT=1
echo "$start" >$OUT/started
timeout --kill-after=3 "$CMD_TIMEOUT" /bin/bash $OUT/cmd.sh </dev/null >>$OUT/stdout 2>>$OUT/stderr
rc=$?
end=$(uptime_s)
echo "$end" >$OUT/finished
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
  [ $((${end%.*} - ${start%.*})) -ge "$CMD_TIMEOUT" ] && echo "$CMD_TIMEOUT" >$OUT/timed-out
fi
[ "$rc" = 0 ] || journalctl -b --no-pager -o short-monotonic >$OUT/journal 2>&1
dmesg >$OUT/dmesg 2>/dev/null
echo "$rc" >$OUT/status
sync
systemctl poweroff --force --force
