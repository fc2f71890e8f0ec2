#!/usr/bin/env bash
# Run one command inside a QEMU guest with a Debian kernel and mac80211_hwsim.
# The guest sees the host's / read-only (with a tmpfs overlay), so the command
# uses this checkout and the host's node/iw/hostapd as they are.
#
# Usage: scripts/vm/run.sh [--radios N] [--timeout S] [--modules "m1 m2"] [--init busybox|systemd]
#                          [--dmesg] [--keep] [--timing] -- <command...>
# Exit status: the command's; 124 = timed out; 125 = the VM failed to boot or
# to set up (after one retry), never the command's result.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"

usage() { # usage <exit status>
  sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit "$1"
}

radios=$NLROUTE_VM_RADIOS
timeout=$NLROUTE_VM_TIMEOUT
modules=${NLROUTE_VM_MODULES:-}
init=${NLROUTE_VM_INIT:-busybox}
show_dmesg=${NLROUTE_VM_DMESG:-0}
keep=${NLROUTE_VM_KEEP:-0}
timing=${NLROUTE_VM_TIMING:-0}
while (($#)); do
  case $1 in
    --radios) radios=${2:?}; shift 2 ;;
    --timeout) timeout=${2:?}; shift 2 ;;
    --modules) modules=${2:?}; shift 2 ;;
    --init) init=${2:?}; shift 2 ;;
    --dmesg) show_dmesg=1; shift ;;
    --keep) keep=1; shift ;;
    --timing) timing=1; shift ;;
    --) shift; break ;;
    -h|--help) usage 0 ;;
    -*) vm_log "unknown option $1"; usage 125 ;;
    *) break ;;
  esac
