#!/bin/sh
# PID 1 of the test VM (busybox sh, runs from the initramfs).
# Mounts the host's / read-only over 9p with a tmpfs overlay, loads the
# wireless modules, runs /run/nlroute-vm/cmd.sh chrooted into that overlay and
# writes the results to the per-run 9p share, then powers off. With INIT=systemd
# it instead switches root to the overlay and execs the host's systemd as PID 1,
# whose nlroute-vm.service runs the command (guest-systemd.sh).
# PID 1 itself never chroots, so the kernel's firmware loader keeps seeing the
# initramfs's /lib/firmware (regulatory.db).

export PATH=/bin
NINEP="trans=virtio,version=9p2000.L,msize=512000"

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
hostname nlroute-vm
exec </dev/console >/dev/console 2>&1

# Results go to /out when it is mounted; the VM ends in every case.
finish() {
  if [ -n "$1" ]; then
    echo "nlroute-vm-init: $1"
    [ -n "$have_out" ] && echo "$1" >/out/setup-error
  fi
  dmesg >/out/dmesg 2>/dev/null
  sync
  umount /newroot/run/nlroute-vm 2>/dev/null
  umount /out 2>/dev/null
  poweroff -f
  echo o >/proc/sysrq-trigger
  sleep 5
}

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# Units masked in the systemd boot (INIT=systemd).
SYSTEMD_MASK="systemd-modules-load.service modprobe@.service kmod-static-nodes.service
  systemd-binfmt.service proc-sys-fs-binfmt_misc.automount proc-sys-fs-binfmt_misc.mount
  dev-hugepages.mount dev-mqueue.mount sys-kernel-tracing.mount sys-kernel-config.mount
  sys-kernel-debug.mount sys-fs-fuse-connections.mount systemd-remount-fs.service
  systemd-pstore.service systemd-timesyncd.service systemd-update-utmp.service
  systemd-random-seed.service systemd-journal-flush.service systemd-sysusers.service
  systemd-firstboot.service systemd-machine-id-commit.service systemd-repart.service
  systemd-pcrphase.service systemd-pcrphase-sysinit.service systemd-hwdb-update.service
  systemd-journal-catalog-update.service ldconfig.service systemd-update-done.service
  systemd-ask-password-console.path systemd-ask-password-wall.path
  timers.target apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer
  man-db.timer fstrim.timer systemd-tmpfiles-clean.timer
  systemd-udevd.service systemd-udev-trigger.service systemd-udevd-control.socket
  systemd-udevd-kernel.socket"

load() { # load <path under /lib/modules> [params...]
  m=$1; shift
  insmod "/lib/modules/$m" "$@" || finish "insmod $m $* failed"
}

for m in $(cat /etc/nlroute-vm/boot-modules); do load "$m"; done

mkdir -p /out /lower /rw /newroot
mount -t 9p -o "$NINEP" nlvmout /out || finish "cannot mount the result share"
have_out=1
echo "$(uptime_s)" >/out/booted
# KVER, MODDIR (host path of the module tree), RADIOS, VM_TIMEOUT, EXTRA_MODULES, INIT
. /out/params || finish "cannot read params"

mount -t 9p -o "$NINEP,cache=loose,ro" hostroot /lower || finish "cannot mount the host root"
mount -t tmpfs -o mode=0755 tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot ||
  finish "cannot mount the overlay"

R=/newroot
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t devtmpfs devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $R/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $R/dev/shm
# /tmp stays the overlay's (host files visible, writes in RAM): a checkout under the host's
# /tmp, as CI clones may be, must be reachable from the guest.
mount -t tmpfs -o mode=0755 tmpfs $R/run
mount -t debugfs debugfs $R/sys/kernel/debug 2>/dev/null
# The host's /lib/modules lacks this kernel: lend it the cached tree so
# `modprobe` works inside the guest.
mkdir -p "$R/lib/modules/$KVER" $R/run/nlroute-vm
mount -o bind "/lower$MODDIR" "$R/lib/modules/$KVER" || finish "cannot bind the module tree"
mount -o bind /out $R/run/nlroute-vm

for m in $(cat /etc/nlroute-vm/test-modules); do
  case $m in
    */mac80211_hwsim.ko) load "$m" radios="$RADIOS" ;;
    *) load "$m" ;;
  esac
done
for m in $EXTRA_MODULES; do
  chroot $R /sbin/modprobe "$m" || finish "modprobe $m failed"
done

if [ "$INIT" = systemd ]; then
  # systemd becomes PID 1 on the overlay; a unit of it runs the command (guest-systemd.sh).
  [ -x $R/lib/systemd/systemd ] || finish "no /lib/systemd/systemd on the host root (apt-get install systemd)"
  mkdir -p $R/run/systemd/system
  cp /etc/nlroute-vm/systemd/* $R/run/systemd/system/ || finish "cannot install the VM units"
  cp /etc/nlroute-vm/guest-systemd.sh $R/run/nlroute-vm-systemd.sh
  # Mask (for this boot only) what the tests don't need and what costs seconds under TCG over 9p:
  # every generator, module loading, extra file systems, utmp, timers. Journald stays.
  mkdir -p $R/run/systemd/system-generators
  for g in $R/lib/systemd/system-generators/* $R/usr/lib/systemd/system-generators/*; do
    [ -e "$g" ] && ln -sf /dev/null "$R/run/systemd/system-generators/${g##*/}"
  done
  for u in $SYSTEMD_MASK; do ln -sf /dev/null "$R/run/systemd/system/$u"; done
  # Debian's tmp.conf empties /tmp at boot ("D /tmp"): over 9p that walks all of the host's /tmp
  # for minutes, and /tmp must keep showing the host's files (see above). Keep it as it is.
  mkdir -p $R/run/tmpfiles.d
  echo 'd /tmp 1777 root root -' >$R/run/tmpfiles.d/tmp.conf
  exec switch_root $R /lib/systemd/systemd --unit=nlroute-vm.target ||
    finish "cannot start systemd from the host root"
fi

start=$(uptime_s)
# Leave room (VM_TIMEOUT/10, 5..10 s) before the host's VM deadline to save
# dmesg and the status.
margin=$((VM_TIMEOUT / 10))
[ "$margin" -ge 5 ] || margin=5
[ "$margin" -le 10 ] || margin=10
CMD_TIMEOUT=$((VM_TIMEOUT - ${start%.*} - margin))
[ "$CMD_TIMEOUT" -ge 1 ] || CMD_TIMEOUT=1
echo "$start" >/out/started
chroot $R /usr/bin/timeout --kill-after=3 "$CMD_TIMEOUT" /bin/bash /run/nlroute-vm/cmd.sh \
  </dev/null >>/out/stdout 2>>/out/stderr
rc=$?
end=$(uptime_s)
echo "$end" >/out/finished
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
  [ $((${end%.*} - ${start%.*})) -ge "$CMD_TIMEOUT" ] && echo "$CMD_TIMEOUT" >/out/timed-out
fi
echo "$rc" >/out/status
finish ""
