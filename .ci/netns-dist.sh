#!/usr/bin/env bash
# The distributed engine on hosts of their own: three network namespaces,
# each with its own address on a private bridge, one `portevoix rank --engine
# timely --hostfile H --process I` per namespace.
#
# 1. Same numbers: the scores file written by process 0 is byte-identical to
#    the local engine's (`rank --out --solver power` without --engine: the same vertex program;
#    the local Krylov solver meets the same tolerance by another route).
# 2. Fail-stop: a long job, process 1 killed with SIGKILL mid-run; the other
#    processes must stop by themselves within BOUND seconds, exit with code
#    3, name the lost process on standard error, write no output, and leave
#    nothing running in any namespace.
#
# Needs root and iproute2; only addresses inside the namespaces it creates
# are used. Usage: .ci/netns-dist.sh [path/to/portevoix built with --features timely]
set -euo pipefail
cd "$(dirname "$0")/.."

PV="$(realpath "${1:-target/release/portevoix}")"
DATA="${PORTEVOIX_DATASETS:-$(cd .. && pwd)/shared/datasets}"
INPUT="$DATA/slashdot-zoo/soc-Slashdot0902.txt.gz"
BOUND=10
N=3
PREFIX=pvdist
WORK="$(mktemp -d /tmp/pv-netns.XXXXXX)"
SUBNET=10.213.7

if [ "$(id -u)" != 0 ]; then echo "netns-dist: needs root"; exit 1; fi
command -v ip >/dev/null || { apt-get install -y -q iproute2 >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q iproute2 >/dev/null; }; }
"$PV" rank --help | grep -q -- '--engine' || { echo "netns-dist: $PV was built without --features timely"; exit 1; }

cleanup() {
  for i in $(seq 0 $((N - 1))); do
    for pid in $(ip netns pids "$PREFIX$i" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$PREFIX$i" 2>/dev/null || true
  done
  ip netns del "${PREFIX}hub" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
cleanup 2>/dev/null || true
WORK="$(mktemp -d /tmp/pv-netns.XXXXXX)"

# A hub namespace holds a bridge; each host namespace has a veth pair to it.
ip netns add "${PREFIX}hub"
ip -n "${PREFIX}hub" link add br0 type bridge
ip -n "${PREFIX}hub" link set br0 up
: > "$WORK/hosts"
for i in $(seq 0 $((N - 1))); do
  ns="$PREFIX$i"
  ip netns add "$ns"
  ip link add "pv$i" type veth peer name "pvh$i"
  ip link set "pv$i" netns "$ns"
  ip link set "pvh$i" netns "${PREFIX}hub"
  ip -n "${PREFIX}hub" link set "pvh$i" master br0
  ip -n "${PREFIX}hub" link set "pvh$i" up
  ip -n "$ns" addr add "$SUBNET.$((i + 1))/24" dev "pv$i"
  ip -n "$ns" link set "pv$i" up
  ip -n "$ns" link set lo up
  echo "$SUBNET.$((i + 1)):$((7101 + i))" >> "$WORK/hosts"
done
echo "== hostfile"; cat "$WORK/hosts"

echo "== same numbers: PageRank on Slashdot Zoo, $N processes in $N namespaces"
"$PV" rank --algo pagerank --solver power --tol 1e-12 --top 3 --out "$WORK/local.csv" "$INPUT" > /dev/null
pids=()
for i in $(seq 0 $((N - 1))); do
  ip netns exec "$PREFIX$i" "$PV" rank --algo pagerank --tol 1e-12 --top 3 --engine timely \
    --hostfile "$WORK/hosts" --process "$i" --connect-timeout 30 --out "$WORK/timely.csv" "$INPUT" \
    > "$WORK/run$i.out" 2> "$WORK/run$i.err" &
  pids+=($!)
done
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then echo "process $i failed:"; cat "$WORK/run$i.err"; exit 1; fi
done
cmp "$WORK/local.csv" "$WORK/timely.csv"
echo "ok: $(($(wc -l < "$WORK/timely.csv") - 1)) accounts, byte-identical to the local engine"
head -n 6 "$WORK/run0.out"

echo "== fail-stop: process 1 killed mid-run"
rm -f "$WORK/long.csv"
pids=()
for i in $(seq 0 $((N - 1))); do
  ip netns exec "$PREFIX$i" "$PV" rank --algo pagerank --tol 0 --max-iterations 100000000 --engine timely \
    --hostfile "$WORK/hosts" --process "$i" --connect-timeout 30 --out "$WORK/long.csv" "$INPUT" \
    > /dev/null 2> "$WORK/long$i.err" &
  pids+=($!)
done
# Kill once the job is iterating (process 1's sockets are up and data flows).
sleep 4
for i in "${!pids[@]}"; do kill -0 "${pids[$i]}" || { echo "process $i ended before the kill:"; cat "$WORK/long$i.err"; exit 1; }; done
kill -9 "$(ip netns pids "${PREFIX}1")"
killed=$(date +%s.%N)
for i in 0 2; do
  code=0
  wait "${pids[$i]}" || code=$?
  took=$(awk -v a="$(date +%s.%N)" -v b="$killed" 'BEGIN { printf "%.2f", a - b }')
  echo "process $i: exit $code after ${took}s: $(tail -n 1 "$WORK/long$i.err")"
  [ "$code" = 3 ] || { echo "expected exit code 3"; exit 1; }
  grep -q "lost contact with process 1 ($SUBNET.2:7102)" "$WORK/long$i.err" || { echo "the error does not name process 1"; exit 1; }
  awk -v t="$took" -v b="$BOUND" 'BEGIN { exit !(t < b) }' || { echo "stopped after ${took}s, bound ${BOUND}s"; exit 1; }
done
wait "${pids[1]}" 2>/dev/null || true
[ ! -e "$WORK/long.csv" ] || { echo "a failed job wrote its output"; exit 1; }
for i in $(seq 0 $((N - 1))); do
  left=$(ip netns pids "$PREFIX$i" | wc -l)
  [ "$left" = 0 ] || { echo "namespace $PREFIX$i still runs $left processes"; exit 1; }
done
echo "ok: the others stopped within ${BOUND}s, named the lost process, wrote nothing, nothing left running"
echo "netns-dist: 2 passed, 0 failed"
