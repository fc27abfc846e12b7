#!/usr/bin/env bash
# Benchmark: the vulnerability database (issue 5, acceptance 4): build time over all of
# $ATALAIA_SHARED/vulndata, file size (uncompressed and zstd -19), lookup latency p50/p99 over
# every (namespace, package) key in the database plus as many misses. Targets: build <= 20 s,
# lookup p99 <= 50 us.
#
# Usage: bench/vulndb.sh [--runs N] [--rounds N] [--workdir DIR] [--no-build]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=${ATALAIA_SHARED:-$ROOT/../shared}
RUNS=3
ROUNDS=5
WORK="$HERE/out/vulndb"
BUILD=1

usage() {
  cat <<USAGE
usage: bench/vulndb.sh [options]

Builds the database from \$ATALAIA_SHARED/vulndata RUNS times (wall and CPU time; the file of
the last build is kept), compresses it with zstd -19, then times every lookup of every key of
the database and of as many absent names, ROUNDS times each (the fastest time per key is kept:
on a shared machine preemption is noise, not lookup cost), for the borrowed
VulnDb::package_advisories (what detection reads) and the owned VulnDb::advisories_for.
The load average is printed beside each measurement.

options:
  --runs N      database builds (default: $RUNS; min and median are reported)
  --rounds N    timed rounds over the keys (default: $ROUNDS)
  --workdir DIR where the database is written (default: bench/out/vulndb, git-ignored)
  --no-build    use the bench binary already built in \$CARGO_TARGET_DIR (or target/)
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --workdir) WORK=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN="$TARGET/release/examples/vulndb_bench"
if [ "$BUILD" = 1 ]; then
  (cd "$ROOT" && cargo build --quiet --release -p atalaia-vulndb --example vulndb_bench)
fi
[ -x "$BIN" ] || { echo "error: $BIN is missing (build it or drop --no-build)" >&2; exit 2; }
[ -d "$SHARED/vulndata" ] || { echo "error: no vulndata under $SHARED" >&2; exit 2; }
mkdir -p "$WORK"
DB="$WORK/atalaia.db"

load() { cut -d' ' -f1-3 /proc/loadavg; }
val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
min() { sort -g | head -1; }

walls=(); cpus=()
for i in $(seq "$RUNS"); do
  rm -f "$DB"
  before=$(load)
  "$BIN" build "$DB" "$SHARED/vulndata" > "$WORK/build.$i.txt"
  walls+=("$(val build_wall_s "$WORK/build.$i.txt")")
  cpus+=("$(val build_cpu_s "$WORK/build.$i.txt")")
  echo "build $i: wall $(val build_wall_s "$WORK/build.$i.txt") s, cpu $(val build_cpu_s "$WORK/build.$i.txt") s (load before: $before)" >&2
done
build_load=$(load)
size=$(stat -c %s "$DB")
zstd_load=$(load)
zsize=$(zstd -19 -q -c "$DB" | wc -c)
lookup_load_before=$(load)
"$BIN" lookup "$DB" "$ROUNDS" > "$WORK/lookup.txt"
lookup_load_after=$(load)
L="$WORK/lookup.txt"

echo
echo "## vulnerability database ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs)"
echo
echo "| measurement | value | target | load avg (1/5/15 min) |"
echo "|---|---|---|---|"
echo "| build wall, min / median of $RUNS | $(printf '%s\n' "${walls[@]}" | min) s / $(printf '%s\n' "${walls[@]}" | median) s | <= 20 s | $build_load |"
echo "| build CPU (user+sys), min / median | $(printf '%s\n' "${cpus[@]}" | min) s / $(printf '%s\n' "${cpus[@]}" | median) s | | |"
echo "| vulnerabilities / advisories / sources | $(val vulnerabilities "$WORK/build.$RUNS.txt") / $(val advisories "$WORK/build.$RUNS.txt") / $(val sources "$WORK/build.$RUNS.txt") | | |"
echo "| file size | $(awk -v s="$size" 'BEGIN { printf "%.1f MiB", s / 1048576 }') | | |"
echo "| zstd -19 | $(awk -v s="$zsize" 'BEGIN { printf "%.1f MiB", s / 1048576 }') | | $zstd_load |"
for api in view owned; do
  name=$([ $api = view ] && echo "package_advisories (borrowed)" || echo "advisories_for (owned Vec<Advisory>)")
  for set in hit miss; do
    echo "| $name, $set: p50 / p99 / max (best of $ROUNDS per key, $(val keys "$L") keys) | $(val ${api}_${set}_p50_us "$L") / $(val ${api}_${set}_p99_us "$L") / $(val ${api}_${set}_max_us "$L") us | p99 <= 50 us | $lookup_load_before -> $lookup_load_after |"
    echo "| $name, $set: mean CPU / mean wall per lookup, share <= 50 us | $(val ${api}_${set}_cpu_mean_us "$L") / $(val ${api}_${set}_wall_mean_us "$L") us, $(val ${api}_${set}_le50us_pct "$L") % | | |"
  done
done
