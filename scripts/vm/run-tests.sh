#!/usr/bin/env bash
# `npm run test:vm`: compile, then in ONE VM boot run the guest suite, area by area
# (links nexthop bridge mpls tc ipset wireless decoder; each test/vm/<area>.test.ts and <area>-*.test.ts);
# areas that need systemd as PID 1
# (daemon) run in a second boot. Each area is one node:test run of test/vm/<area>.test.js
# (wireless: test/wireless/smoke.sh and test/wireless/*.test.js); tests make their own
# namespaces inside the guest. A failure names its area.
# Usage: scripts/vm/run-tests.sh [area ...]         (default: every area)
# NLROUTE_SKIP_BUILD=1 skips tsc; NLROUTE_TEST_TIMEOUT (s, default 240) bounds each test file so
# one hang fails that test instead of the whole VM; VM settings come from NLROUTE_VM_*.
# Exit: non-zero if tsc or any area failed; 125 = the VM did not start (after one retry),
# 124 = the VM ran out of time.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

ALL_AREAS=(links nexthop bridge mpls tc ipset wireless decoder daemon)
# Areas run only when named (none today).
OPT_AREAS=()
# Areas needing systemd as the guest's PID 1 boot a VM of their own (run.sh --init systemd)
# with only the modules they use: ~2-3 min under TCG (see scripts/vm/README.md).
SYSTEMD_AREAS=(daemon)
SYSTEMD_MODULES="veth bridge"
# Modules the areas use, loaded with one modprobe in the guest (built-ins are no-ops).
GUEST_MODULES="dummy bonding 8021q vrf ip_gre ip6_gre ipip sit ip6_tunnel geneve ipvlan ipvtap macsec
  xfrm_interface wireguard veth bridge vxlan mpls_router mpls_iptunnel
  sch_netem sch_fq_codel sch_fq sch_sfq sch_prio sch_cake sch_red sch_hfsc sch_drr sch_ingress sch_htb sch_tbf
  cls_flower cls_matchall cls_basic cls_fw cls_route cls_u32
  act_gact act_police act_mirred act_pedit act_skbedit act_vlan act_tunnel_key act_csum act_nat act_ct
  ip_set ip_set_hash_mac ip_set_hash_ipmac ip_set_hash_netnet ip_set_hash_netportnet ip_set_hash_ipmark nlmon"

areas=("$@")
((${#areas[@]})) || areas=("${ALL_AREAS[@]}")
for a in "${areas[@]}"; do
  [[ " ${ALL_AREAS[*]} ${OPT_AREAS[*]} " == *" $a "* ]] ||
    { echo "unknown area $a (${ALL_AREAS[*]} ${OPT_AREAS[*]})" >&2; exit 2; }
done

now_ms() { date +%s%3N; }
secs() { printf '%d.%01d' "$(($1 / 1000))" "$((($1 % 1000) / 100))"; }

if [[ ${NLROUTE_VM:-} != 1 ]]; then
  build=0
  if [[ ${NLROUTE_SKIP_BUILD:-0} != 1 ]]; then
    # tsc still emits on type errors (possibly in someone else's module), so
    # run the tests anyway and fail at the end.
    npx tsc -p tsconfig.json || build=$?
    ((build == 0)) || echo "# tsc failed (exit $build); running the emitted tests anyway" >&2
  fi
  plain=() sd=()
  for a in "${areas[@]}"; do
    if [[ " ${SYSTEMD_AREAS[*]} " == *" $a "* ]]; then sd+=("$a"); else plain+=("$a"); fi
  done
  boot() { # boot <init> <area...>: one VM for these areas; sets rc (the first failure wins)
    local init=$1 t0 r=0
    shift
    t0=$(now_ms)
    NLROUTE_VM_TIMEOUT=${NLROUTE_VM_TIMEOUT:-600} \
      "$repo/scripts/vm/run.sh" --radios 2 --init "$init" -- bash "$repo/scripts/vm/run-tests.sh" "$@" || r=$?
    echo "# VM suite ($init as PID 1: $*): $(secs $(($(now_ms) - t0))) s in the VM (boot included), exit $r"
    case $r in
      125) echo "# the VM did not start (after a retry): no test ran; this is not a test failure" >&2 ;;
      124) echo "# the VM ran out of time (NLROUTE_VM_TIMEOUT)" >&2 ;;
    esac
    ((rc != 0)) || rc=$r
  }
  rc=0
  ((${#plain[@]} == 0)) || boot busybox "${plain[@]}"
  ((${#sd[@]} == 0)) || boot systemd "${sd[@]}"
  ((rc != 0 || build == 0)) || { echo "# VM tests passed, but tsc failed" >&2; rc=1; }
  exit "$rc"
fi

# Inside the guest from here on.
[[ $(cat /proc/1/comm) != systemd ]] || GUEST_MODULES=$SYSTEMD_MODULES
# shellcheck disable=SC2086
modprobe -a $GUEST_MODULES || echo "# some modules failed to load; the areas needing them will fail" >&2

run_area() {
  local area=$1 files=() status=0 limit=${NLROUTE_TEST_TIMEOUT:-240}
  # A systemd area's one file starts the daemon three times: ~100-150 s at load 15-20, 240 s once
  # when two such VMs shared the 2 CPUs.
  [[ " ${SYSTEMD_AREAS[*]} " != *" $area "* ]] || ((limit >= 480)) || limit=480
  shopt -s nullglob
  case $area in
    wireless)
      echo "# test/wireless/smoke.sh"
      bash test/wireless/smoke.sh || status=1
      files=(dist/test/wireless/*.test.js) ;;
    # An area is test/vm/<area>.test.ts plus any test/vm/<area>-*.test.ts beside it.
    *) files=(dist/test/vm/"$area".test.js dist/test/vm/"$area"-*.test.js) ;;
  esac
  [[ -e ${files[0]:-} ]] || { echo "# area $area: no compiled tests (${files[*]:-none})" >&2; return 1; }
  node --test --test-concurrency=1 --test-reporter=spec \
    --test-timeout="$((limit * 1000))" "${files[@]}" || status=1
  return "$status"
}

failed=() summary=()
for area in "${areas[@]}"; do
  echo "# ---- area $area"
  t=$(now_ms) rc=0
  run_area "$area" || rc=$?
  d=$(secs $(($(now_ms) - t)))
  if ((rc == 0)); then summary+=("ok     $area (${d} s)"); else summary+=("FAILED $area (${d} s)"); failed+=("$area"); fi
done
echo "# ---- VM suite summary"
printf '# %s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "# FAILED areas: ${failed[*]}"
  exit 1
fi
