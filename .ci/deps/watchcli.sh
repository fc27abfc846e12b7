#!/usr/bin/env bash
# `atalaia watch` / `atalaia host` CLI tests (crates/atalaia-cli/tests/it/{watch,host_podman}.rs):
# `kill` (procps) sends SIGTERM to a running watch, `setpriv` (util-linux) runs it as `nobody`
# against a denied socket. The engines themselves (dockerd, podman, skopeo) come from daemon.sh.
# Idempotent; runs as root on Debian 12.
set -euo pipefail

need=()
[ -x /usr/bin/kill ] || [ -x /bin/kill ] || need+=(procps)
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
if [ "${#need[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v setpriv >/dev/null
{ [ -x /usr/bin/kill ] || [ -x /bin/kill ]; }
