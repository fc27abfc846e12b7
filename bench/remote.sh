#!/usr/bin/env bash
# Benchmark: first vs second scan of a corpus image pulled from a local registry (Debian
# `docker-registry`, TLS + htpasswd) with a fresh layer cache; the second scan fetches only the
# manifest and config. Prints the median times and the ratio (target >= 10x).
#
# Usage: bench/remote.sh [OCI_REF] [RUNS]   (default: python-app 3)
# Needs: docker-registry, htpasswd (.ci/deps/dbdist.sh), skopeo (.ci/deps/daemon.sh).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
cd "$ROOT"
PROFILE=${PROFILE:-release}
if [ "$PROFILE" = release ]; then
  cargo run --quiet --release -p atalaia-remote --example remote_bench -- "${1:-python-app}" "${2:-3}"
else
  cargo run --quiet -p atalaia-remote --example remote_bench -- "${1:-python-app}" "${2:-3}"
fi
