#!/usr/bin/env bash
# `atalaia image NAME --image-src remote` tests (atalaia-remote, atalaia-cli `image_remote`): a
# real registry (Debian `docker-registry`, distribution 2.8), `htpasswd` (apache2-utils, bcrypt
# entries) and `skopeo` to push corpus images. Idempotent; runs as root on Debian 12.
set -euo pipefail

need=()
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
if [ "${#need[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The package enables a system service on :5000; the tests start their own registries.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
    systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
command -v docker-registry >/dev/null
command -v htpasswd >/dev/null
command -v skopeo >/dev/null
