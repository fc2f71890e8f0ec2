# Shared settings for the VM harness; sourced by the other scripts in scripts/vm/.
# Every value can be overridden from the environment (see README.md).

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$VM_DIR/../.." && pwd)

# Where the kernel tree, vmlinux and initramfs are cached (git-ignored by default).
NLROUTE_VM_CACHE=${NLROUTE_VM_CACHE:-$REPO_DIR/.cache/vm}
NLROUTE_VM_MEM=${NLROUTE_VM_MEM:-1024}
NLROUTE_VM_SMP=${NLROUTE_VM_SMP:-2}
NLROUTE_VM_TIMEOUT=${NLROUTE_VM_TIMEOUT:-300}
NLROUTE_VM_BOOT_TIMEOUT=${NLROUTE_VM_BOOT_TIMEOUT:-60}
# systemd as PID 1 (run.sh --init systemd) boots the host's systemd over 9p: more time.
NLROUTE_VM_SYSTEMD_BOOT_TIMEOUT=${NLROUTE_VM_SYSTEMD_BOOT_TIMEOUT:-120}
NLROUTE_VM_RADIOS=${NLROUTE_VM_RADIOS:-2}
NLROUTE_VM_QEMU=${NLROUTE_VM_QEMU:-qemu-system-x86_64}

# Modules the initramfs needs to reach the host's root filesystem.
VM_BOOT_MODULES="virtio_pci 9pnet_virtio 9p overlay"
# Modules loaded before the command runs (hwsim gets radios=N).
VM_TEST_MODULES="cfg80211 mac80211 mac80211_hwsim nlmon"

# Debian packages the harness needs on the host (also the CI list).
VM_HOST_PACKAGES="qemu-system-x86 busybox-static hostapd wpasupplicant iw kmod wireless-regdb xz-utils cpio tcpdump"

vm_log() { echo "nlroute-vm: $*" >&2; }
vm_die() { vm_log "$*"; exit 125; }

# The Debian kernel ABI name to use, e.g. 6.1.0-56-amd64. Pinned in the cache
# on first use so later runs need no apt metadata; NLROUTE_VM_KERNEL overrides.
vm_kernel_version() {
  if [[ -n ${NLROUTE_VM_KERNEL:-} ]]; then
    echo "$NLROUTE_VM_KERNEL"
  elif [[ -s $NLROUTE_VM_CACHE/kernel-version ]]; then
    cat "$NLROUTE_VM_CACHE/kernel-version"
  else
    local pkg
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
      sed -n 's/^ *Depends: linux-image-\(.*-amd64\)$/\1/p' | head -n1)
    [[ -n $pkg ]] || vm_die "cannot resolve linux-image-amd64 via apt-cache; set NLROUTE_VM_KERNEL"
    mkdir -p "$NLROUTE_VM_CACHE"
    echo "$pkg" >"$NLROUTE_VM_CACHE/kernel-version"
    echo "$pkg"
  fi
}
