#!/usr/bin/env bash
# Smoke test of the wireless VM: hwsim radios are visible to iw, node can talk
# generic netlink (resolves the nl80211 family through the project's addon),
# and the radios really carry frames (open AP on wlan0, scan + connect from wlan1).
# Run on the host it re-runs itself inside the VM (scripts/vm/run.sh); it never
# touches the host's network.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ ${NLROUTE_VM:-} != 1 ]]; then
  exec "$repo/scripts/vm/run.sh" --radios 2 -- bash "$repo/test/wireless/smoke.sh" "$@"
fi

radios=${NLROUTE_VM_RADIOS:-2}
((radios >= 2)) || { echo "smoke: needs at least 2 radios, got $radios" >&2; exit 2; }
failed=0
ms() { date +%s%3N; }
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
check() { # check <description> <command...>
  local d=$1 t0=$(ms)
  shift
  if "$@"; then ok "$d ($(($(ms) - t0)) ms)"; else not_ok "$d"; fi
}

radios_visible() {
  local dev list i
  dev=$(timeout 10 iw dev) list=$(timeout 10 iw list)
  for ((i = 0; i < radios; i++)); do
    grep -q "Interface wlan$i\$" <<<"$dev" || { echo "# iw dev lacks wlan$i" >&2; return 1; }
    grep -q "^Wiphy phy$i\$" <<<"$list" || { echo "# iw list lacks phy$i" >&2; return 1; }
  done
  [[ -d /sys/module/mac80211_hwsim ]]
}

# CTRL_CMD_GETFAMILY("nl80211") over NETLINK_GENERIC with the project's addon.
node_genl() {
  node -e '
    const n = require(process.argv[1]);
    const fd = n.open(16 /* NETLINK_GENERIC */);
    n.bind(fd, 0, 0);
    const name = Buffer.from("nl80211\0");
    const req = Buffer.alloc(16 + 4 + 4 + 8);
    req.writeUInt32LE(req.length, 0);
    req.writeUInt16LE(0x10, 4);         // GENL_ID_CTRL
    req.writeUInt16LE(0x1, 6);          // NLM_F_REQUEST
    req.writeUInt32LE(1, 8);            // seq
    req.writeUInt8(3, 16);              // CTRL_CMD_GETFAMILY
    req.writeUInt8(1, 17);              // version
    req.writeUInt16LE(4 + name.length, 20);
    req.writeUInt16LE(2, 22);           // CTRL_ATTR_FAMILY_NAME
    name.copy(req, 24);
    n.send(fd, req);
    const buf = Buffer.alloc(65536), info = new Int32Array(4);
    const len = n.recv(fd, buf, 0, info); // genl answers inside sendmsg()
    if (len < 20 || buf.readUInt16LE(4) !== 0x10) throw new Error("unexpected reply, len " + len + " type " + buf.readUInt16LE(4));
    for (let off = 20; off + 4 <= len; off += (buf.readUInt16LE(off) + 3) & ~3) {
      if (buf.readUInt16LE(off + 2) === 1 /* CTRL_ATTR_FAMILY_ID */) {
        console.log("# nl80211 family id " + buf.readUInt16LE(off + 4));
        n.close(fd);
        process.exit(0);
      }
    }
    throw new Error("no CTRL_ATTR_FAMILY_ID in the reply");
  ' "$repo/build/Release/nlroute_native.node"
}

ap_scan_connect() {
  local dir ssid=nlroute-smoke i found=0 t0 out
  dir=$(mktemp -d)
  t0=$(ms)
  cat >"$dir/hostapd.conf" <<EOF
interface=wlan0
driver=nl80211
ssid=$ssid
hw_mode=g
channel=1
EOF
  hostapd -B -P "$dir/hostapd.pid" -f "$dir/hostapd.log" "$dir/hostapd.conf" >/dev/null ||
    { cat "$dir/hostapd.log" >&2; return 1; }
  echo "# hostapd up after $(($(ms) - t0)) ms"
  t0=$(ms)
  ip link set wlan1 up
  # Not `iw dev wlan1 scan`: iw 5.19 triggers the scan before it subscribes to
  # the scan events, so a slow iw misses hwsim's fast completion and blocks
  # forever. Trigger, then poll the results over a fresh socket each time.
  for i in $(seq 50); do
    if ((i % 10 == 1)); then
      timeout 10 iw dev wlan1 scan trigger freq 2412 >/dev/null 2>&1 || true
    fi
    out=$(timeout 10 iw dev wlan1 scan dump 2>/dev/null || true)
    if grep -q "SSID: $ssid\$" <<<"$out"; then found=1; break; fi
    sleep 0.1
  done
  ((found)) || { echo "# scan did not find $ssid" >&2; cat "$dir/hostapd.log" >&2; return 1; }
  echo "# scan found $ssid after $(($(ms) - t0)) ms (poll $i)"
  t0=$(ms)
  timeout 10 iw dev wlan1 connect "$ssid"
  found=0
  for i in $(seq 100); do
    out=$(timeout 10 iw dev wlan1 link 2>/dev/null || true)
    if grep -q "SSID: $ssid" <<<"$out"; then found=1; break; fi
    sleep 0.1
  done
  ((found)) || { echo "# wlan1 did not associate" >&2; return 1; }
  echo "# wlan1 associated after $(($(ms) - t0)) ms"
  # Never `kill ""` or kill 0 (our own process group): only a written pid.
  local pid
  pid=$(cat "$dir/hostapd.pid" 2>/dev/null || true)
  if [[ $pid =~ ^[1-9][0-9]*$ ]] && ((pid > 1)); then kill "$pid"; fi
}

check "iw sees $radios hwsim radios (phy0..phy$((radios - 1)), wlan0..wlan$((radios - 1)))" radios_visible
if [[ -f $repo/build/Release/nlroute_native.node ]]; then
  check "node opens a NETLINK_GENERIC socket and resolves nl80211" node_genl
else
  not_ok "node genl: build/Release/nlroute_native.node missing (npx node-gyp rebuild)"
fi
check "hostapd open AP on wlan0, wlan1 scans 2412 MHz and connects" ap_scan_connect

echo "# smoke: $((3 - failed)) passed, $failed failed"
((failed == 0))
