#!/usr/bin/env bash
# Peers for atalaia-version's differential tests: dpkg (python3-apt), rpm (python3-rpm),
# pypa/packaging (PyPI), npm's `semver` and Maven's maven-artifact. Idempotent; runs as root on Debian 12.
set -euo pipefail

need_apt=()
command -v dpkg >/dev/null 2>&1 || need_apt+=(dpkg)
/usr/bin/python3 -c 'import apt_pkg' >/dev/null 2>&1 || need_apt+=(python3-apt)
/usr/bin/python3 -c 'import rpm' >/dev/null 2>&1 || need_apt+=(python3-rpm)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# Maven's own ComparableVersion (maven-artifact), run from a single-file Java program.
[ -f /usr/share/maven/lib/maven-artifact-3.x.jar ] || need_apt+=(maven)
command -v javac >/dev/null 2>&1 || need_apt+=(default-jdk-headless)
if ((${#need_apt[@]})); then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# pypa/packaging for the interpreter the tests call (`python3` on PATH).
if ! python3 -c 'import packaging.version' >/dev/null 2>&1; then
    if ! python3 -m pip install --quiet --disable-pip-version-check packaging >/dev/null 2>&1; then
        # An externally managed system Python: take Debian's build of packaging instead.
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends python3-packaging >/dev/null
    fi
fi

# npm's semver in a fixed prefix the tests know about.
prefix=/opt/atalaia-peers/npm
if [ ! -f "$prefix/node_modules/semver/package.json" ]; then
    mkdir -p "$prefix"
    npm install --silent --no-audit --no-fund --prefix "$prefix" semver@7 >/dev/null
fi
