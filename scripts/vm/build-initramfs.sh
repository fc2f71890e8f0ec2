#!/usr/bin/env bash
# Build (or reuse) the busybox initramfs for a cached kernel and print its path.
# The file name carries a hash of everything that goes into it, so editing
# guest-init.sh, guest-systemd.sh or systemd/* or upgrading busybox/wireless-regdb rebuilds it.
# Usage: build-initramfs.sh <kernel-version>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"

kver=${1:?usage: build-initramfs.sh <kernel-version>}
kdir=$NLROUTE_VM_CACHE/$kver
moddir=$kdir/root/lib/modules/$kver
busybox=${NLROUTE_VM_BUSYBOX:-/bin/busybox}
regdb=/lib/firmware/regulatory.db

[[ -f $moddir/modules.dep ]] || vm_die "no module tree at $moddir (run fetch-kernel.sh)"
[[ -x $busybox ]] || vm_die "$busybox missing (apt-get install busybox-static)"
if command -v file >/dev/null && ! file -L "$busybox" | grep -q 'statically linked'; then
  vm_die "$busybox is not statically linked (apt-get install busybox-static)"
fi

# modules.dep maps "path/name.ko: dep.ko ...". Index it by module name.
declare -A dep_path dep_list
while IFS= read -r line; do
  path=${line%%:*}
  name=${path##*/}; name=${name%.ko*}; name=${name//-/_}
  dep_path[$name]=$path
  dep_list[$name]=${line#*:}
done <"$moddir/modules.dep"

# Append <name> and its dependencies (dependencies first) to the named array,
# skipping anything already in it or in the "loaded" set.
declare -A seen
resolve() {
  local name=${1//-/_} out=$2 dep dname
  [[ -n ${seen[$name]:-} ]] && return 0
  [[ -n ${dep_path[$name]:-} ]] || vm_die "module $name not found in $moddir/modules.dep"
  for dep in ${dep_list[$name]}; do
    dname=${dep##*/}; dname=${dname%.ko*}
    resolve "$dname" "$out"
  done
  seen[$name]=1
  eval "$out+=(\"\${dep_path[\$name]}\")"
}
boot=(); test=()
for m in $VM_BOOT_MODULES; do resolve "$m" boot; done
for m in $VM_TEST_MODULES; do resolve "$m" test; done

regdb_files=()
if [[ -e $regdb ]]; then
  regdb_files=("$regdb" "$regdb.p7s")
else
  vm_log "warning: $regdb missing (apt-get install wireless-regdb); the guest logs a regulatory warning"
fi

key=$( {
  echo "$kver" "${boot[*]}" "${test[*]}"
  cat "$VM_DIR/guest-init.sh" "$VM_DIR/guest-systemd.sh" "$VM_DIR/build-initramfs.sh" "$VM_DIR"/systemd/*
  sha256sum "$busybox"
  for f in "${regdb_files[@]}"; do sha256sum <"$f"; done
} | sha256sum | cut -c1-12)
out=$kdir/initramfs-$key.cpio.gz
if [[ -s $out ]]; then echo "$out"; exit 0; fi

stage=$(mktemp -d "$kdir/.initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,etc/nlroute-vm,lib/firmware}
cp "$busybox" "$stage/bin/busybox"
"$busybox" --install -s "$stage/bin"
# --install links to the host path of busybox; point them at /bin/busybox.
find "$stage/bin" -type l -exec ln -sf busybox {} \;
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true
for m in "${boot[@]}" "${test[@]}"; do
  mkdir -p "$stage/lib/modules/$(dirname "$m")"
  cp "$moddir/$m" "$stage/lib/modules/$m"
done
printf '%s\n' "${boot[@]}" >"$stage/etc/nlroute-vm/boot-modules"
printf '%s\n' "${test[@]}" >"$stage/etc/nlroute-vm/test-modules"
for f in "${regdb_files[@]}"; do cp -L "$f" "$stage/lib/firmware/"; done
install -m 755 "$VM_DIR/guest-init.sh" "$stage/init"
# For run.sh --init systemd: the command runner and its units, copied into the overlay's /run.
install -m 755 "$VM_DIR/guest-systemd.sh" "$stage/etc/nlroute-vm/guest-systemd.sh"
mkdir -p "$stage/etc/nlroute-vm/systemd"
cp "$VM_DIR"/systemd/* "$stage/etc/nlroute-vm/systemd/"

(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
  cpio --null -o -H newc --owner=0:0 --quiet) | gzip -6 >"$out.tmp"
mv "$out.tmp" "$out"
# Older builds for this kernel are stale now.
find "$kdir" -maxdepth 1 -name 'initramfs-*.cpio.gz' ! -path "$out" -delete
echo "$out"
