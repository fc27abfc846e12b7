#!/usr/bin/env python3
"""Generates the project tree for bench/fs.sh (deterministic: same arguments, same bytes).

    fs-gen.py OUT [--packages N] [--pnpm N]

OUT/                         a yarn v1 project
  package.json               ~300 direct dependencies
  yarn.lock                  one entry per installed name@version (>= 16,000 entries)
  node_modules/**/package.json
                             >= 20,000 installed packages (hoisted copies at the top level,
                             conflicting versions nested under their dependents, ~12% scoped
                             names, a few three levels deep), each with name, version, license,
                             description, author, repository, main and dependencies, plus an
                             index.js; one in ten has a LICENSE file
  apps/web/package.json      a pnpm workspace member without node_modules
  apps/web/pnpm-lock.yaml    lockfile v9 with --pnpm packages (default 4,000)

Every package is reachable from the root's dependencies, and every dependency range `^V` is
satisfied by exactly the version V the lockfile resolves it to, so both scanners see one
consistent graph.
"""
import argparse
import hashlib
import base64
import json
import os
import random
import shutil

LICENSES = ["MIT"] * 12 + ["ISC"] * 4 + ["Apache-2.0"] * 2 + ["BSD-3-Clause", "BSD-2-Clause", "0BSD"]
SYL = ["ba", "ko", "ri", "zen", "lo", "mar", "tu", "vex", "sil", "pra", "dun", "qui", "fo", "ly",
       "nex", "tor", "gal", "mi", "rho", "sta", "cle", "bry", "den", "wu", "ja", "pel", "os", "ix"]
WORDS = ["parser", "utils", "core", "plugin", "loader", "cli", "config", "stream", "async", "fs",
         "types", "polyfill", "http", "json", "color", "path", "glob", "cache", "event", "string"]
SCOPES = ["@babel", "@types", "@jest", "@aws-sdk", "@smithy", "@rollup", "@esbuild", "@vue",
          "@octokit", "@sentry"]


