#!/usr/bin/env bash
# One-step set-up on a fresh Debian machine: system packages, npm dependencies, the native
# addon and the TypeScript build; then shows this host's links (read-only) as a check.
set -euo pipefail
cd "$(dirname "$0")/.."

# Reference tools for cross-checks (iproute2, ipset, iw, strace), the benchmark peer
# (pyroute2), the daemon's references (varlink-go's certification, systemd's
# systemd-analyze and systemd-socket-activate), the VM test suite (qemu, busybox, hostapd,
# wpasupplicant, kmod, wireless-regdb, xz, cpio, tcpdump) and the native build (python3, make, g++).
PACKAGES=(iproute2 ipset iw strace python3 python3-pyroute2 make g++ varlink-go systemd
          qemu-system-x86 busybox-static hostapd wpasupplicant kmod wireless-regdb xz-utils cpio tcpdump)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm runs our own install (node-gyp: the native addon) and prepare (tsc) scripts.
npm install --no-audit --no-fund

# The main job: a read-only view of this host.
npx nlroute link show
