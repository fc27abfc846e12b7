#!/usr/bin/env bash
# ISA-L for atalaia-artifact's gzip inflate (cargo feature `isal`, on by default): libisal-dev to
# build (header + libisal.so), libisal2 to run; `isal` gives the `igzip` tool that bench/image.sh
# times as the decompression floor. pkg-config lets build.rs find a non-system install.
set -euo pipefail
missing=()
for p in libisal-dev libisal2 isal pkg-config; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ] || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
