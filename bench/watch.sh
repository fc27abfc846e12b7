#!/usr/bin/env bash
# Issue #10, acceptance 3: the re-match of 1,000 stored inventories after a vulnerability database
# change (no rescan) should take under 2 s. Builds the database from $ATALAIA_SHARED/vulndata,
# stores 1,000 varied corpus inventories in a watch state, changes the database identity and
# times the run. Usage: bench/watch.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo run --quiet --release -p atalaia-watch --example rematch_bench -- "${1:-1000}"
