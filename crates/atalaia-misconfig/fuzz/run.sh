#!/usr/bin/env bash
# Builds the fuzz targets with nightly rustc's SanitizerCoverage (no cargo-fuzz needed), seeds
# them and runs each for SECONDS (default 60), in sequence.
#   usage: run.sh [SECONDS] [target...]      (no targets: all six)
#   env:   FUZZ_WORK (default /work/target-misconfig/fuzz-work): seeds, corpora, crashes, logs
#          CARGO_TARGET_DIR (default $FUZZ_WORK/target)
#          ATALAIA_SHARED (default /work/shared): seeds come from its corpus-iac/misconfig
# Writes $FUZZ_WORK/results.tsv: target, seconds, seeds, execs, execs/s, corpus, cov, result.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
secs="${1:-60}"
shift || true
work="${FUZZ_WORK:-/work/target-misconfig/fuzz-work}"
shared="${ATALAIA_SHARED:-/work/shared}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$work/target}"
triple=x86_64-unknown-linux-gnu
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
if [ "$#" -eq 0 ]; then
    set -- dockerfile kubernetes compose cloudformation terraform gotmpl
fi
(cd "$here" && cargo +nightly build --quiet --release --target "$triple" $(printf -- '--bin %s ' "$@"))
mkdir -p "$work/crashes" "$work/logs"
results="$work/results.tsv"
printf 'target\tseconds\tseeds\texecs\texecs_per_s\tcorpus\tcov\tresult\n' > "$results"
status=0
for target in "$@"; do
    # Seeds: the corpus files of the matching kind and the crate's own fixtures, read in place
    # (cut to 64 KiB) and written under $FUZZ_WORK; nothing is copied into the repository.
    seeds="$work/seeds/$target"
    rm -rf "$seeds"
    mkdir -p "$seeds" "$work/corpus/$target"
    case "$target" in
        dockerfile) pattern='*ockerfile*' ;;
        kubernetes) pattern='*.y*ml' ;;
        compose) pattern='*compose*.y*ml' ;;
        cloudformation) pattern='*.y*ml' ;;
        terraform) pattern='*.tf' ;;
        gotmpl) pattern='*.yaml' ;;
    esac
    n=0
    while IFS= read -r -d '' f; do
        n=$((n + 1))
        head -c 65536 "$f" > "$seeds/seed-$n"
    done < <(find "$shared/corpus-iac/misconfig/kubernetes" "$shared/corpus-iac/misconfig/compose" \
        "$shared/corpus-iac/misconfig/dockerfiles" "$here/../tests/data" -type f -name "$pattern" \
        -print0 2>/dev/null | if [ "$target" = cloudformation ] || [ "$target" = terraform ]; then cat >/dev/null; else cat; fi)
    if [ "$target" = cloudformation ] || [ "$target" = terraform ]; then
        while IFS= read -r -d '' f; do
            n=$((n + 1))
            head -c 65536 "$f" > "$seeds/seed-$n"
        done < <(find "$shared/corpus-iac/misconfig/$target" "$here/../tests/data" -type f \
            \( -name "$pattern" -o -name '*.json' \) -print0 2>/dev/null | head -z -n 300)
    fi
    if [ "$target" = gotmpl ]; then
        # Seeds: the templates of the corpus charts and of the crate's fixtures.
        rm -f "$seeds"/*
        n=0
        while IFS= read -r -d '' f; do
            n=$((n + 1))
            head -c 65536 "$f" > "$seeds/seed-$n"
        done < <(find "$shared/corpus-iac/misconfig/helm" "$here/../tests/data/helm" -type f \
            -path '*/templates/*' -print0 2>/dev/null)
    fi
    if [ "$target" = kubernetes ]; then
        while IFS= read -r -d '' f; do
            n=$((n + 1))
            head -c 65536 "$f" > "$seeds/seed-$n"
        done < <(find "$shared/corpus-iac/misconfig/kubernetes" -type f -name '*.json' -print0 2>/dev/null)
    fi
    log="$work/logs/$target.log"
    start=$(date +%s)
    rc=0
    "$CARGO_TARGET_DIR/$triple/release/$target" "$work/corpus/$target" "$seeds" \
        -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$work/crashes/$target-" > "$log" 2>&1 || rc=$?
    took=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ncorpus=$(find "$work/corpus/$target" -type f | wc -l)
    if [ "$rc" -eq 0 ]; then result=ok; else result="CRASH(rc=$rc)"; status=1; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$took" "$n" "${execs:-?}" "${rate:-?}" \
        "$ncorpus" "${cov:-?}" "$result" | tee -a "$results"
done
exit "$status"
