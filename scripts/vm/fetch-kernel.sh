#!/usr/bin/env bash
# Download the Debian kernel package (without installing it), unpack it into
# the cache, index its modules and unpack an ELF vmlinux for PVH boot.
# Idempotent: does nothing when the cache entry is complete.
# Usage: fetch-kernel.sh <kernel-version>   e.g. 6.1.0-56-amd64
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"

kver=${1:?usage: fetch-kernel.sh <kernel-version>}
kdir=$NLROUTE_VM_CACHE/$kver
[[ -f $kdir/.complete ]] && exit 0

mkdir -p "$NLROUTE_VM_CACHE"
rm -rf "$kdir"
work=$(mktemp -d "$NLROUTE_VM_CACHE/.fetch.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

vm_log "downloading linux-image-$kver"
# apt's _apt user cannot write into a root-only dir; that only costs a warning.
(cd "$work" && apt-get download -q "linux-image-$kver" 2>&1 | grep -v 'unsandboxed as root' >&2) || true
deb=$(find "$work" -maxdepth 1 -name "linux-image-${kver}_*.deb" | head -n1)
[[ -n $deb ]] || vm_die "apt-get download linux-image-$kver failed (apt-get update? wrong NLROUTE_VM_KERNEL?)"

dpkg-deb -x "$deb" "$work/root"
rm -f "$deb"
depmod -b "$work/root" "$kver"
cp "$work/root/boot/vmlinuz-$kver" "$work/bzImage"
if "$VM_DIR/extract-vmlinux.sh" "$work/bzImage" "$work/vmlinux"; then
  vm_log "unpacked vmlinux for PVH boot"
else
  vm_log "could not unpack vmlinux; booting the bzImage"
fi

mv "$work" "$kdir"
trap - EXIT
touch "$kdir/.complete"
