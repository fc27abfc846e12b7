#!/usr/bin/env bash
# containerd and `ctr` for atalaia-containerd's tests (Debian `containerd`, which `docker.io`
# depends on, so .ci/deps/daemon.sh usually installed it already). Idempotent; runs as root on
# Debian 12. The tests start their own containerd on a temporary socket; the system service the
# package enables is stopped.
set -euo pipefail

if ! command -v containerd >/dev/null 2>&1 || ! command -v ctr >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends containerd >/dev/null
fi
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet containerd.service 2>/dev/null; then
    systemctl disable --now containerd.service >/dev/null 2>&1 || true
fi
command -v containerd >/dev/null
command -v ctr >/dev/null
