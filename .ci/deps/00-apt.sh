#!/usr/bin/env bash
# Refresh apt's package lists once, so the other install scripts can `apt-get install`.
set -euo pipefail
stamp=/var/lib/apt/periodic/atalaia-ci-update
if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +360 2>/dev/null)" ]; then
  apt-get update -qq
  mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi
