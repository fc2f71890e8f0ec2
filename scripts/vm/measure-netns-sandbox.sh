#!/bin/bash
# Measures the ways to name a network namespace from inside nlrouted's unit sandbox (run it in the
# guest: scripts/vm/run.sh --init systemd -- bash scripts/vm/measure-netns-sandbox.sh).
SB=(-p ProtectSystem=strict -p PrivateTmp=yes -p ProtectHome=yes -p NoNewPrivileges=yes
    -p "CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_ADMIN CAP_SYS_CHROOT"
    -p "AmbientCapabilities=CAP_NET_ADMIN CAP_SYS_ADMIN CAP_SYS_CHROOT")
mkdir -p /run/netns
echo "== A: MountFlags=shared + ReadWritePaths=/run/netns, ip netns add inside the sandbox"
systemd-run --quiet --pipe --collect "${SB[@]}" -p MountFlags=shared -p ReadWritePaths=/run/netns ip netns add mA
echo "exit $?"; ip -n mA link show lo >/dev/null && echo "A: visible outside" || echo "A: NOT visible outside"
grep -c " /run/netns/mA " /proc/self/mountinfo
echo "== B: setns to /proc/1/ns/mnt from inside the sandbox (nsenter -t 1 -m)"
systemd-run --quiet --pipe --collect "${SB[@]}" -p ReadWritePaths=/run/netns nsenter -t 1 -m ip netns add mB
echo "exit $?"; ip -n mB link show lo >/dev/null && echo "B: visible outside" || echo "B: NOT visible outside"
echo "== B2: the same with CAP_SYS_PTRACE added"
systemd-run --quiet --pipe --collect "${SB[@]}" -p "CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_ADMIN CAP_SYS_CHROOT CAP_SYS_PTRACE" -p "AmbientCapabilities=CAP_NET_ADMIN CAP_SYS_ADMIN CAP_SYS_CHROOT CAP_SYS_PTRACE" -p ReadWritePaths=/run/netns nsenter -t 1 -m ip netns add mB2
echo "exit $?"; ip -n mB2 link show lo >/dev/null && echo "B2: visible outside" || echo "B2: NOT visible outside"
echo "== C: systemd-run from inside the sandbox (what nlrouted does)"
systemd-run --quiet --pipe --collect "${SB[@]}" -p "RestrictAddressFamilies=AF_NETLINK AF_UNIX AF_INET AF_INET6" \
  sh -c 'systemd-run --quiet --wait --collect --service-type=oneshot ip netns add mC; echo "inner exit $?"; ip -n mC link show lo >/dev/null && echo "C: visible inside"'
ip -n mC link show lo >/dev/null && echo "C: visible outside" || echo "C: NOT visible outside"

for n in mA mB mB2 mC; do ip netns del $n 2>/dev/null; done
