#!/usr/bin/env bash
# Builds the fuzz targets with nightly rustc's SanitizerCoverage (no cargo-fuzz needed) and runs
# the `kind` target once per LangFile kind, in sequence, SECONDS each (default 60).
#   usage: run.sh [SECONDS] [Kind...]        (no kinds: all 40)
#   env:   FUZZ_WORK (default /work/target-langbench/fuzz-work): seeds, corpora, crashes, logs
#          CARGO_TARGET_DIR (default $FUZZ_WORK/target)
# Writes $FUZZ_WORK/results.tsv: kind, seconds, execs, execs/s, corpus size, coverage, result.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
secs="${1:-60}"
shift || true
work="${FUZZ_WORK:-/work/target-langbench/fuzz-work}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$work/target}"
mkdir -p "$work"
triple=x86_64-unknown-linux-gnu
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
(cd "$here" && cargo +nightly build --quiet --release --target "$triple" --bin kind)
bin="$CARGO_TARGET_DIR/$triple/release/kind"
python3 "$here/seed.py" "$work/seeds" > /dev/null
if [ "$#" -eq 0 ]; then
    set -- $(sed -n '/pub const ALL/,/];/s/.*LangFile::\([A-Za-z]*\),.*/\1/p' "$here/../src/lib.rs")
fi
results="$work/results.tsv"
printf 'kind\tseconds\texecs\texecs_per_s\tcorpus\tcov\tresult\n' > "$results"
for kind in "$@"; do
    mkdir -p "$work/corpus/$kind" "$work/crashes" "$work/logs" "$work/seeds/$kind"
    log="$work/logs/$kind.log"
    start=$(date +%s)
    rc=0
    ATALAIA_FUZZ_KIND="$kind" "$bin" "$work/corpus/$kind" "$work/seeds/$kind" \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$work/crashes/$kind-" > "$log" 2>&1 || rc=$?
    took=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ncorpus=$(find "$work/corpus/$kind" -type f | wc -l)
    if [ "$rc" -eq 0 ]; then result=ok; else result="CRASH(rc=$rc)"; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$took" "${execs:-?}" "${rate:-?}" \
        "$ncorpus" "${cov:-?}" "$result" | tee -a "$results"
done
