#!/usr/bin/env bash
# Benchmark: first vs second scan of a corpus image pulled from a local registry (Debian
# `docker-registry`, TLS + htpasswd) with a fresh layer cache; the second scan fetches only the
# manifest and config and takes the merged result from the image-level cache. Prints the median
# times and the ratio (target >= 10x), for the library and for whole
# `atalaia image NAME --image-src remote` processes (whose two reports must be equal).
#
# Usage: bench/remote.sh [OCI_REF] [RUNS]   (default: python-app 3)
# Needs: docker-registry, htpasswd (.ci/deps/dbdist.sh), skopeo (.ci/deps/daemon.sh).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
cd "$ROOT"
PROFILE=${PROFILE:-release}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
if [ "$PROFILE" = release ]; then
  cargo build --quiet --release -p atalaia-cli
  ATALAIA_BIN="$TARGET/release/atalaia" \
    cargo run --quiet --release -p atalaia-remote --example remote_bench -- "${1:-python-app}" "${2:-3}"
else
  cargo build --quiet -p atalaia-cli
  ATALAIA_BIN="$TARGET/debug/atalaia" \
    cargo run --quiet -p atalaia-remote --example remote_bench -- "${1:-python-app}" "${2:-3}"
fi
