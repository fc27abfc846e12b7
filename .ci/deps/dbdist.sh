#!/usr/bin/env bash
# A real OCI registry for atalaia-dbdist's and the CLI's `db push`/`db update` tests: Debian's
# `docker-registry` (distribution v2) and `htpasswd` (apache2-utils, for bcrypt `-B` entries).
# Idempotent; runs as root on Debian 12.
set -euo pipefail

if ! command -v docker-registry >/dev/null 2>&1 || ! command -v htpasswd >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends docker-registry apache2-utils >/dev/null
fi
# The package enables a system service on :5000; the tests start their own registries.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
    systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
command -v docker-registry >/dev/null
command -v htpasswd >/dev/null
