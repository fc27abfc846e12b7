#!/usr/bin/env bash
# Official SBOM validators for atalaia-sbom's schema tests: cyclonedx-python-lib (with the JSON
# schema extra) and spdx-tools, for the `python3` on PATH. Idempotent; runs as root on Debian 12.
set -euo pipefail

check='import cyclonedx.validation.json, jsonschema, spdx_tools.spdx.parser.parse_anything'
if ! python3 -c "$check" >/dev/null 2>&1; then
    if ! python3 -m pip --version >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
    fi
    pkgs=('cyclonedx-python-lib[json-validation]' spdx-tools)
    # Debian's own python3 is "externally managed" (PEP 668); pyenv and venv interpreters are not.
    python3 -m pip install --quiet --disable-pip-version-check "${pkgs[@]}" 2>/dev/null ||
        python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${pkgs[@]}"
    python3 -c "$check"
fi
