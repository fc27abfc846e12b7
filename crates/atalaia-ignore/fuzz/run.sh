#!/usr/bin/env bash
# Builds the `parse` fuzz target with nightly rustc's SanitizerCoverage (no cargo-fuzz needed),
# seeds it with the crate's tests/data fixtures and runs it for SECONDS (default 60).
#   usage: run.sh [SECONDS]
#   env:   FUZZ_WORK (default /work/target-ignorefuzz/fuzz-work): seeds, corpus, crashes, log
#          CARGO_TARGET_DIR (default $FUZZ_WORK/target)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
secs="${1:-60}"
work="${FUZZ_WORK:-/work/target-ignorefuzz/fuzz-work}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$work/target}"
triple=x86_64-unknown-linux-gnu
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
(cd "$here" && cargo +nightly build --quiet --release --target "$triple" --bin parse)
bin="$CARGO_TARGET_DIR/$triple/release/parse"

# Seeds: every fixture, prefixed with each selector byte (0 plain, 1 YAML, 2 VEX).
seeds="$work/seeds"
rm -rf "$seeds"
mkdir -p "$seeds" "$work/corpus" "$work/crashes"
n=0
while IFS= read -r -d '' f; do
    for sel in '\x00' '\x01' '\x02'; do
        n=$((n + 1))
        { printf "$sel"; head -c 65536 "$f"; } > "$seeds/seed-$n"
    done
done < <(find "$here/../tests/data" -type f -print0)

log="$work/parse.log"
start=$(date +%s)
rc=0
"$bin" "$work/corpus" "$seeds" -max_total_time="$secs" -max_len=65537 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/crashes/parse-" \
    > "$log" 2>&1 || rc=$?
took=$(( $(date +%s) - start ))
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
ncorpus=$(find "$work/corpus" -type f | wc -l)
if [ "$rc" -eq 0 ]; then result=ok; else result="CRASH(rc=$rc)"; fi
printf 'target\tseconds\tseeds\texecs\texecs_per_s\tcorpus\tcov\tresult\n'
printf 'parse\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$took" "$n" "${execs:-?}" "${rate:-?}" \
    "$ncorpus" "${cov:-?}" "$result"
[ "$rc" -eq 0 ]
