#!/usr/bin/env bash
# Validators for atalaia-report's format tests: the SARIF 2.1.0 JSON schema (shipped in the npm
# package @microsoft/jest-sarif as `sarif-2.1.0-rtm.5.json`, the final 2.1.0 schema) and
# python `jsonschema` to apply it. Idempotent; runs as root on Debian 12.
set -euo pipefail

dest=/usr/local/share/atalaia-ci
schema="$dest/sarif-schema-2.1.0.json"
pkg='@microsoft/jest-sarif@1.0.0-beta.0'

if [ ! -s "$schema" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends npm >/dev/null
    fi
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
    tar -xzf "$tmp"/microsoft-jest-sarif-*.tgz -C "$tmp" package/lib/schemas/sarif-2.1.0-rtm.5.json
    mkdir -p "$dest"
    cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$schema.tmp"
    mv "$schema.tmp" "$schema"
fi

if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then
    if ! python3 -m pip --version >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
    fi
    python3 -m pip install --quiet --disable-pip-version-check jsonschema 2>/dev/null ||
        python3 -m pip install --quiet --disable-pip-version-check --break-system-packages jsonschema
    python3 -c 'import jsonschema'
fi