done
(($#)) || usage 125
[[ $modules =~ ^[A-Za-z0-9_\ -]*$ ]] || vm_die "--modules wants module names, got '$modules'"
for v in NLROUTE_VM_BOOT_TIMEOUT NLROUTE_VM_SYSTEMD_BOOT_TIMEOUT NLROUTE_VM_MEM NLROUTE_VM_SMP; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || vm_die "$v wants a positive integer, got '${!v}'"
done
[[ $init == busybox || $init == systemd ]] || vm_die "--init wants busybox or systemd, got '$init'"
[[ $init == busybox ]] || NLROUTE_VM_BOOT_TIMEOUT=$NLROUTE_VM_SYSTEMD_BOOT_TIMEOUT
[[ $radios =~ ^[0-9]+$ ]] || vm_die "--radios wants a number, got '$radios'"
[[ $timeout =~ ^[0-9]+$ ]] && ((timeout >= 10)) || vm_die "--timeout wants seconds >= 10, got '$timeout'"

missing=()
for c in "$NLROUTE_VM_QEMU" cpio gzip depmod dpkg-deb xz; do
  command -v "$c" >/dev/null || missing+=("$c")
done
((${#missing[@]} == 0)) ||
  vm_die "missing ${missing[*]}; run scripts/vm/install-deps.sh (packages: $VM_HOST_PACKAGES)"

now_ms() { date +%s%3N; }
secs() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); } # ms -> "s.mmm"

kver=$(vm_kernel_version)
kdir=$NLROUTE_VM_CACHE/$kver

# One boot. Sets boot_result to started|boot-timeout|timeout|no-start.
# Usage: boot_vm <kernel image> <run dir> <vm timeout> <stream output 0|1>
boot_vm() {
  local kernel=$1 run=$2 limit_ms=$(($3 * 1000)) stream=$4 t0 t qpid tails=() started_ms=""
  rm -f "$run"/{booted,started,finished,status,timed-out,setup-error,dmesg,console.log}
  : >"$run/stdout"
  : >"$run/stderr"
  t0=$(now_ms)
  "$NLROUTE_VM_QEMU" -M q35 -accel tcg,thread=multi -cpu max \
    -m "$NLROUTE_VM_MEM" -smp "$NLROUTE_VM_SMP" \
    -nodefaults -no-user-config -display none -monitor none -nic none -no-reboot \
    -serial "file:$run/console.log" \
    -kernel "$kernel" -initrd "$initrd" \
    -append "console=ttyS0 panic=-1 rdinit=/init quiet ${NLROUTE_VM_APPEND:-}" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$run,mount_tag=nlvmout,security_model=none" \
    </dev/null >"$run/qemu.log" 2>&1 &
  qpid=$!
  current_qpid=$qpid
  if ((stream)); then
    tail -s 0.1 -n +1 -f --pid="$qpid" "$run/stdout" &
    tails+=($!)
    tail -s 0.1 -n +1 -f --pid="$qpid" "$run/stderr" >&2 &
    tails+=($!)
  fi
  boot_result=no-start
  while kill -0 "$qpid" 2>/dev/null; do
    t=$(($(now_ms) - t0))
    [[ -n $started_ms || ! -e $run/started ]] || started_ms=$t
    if [[ -z $started_ms ]] && ((t > NLROUTE_VM_BOOT_TIMEOUT * 1000)); then
      boot_result=boot-timeout
      break
    fi
    if ((t > limit_ms)); then
      boot_result=timeout
      break
    fi
    sleep 0.1
  done
  kill "$qpid" 2>/dev/null && { sleep 1; kill -9 "$qpid" 2>/dev/null || true; }
  wait "$qpid" 2>/dev/null || true
  ((${#tails[@]} == 0)) || wait "${tails[@]}" 2>/dev/null || true
  [[ -n $started_ms || ! -e $run/started ]] || started_ms=$(($(now_ms) - t0))
  [[ $boot_result != no-start || ! -e $run/started ]] || boot_result=started
  boot_started_ms=$started_ms
  boot_total_ms=$(($(now_ms) - t0))
}

# If we are interrupted, take the VM down with us.
current_qpid=""
on_signal() {
  [[ -z $current_qpid ]] || kill "$current_qpid" 2>/dev/null || true
  vm_log "interrupted"
  exit 130
}
trap on_signal INT TERM HUP

# Print the guest console for a failed run.
show_console() {
  local run=$1
  vm_log "---- guest console (last 100 lines of $run/console.log) ----"
  tail -n 100 "$run/console.log" >&2 2>/dev/null || true
  [[ -s $run/qemu.log ]] && { vm_log "---- qemu ----"; cat "$run/qemu.log" >&2; }
  [[ -s $run/setup-error ]] && vm_log "setup error: $(cat "$run/setup-error")"
  [[ -s $run/journal ]] && vm_log "the guest's journal (systemd): $run/journal"
  vm_log "----"
}

# Build or reuse the cache under a lock, so parallel runs don't race.
mkdir -p "$NLROUTE_VM_CACHE"
exec 9>"$NLROUTE_VM_CACHE/.lock"
flock 9
t_cache=$(now_ms)
if [[ ! -f $kdir/.complete ]]; then
  "$VM_DIR/fetch-kernel.sh" "$kver"
fi
initrd=$("$VM_DIR/build-initramfs.sh" "$kver")

# Prefer the unpacked ELF (PVH boot); a probe boot decides once per cache.
if [[ -n ${NLROUTE_VM_KERNEL_IMAGE:-} ]]; then
  kernel=$kdir/$NLROUTE_VM_KERNEL_IMAGE
elif [[ -s $kdir/kernel-image ]]; then
  kernel=$kdir/$(cat "$kdir/kernel-image")
else
  choice=bzImage
  if [[ -f $kdir/vmlinux ]]; then
    probe=$(mktemp -d "${TMPDIR:-/tmp}/nlroute-vm-probe.XXXXXX")
    printf '%s\n' "KVER=$kver" "MODDIR=$kdir/root/lib/modules/$kver" "RADIOS=0" \
      "VM_TIMEOUT=60" "EXTRA_MODULES=" >"$probe/params"
    echo 'exit 0' >"$probe/cmd.sh"
    for _ in 1 2; do
      boot_vm "$kdir/vmlinux" "$probe" 60 0
      if [[ $(cat "$probe/status" 2>/dev/null) == 0 ]]; then choice=vmlinux; break; fi
    done
    [[ $choice == vmlinux ]] || { vm_log "PVH boot of vmlinux failed; using bzImage"; show_console "$probe"; }
    rm -rf "$probe"
  fi
  echo "$choice" >"$kdir/kernel-image"
  kernel=$kdir/$choice
fi
flock -u 9
t_cache=$(($(now_ms) - t_cache))

run=$(mktemp -d "${TMPDIR:-/tmp}/nlroute-vm.XXXXXX")
cleanup() { ((keep)) || rm -rf "$run"; }
trap cleanup EXIT

# Parameters for guest-init.sh, and the command as a bash script.
printf '%s\n' "KVER=$kver" "MODDIR=$kdir/root/lib/modules/$kver" "RADIOS=$radios" \
  "VM_TIMEOUT=$timeout" "EXTRA_MODULES='$modules'" "INIT=$init" >"$run/params"
{
  printf 'cd -- %q || { echo "nlroute-vm: cannot enter the working directory in the guest (is it on the host root filesystem?)" >&2; exit 126; }\n' "$PWD"
  for v in PATH HOME USER LANG LC_ALL TERM TZ CI NO_COLOR FORCE_COLOR NODE_OPTIONS NODE_PATH \
    ${NLROUTE_VM_PASSENV:-} $(compgen -e | grep -E '^NLROUTE_' | grep -v '^NLROUTE_VM_' || true); do
    [[ -n ${!v+x} ]] && printf 'export %s=%q\n' "$v" "${!v}"
  done
  printf 'export NLROUTE_VM=1 NLROUTE_VM_RADIOS=%q\n' "$radios"
  printf 'exec'
  printf ' %q' "$@"
  printf '\n'
} >"$run/cmd.sh"

for attempt in 1 2; do
  boot_vm "$kernel" "$run" "$timeout" 1
  # boot-timeout: killed before the marker was seen, even if it just appeared.
  [[ $boot_result == boot-timeout || ! -e $run/started ]] || break
  if ((attempt == 1)); then
    vm_log "VM did not reach the command (${boot_result}); retrying once"
    cp "$run/console.log" "$run/console.attempt1.log" 2>/dev/null || true
  fi
done

if ((show_dmesg)) && [[ -s $run/dmesg ]]; then
  vm_log "---- guest dmesg ----"
  cat "$run/dmesg" >&2
fi
if ((timing)); then
  vm_log "timing: cache check $(secs "$t_cache")s, boot-to-command ${boot_started_ms:+$(secs "$boot_started_ms")}s, VM total $(secs "$boot_total_ms")s (${kernel##*/}, poll step 0.1s)"
  if [[ $init == systemd && -s $run/systemd-target-us ]]; then
    target_ms=$(($(cat "$run/systemd-target-us") / 1000))
    vm_log "timing: systemd: kernel start -> nlroute-vm.target reached $(secs "$target_ms")s (guest clock);" \
      "$(head -n1 "$run/systemd-analyze" 2>/dev/null)"
  fi
fi

if [[ $boot_result == boot-timeout || ! -e $run/started ]]; then
  keep=1
  vm_log "FAILED: the VM did not reach the command after 2 boots (${boot_result}); run dir kept: $run"
  show_console "$run"
  exit 125
fi
if [[ $boot_result == timeout || -e $run/timed-out ]]; then
  keep=1
  if [[ -e $run/timed-out ]]; then
    vm_log "TIMEOUT: the command ran out of its $(cat "$run/timed-out")s (VM limit ${timeout}s) and was killed; run dir kept: $run"
    vm_log "---- guest dmesg (last 40 lines) ----"
    tail -n 40 "$run/dmesg" >&2 2>/dev/null || true
  else
    vm_log "TIMEOUT: the VM did not finish within ${timeout}s and was killed; run dir kept: $run"
    show_console "$run"
  fi
  exit 124
fi
if [[ ! -s $run/status ]]; then
  keep=1
  vm_log "FAILED: the VM stopped before the command finished; run dir kept: $run"
  show_console "$run"
  exit 125
fi
exit "$(cat "$run/status")"