def integrity(name, version):
    h = hashlib.sha512(f"{name}@{version}".encode()).digest()
    return "sha512-" + base64.b64encode(h).decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--packages", type=int, default=12600)
    ap.add_argument("--pnpm", type=int, default=4000)
    a = ap.parse_args()
    rnd = random.Random(4)

    # Package names, unique, ~12% scoped.
    names, seen = [], set()
    while len(names) < a.packages:
        base = "".join(rnd.choice(SYL) for _ in range(rnd.randint(2, 3)))
        name = base + "-" + rnd.choice(WORDS) if rnd.random() < 0.5 else base
        if rnd.random() < 0.12:
            name = rnd.choice(SCOPES) + "/" + name
        if name not in seen:
            seen.add(name)
            names.append(name)
    # Versions: the first is hoisted to node_modules/, the others are nested.
    versions = []
    for _ in names:
        n = 1 if rnd.random() < 0.62 else (2 if rnd.random() < 0.8 else 3)
        vs = set()
        while len(vs) < n:
            vs.add(f"{rnd.randint(0, 9)}.{rnd.randint(0, 30)}.{rnd.randint(0, 20)}")
        versions.append(sorted(vs))
    # deps[(i, v)] = {j: version}; root depends on the first 300 packages.
    deps = {(i, v): {} for i in range(len(names)) for v in versions[i]}
    direct = 300
    for j in range(direct, len(names)):
        # Some earlier package depends on the hoisted version (so everything is reachable).
        i = rnd.randrange(max(0, j - 600), j)
        deps[(i, versions[i][0])][j] = versions[j][0]
    for (i, v), d in deps.items():
        for _ in range(rnd.randint(0, 2)):
            j = rnd.randrange(len(names))
            if j > i and j not in d:
                d[j] = versions[j][0]
    # Nested copies: a non-hoisted version is installed under 1-3 hoisted dependents.
    nested = []  # (parent index, child index, child version)
    placed = set()  # (parent, child): one nested copy of a package per parent
    for j in range(len(names)):
        for v in versions[j][1:]:
            parents = set()
            for _ in range(rnd.randint(1, 3)):
                i = rnd.randrange(max(0, j - 800), j) if j > 0 else None
                if i is None or i in parents or (i, j) in placed:
                    continue
                placed.add((i, j))
                parents.add(i)
                deps[(i, versions[i][0])][j] = v
                nested.append((i, j, v))
    if not nested:
        raise SystemExit("no nested packages")

    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    os.makedirs(a.out)

    def manifest(i, v):
        name = names[i]
        bare = name.split("/")[-1]
        m = {
            "name": name,
            "version": v,
            "description": f"{bare.replace('-', ' ')} for the generated benchmark tree",
            "main": "index.js",
            "license": LICENSES[(i * 7 + len(v)) % len(LICENSES)],
            "author": f"{bare.split('-')[0].title()} Dev <dev@{bare.split('-')[0]}.example>",
            "repository": {"type": "git", "url": f"git+https://github.com/example/{bare}.git"},
            "keywords": [w for w in WORDS if w in name][:3] or ["js"],
            "dependencies": {names[j]: "^" + dv for j, dv in sorted(deps[(i, v)].items())},
            "engines": {"node": ">=14"},
        }
        if not m["dependencies"]:
            del m["dependencies"]
        return m

    count = 0

    def install(d, i, v):
        nonlocal count
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "package.json"), "w") as f:
            json.dump(manifest(i, v), f, indent=2)
            f.write("\n")
        with open(os.path.join(d, "index.js"), "w") as f:
            f.write(f"'use strict';\nmodule.exports = function () {{ return '{names[i]}@{v}'; }};\n")
        if i % 10 == 0:
            with open(os.path.join(d, "LICENSE"), "w") as f:
                f.write(f"{manifest(i, v)['license']} License\n\nCopyright (c) 2024 example\n")
        count += 1

    nm = os.path.join(a.out, "node_modules")
    for i, name in enumerate(names):
        install(os.path.join(nm, name), i, versions[i][0])
    deep = 0
    for i, j, v in nested:
        d = os.path.join(nm, names[i], "node_modules", names[j])
        install(d, j, v)
        # A few nested copies carry their own nested dependency (three levels deep).
        if rnd.random() < 0.05 and j + 1 < len(names):
            k = j + 1
            kv = versions[k][-1]
            deps[(j, v)][k] = kv
            install(d, j, v)  # rewrite with the new dependency
            count -= 1
            install(os.path.join(d, "node_modules", names[k]), k, kv)
            deep += 1

    root = {
        "name": "bench-app",
        "version": "1.0.0",
        "private": True,
        "license": "UNLICENSED",
        "dependencies": {names[i]: "^" + versions[i][0] for i in range(direct)},
    }
    with open(os.path.join(a.out, "package.json"), "w") as f:
        json.dump(root, f, indent=2)
        f.write("\n")

    # yarn.lock v1: one entry per name@version, keyed by every range that resolves to it.
    ranges = {}
    for i in range(direct):
        ranges.setdefault((i, versions[i][0]), set()).add("^" + versions[i][0])
    for (i, v), d in deps.items():
        for j, dv in d.items():
            ranges.setdefault((j, dv), set()).add("^" + dv)
    lines = ["# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.",
             "# yarn lockfile v1", ""]
    entries = sorted(ranges, key=lambda k: (names[k[0]], k[1]))
    for (i, v) in entries:
        name = names[i]
        keys = ", ".join(f'"{name}@{r}"' if name.startswith("@") else f"{name}@{r}"
                         for r in sorted(ranges[(i, v)]))
        tar = name.split("/")[-1]
        lines.append(f"{keys}:")
        lines.append(f'  version "{v}"')
        lines.append(f'  resolved "https://registry.yarnpkg.com/{name}/-/{tar}-{v}.tgz#'
                     f'{hashlib.sha1((name + v).encode()).hexdigest()}"')
        lines.append(f"  integrity {integrity(name, v)}")
        d = deps[(i, v)]
        if d:
            lines.append("  dependencies:")
            for j, dv in sorted(d.items(), key=lambda kv: names[kv[0]]):
                dn = names[j]
                dn = f'"{dn}"' if dn.startswith("@") else dn
                lines.append(f'    {dn} "^{dv}"')
        lines.append("")
    with open(os.path.join(a.out, "yarn.lock"), "w") as f:
        f.write("\n".join(lines))

    # apps/web: pnpm-lock.yaml v9 over the first --pnpm hoisted packages (closed under deps).
    web = os.path.join(a.out, "apps", "web")
    os.makedirs(web)
    keep, todo = set(), list(range(min(50, len(names))))
    while todo and len(keep) < a.pnpm:
        i = todo.pop(0)
        if i in keep:
            continue
        keep.add(i)
        todo.extend(j for j in deps[(i, versions[i][0])] if j not in keep)
    # Closure: drop edges to packages outside `keep` (the cap may cut the walk short).
    pdeps = {i: {j: versions[j][0] for j in deps[(i, versions[i][0])] if j in keep} for i in keep}
    webdirect = sorted(keep)[:50]
    with open(os.path.join(web, "package.json"), "w") as f:
        json.dump({"name": "web", "version": "0.1.0", "private": True,
                   "dependencies": {names[i]: "^" + versions[i][0] for i in webdirect}}, f, indent=2)
        f.write("\n")

    def q(s):
        return f"'{s}'" if s.startswith("@") or ":" in s else s

    out = ["lockfileVersion: '9.0'", "", "settings:", "  autoInstallPeers: true",
           "  excludeLinksFromLockfile: false", "", "importers:", "", "  .:", "    dependencies:"]
    for i in webdirect:
        out += [f"      {q(names[i])}:", f"        specifier: ^{versions[i][0]}",
                f"        version: {versions[i][0]}"]
    out += ["", "packages:", ""]
    for i in sorted(keep, key=lambda i: names[i]):
        out += [f"  {q(names[i] + '@' + versions[i][0])}:",
                f"    resolution: {{integrity: {integrity(names[i], versions[i][0])}}}",
                "    engines: {node: '>=14'}", ""]
    out += ["snapshots:", ""]
    for i in sorted(keep, key=lambda i: names[i]):
        out.append(f"  {q(names[i] + '@' + versions[i][0])}:" + ("" if pdeps[i] else " {}"))
        if pdeps[i]:
            out.append("    dependencies:")
            for j, dv in sorted(pdeps[i].items(), key=lambda kv: names[kv[0]]):
                out.append(f"      {q(names[j])}: {dv}")
        out.append("")
    with open(os.path.join(web, "pnpm-lock.yaml"), "w") as f:
        f.write("\n".join(out))

    print(json.dumps({"node_modules_package_json": count, "three_deep": deep,
                      "yarn_lock_entries": len(entries), "pnpm_packages": len(keep),
                      "distinct_names": len(names)}))


if __name__ == "__main__":
    main()
