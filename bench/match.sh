#!/usr/bin/env bash
# Benchmark: matching (issue 6, acceptance 5): atalaia_detect::detect on the largest corpus
# inventory and on synthetic 5,000-package inventories with real package names from the
# database. Target: a 5,000-package inventory matches in under 50 ms.
#
# Usage: bench/match.sh [--runs N] [--db FILE] [--workdir DIR] [--no-build]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=${ATALAIA_SHARED:-$ROOT/../shared}
RUNS=11
DB=""
WORK="$HERE/out/match"
BUILD=1

usage() {
  cat <<USAGE
usage: bench/match.sh [options]

Builds the database from \$ATALAIA_SHARED/vulndata (unless --db is given), then times detect()
RUNS times on one open database (as a scan does) for:
  largest-corpus   the corpus image with the most packages (analysed once, not timed)
  synthetic-lang   5,000 language packages: every language key of the database in key order,
                   then again at another version (the worst case measured before the packed store)
  synthetic-mixed  1,000 Debian 10 binary packages of real source packages at versions below
                   every fix + 4,000 language packages round-robin over PyPI, npm, Maven, Go,
                   crates.io, RubyGems, Packagist
  synthetic-typical  the same, but one package in ten at a vulnerable version and the others
                   above every fix (each is still looked up and evaluated)
  *-1thread        synthetic-lang and synthetic-mixed matched on one thread
and prints min and median of wall time and of CPU time (every thread's: inventories of 2,000
packages or more are matched on one thread per 1,000 packages, up to one per core; on a shared
machine wall time includes waiting for a core), with the load average beside each.

options:
  --runs N      runs per inventory (default: $RUNS)
  --db FILE     a database built already (default: build one into WORKDIR)
  --workdir DIR (default: bench/out/match, git-ignored)
  --no-build    use the bench binaries already built in \$CARGO_TARGET_DIR (or target/)
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --workdir) WORK=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
MATCH="$TARGET/release/examples/match_bench"
VULNDB="$TARGET/release/examples/vulndb_bench"
if [ "$BUILD" = 1 ]; then
  (cd "$ROOT" && cargo build --quiet --release -p atalaia-detect --example match_bench)
  [ -n "$DB" ] || (cd "$ROOT" && cargo build --quiet --release -p atalaia-vulndb --example vulndb_bench)
fi
mkdir -p "$WORK"
if [ -z "$DB" ]; then
  DB="$WORK/atalaia.db"
  rm -f "$DB"
  "$VULNDB" build "$DB" "$SHARED/vulndata" > "$WORK/build.txt"
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

before=$(load)
"$MATCH" "$DB" "$RUNS" > "$WORK/match.txt"
after=$(load)
M="$WORK/match.txt"

echo
echo "## matching ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load avg $before -> $after)"
echo
echo "| inventory | packages | findings | runs | CPU min / median | wall min / median | target |"
echo "|---|---|---|---|---|---|---|"
for n in largest-corpus synthetic-lang synthetic-mixed synthetic-typical synthetic-lang-1thread synthetic-mixed-1thread; do
  label=$n
  [ $n = largest-corpus ] && label="largest corpus ($(val largest-corpus_image "$M"))"
  target=$([ $n = largest-corpus ] && echo "" || echo "< 50 ms")
  echo "| $label | $(val ${n}_packages "$M") | $(val ${n}_findings "$M") | $(val ${n}_runs "$M") | $(val ${n}_cpu_min_ms "$M") / $(val ${n}_cpu_median_ms "$M") ms | $(val ${n}_wall_min_ms "$M") / $(val ${n}_wall_median_ms "$M") ms | $target |"
done
