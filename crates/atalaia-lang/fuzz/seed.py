#!/usr/bin/env python3
"""Builds one seed corpus per LangFile kind: OUT/<Kind>/<sha1>.

Seeds come from (1) the fixture files of tests/data and ../shared/corpus/inputs that a kind reads
(by file name), (2) the string literals of the kind's parser module (its unit-test fixtures,
decoded from Rust escapes) and (3) a few synthesized archives and ELF files for the binary kinds.
Deterministic; reads the shared corpus in place and writes only under OUT.
"""
import hashlib
import io
import os
import re
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)
SHARED = os.environ.get("ATALAIA_SHARED", "/work/shared")

# File names of fixtures, per kind (the subset of `classify` that the fixtures use).
BY_NAME = {
    "poetry.lock": "PoetryLock", "Pipfile.lock": "PipfileLock", "package.json": "NodePkg",
    "package-lock.json": "NpmLock", "yarn.lock": "YarnLock", "go.mod": "GoMod",
    "Cargo.lock": "CargoLock", "Gemfile.lock": "GemfileLock", "composer.lock": "ComposerLock",
    "uv.lock": "UvLock", "pdm.lock": "PdmLock", "pnpm-lock.yaml": "PnpmLock",
    "deno.lock": "DenoLock", "packages.lock.json": "NugetLock", "pubspec.lock": "PubspecLock",
    "Package.resolved": "SwiftResolved", "Podfile.lock": "PodfileLock", "conan.lock": "ConanLock",
    "mix.lock": "MixLock", "rebar.lock": "RebarLock", "Manifest.toml": "JuliaManifest",
    ".terraform.lock.hcl": "TerraformLock", "pylock.toml": "Pylock", "bun.lock": "BunLock",
    "gradle.lockfile": "GradleLock", "build.sbt.lock": "SbtLock",
    "packages.config": "PackagesConfig", "environment.yml": "CondaEnvironment", "pom.xml": "Pom",
    "requirements.txt": "PipRequirements",
}

LITERAL = re.compile(r'b?r(#*)"(.*?)"\1|b?"((?:[^"\\]|\\.)*)"', re.S)


def unescape(s):
    """Decodes the escapes of a (non-raw) Rust string literal."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = s[i + 1] if i + 1 < len(s) else ""
        i += 2
        if n == "n":
            out.append("\n")
        elif n == "t":
            out.append("\t")
        elif n == "r":
            out.append("\r")
        elif n == "0":
            out.append("\0")
        elif n == "x":
            out.append(chr(int(s[i:i + 2], 16)))
            i += 2
        elif n == "u":
            j = s.index("}", i)
            out.append(chr(int(s[i + 1:j], 16)))
            i = j + 1
        elif n == "\n":  # line continuation: skip leading whitespace of the next line
            while i < len(s) and s[i] in " \t\n":
                i += 1
        else:
            out.append(n)
    return "".join(out)


def modules():
    """Kind -> parser source file, from the dispatch in src/lib.rs."""
    src = open(os.path.join(CRATE, "src", "lib.rs")).read()
    res = {}
    for kind, path in re.findall(r"LangFile::(\w+) => ([\w:]+)::parse\(", src):
        parts = path.split("::")
        f = os.path.join(CRATE, "src", *parts) + ".rs"
        if not os.path.exists(f):
            f = os.path.join(CRATE, "src", *parts, "mod.rs")
        res[kind] = f
    res["Executable"] = os.path.join(CRATE, "src", "golang", "binary.rs")
    return res


def zip_bytes(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            z.writestr(info, data)
    return buf.getvalue()


def synthesized():
    manifest = b"Manifest-Version: 1.0\r\nImplementation-Title: demo\r\nImplementation-Version: 1.2.3\r\nImplementation-Vendor-Id: org.demo\r\n\r\n"
    props = b"groupId=org.demo\nartifactId=demo\nversion=1.2.3\n"
    inner = zip_bytes([("META-INF/MANIFEST.MF", manifest),
                       ("META-INF/maven/org.demo/inner/pom.properties", props.replace(b"demo\nv", b"inner\nv"))])
    yield "Jar", zip_bytes([("META-INF/MANIFEST.MF", manifest),
                            ("META-INF/maven/org.demo/demo/pom.properties", props)])
    yield "Jar", zip_bytes([("META-INF/MANIFEST.MF", manifest), ("BOOT-INF/lib/inner-1.0.jar", inner)])
    pkg_info = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nLicense: MIT\n"
    yield "PythonEgg", zip_bytes([("EGG-INFO/PKG-INFO", pkg_info)])
    yield "PythonPkg", pkg_info
    for exe in ("/bin/true", "/usr/bin/env"):
        if os.path.exists(exe):
            yield "Executable", open(exe, "rb").read()


def main():
    out = sys.argv[1]
    seeds = {}

    def add(kind, data):
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        if len(data) >= 4:
            seeds.setdefault(kind, {})[hashlib.sha1(data).hexdigest()] = data

    for root in (os.path.join(CRATE, "tests", "data"), os.path.join(SHARED, "corpus", "inputs")):
        for d, _, files in sorted(os.walk(root)):
            for f in sorted(files):
                kind = BY_NAME.get(f)
                if kind:
                    add(kind, open(os.path.join(d, f), "rb").read())
    for kind, f in sorted(modules().items()):
        text = open(f).read()
        for m in LITERAL.finditer(text):
            lit = m.group(2) if m.group(2) is not None else unescape(m.group(3))
            if len(lit) >= 8 and ("\n" in lit or any(ch in lit for ch in "{=:<")):
                add(kind, lit)
    for kind, data in synthesized():
        add(kind, data)
    for kind, files in sorted(seeds.items()):
        d = os.path.join(out, kind)
        os.makedirs(d, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as fh:
                fh.write(data)
    for kind in sorted(modules()):
        print(f"{kind}\t{len(seeds.get(kind, {}))}")


if __name__ == "__main__":
    main()
