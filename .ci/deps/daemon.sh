#!/usr/bin/env bash
# Real container engines for atalaia-daemon's tests: Debian's `docker.io` (dockerd, containerd,
# runc and the docker CLI), `skopeo` (OCI layout → docker-archive for `docker load`) and `podman`
# (its Docker-compatible API service). Idempotent; runs as root on Debian 12. The tests start their
# own daemons on temporary sockets; the system services the packages enable are stopped.
set -euo pipefail

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
[ -x /usr/bin/docker ] || need+=(docker.io)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v podman >/dev/null 2>&1 || need+=(podman)
if [ "${#need[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if command -v systemctl >/dev/null 2>&1; then
    for unit in docker.service docker.socket containerd.service podman.socket; do
        if systemctl is-active --quiet "$unit" 2>/dev/null; then
            systemctl disable --now "$unit" >/dev/null 2>&1 || true
        fi
    done
fi
command -v dockerd >/dev/null
command -v containerd >/dev/null
command -v skopeo >/dev/null
command -v podman >/dev/null
