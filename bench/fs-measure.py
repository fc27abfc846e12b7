#!/usr/bin/env python3
"""Timing and counting helper for bench/fs.sh.

    fs-measure.py --runs N --work DIR --tree TREE NAME=COMMAND [NAME=COMMAND ...]

Runs every COMMAND (a shell command line) N times, interleaved (run 1 of every tool, then run 2,
...), under `/usr/bin/time -v`. In COMMAND, `{fresh}` is a new empty directory per run (removed
afterwards; XDG_CACHE_HOME points into it) and `{out}` is DIR/NAME.cdx.json, the CycloneDX SBOM
the command must write. Wall time is time.perf_counter() around the child; CPU is user + system
and RSS the peak of any one process, both from `/usr/bin/time -v`.

Prints per tool the median wall, CPU and peak RSS, the packages of the last SBOM (components
with a purl, distinct purls, and per lockfile / package type), the ratio of the first tool's
median wall time to the second's, and writes DIR/results.tsv (one row per run).
"""
import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time


def timed(cmd, work):
    fresh = tempfile.mkdtemp(prefix="fresh-", dir=work)
    try:
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(fresh, "xdg-cache"))
        tfile = os.path.join(fresh, "time.txt")
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tfile, "sh", "-c", cmd.replace("{fresh}", fresh)],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        tv = open(tfile).read()
        if p.returncode != 0:
            raise SystemExit(f"fs-measure.py: command failed ({p.returncode}): {cmd}\n{p.stderr[-3000:]}")

        def field(name):
            return float(re.search(rf"{re.escape(name)}: *([0-9.]+)", tv).group(1))

        return wall, field("User time (seconds)") + field("System time (seconds)"), \
            field("Maximum resident set size (kbytes)") / 1024.0
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def count(sbom):
    """Packages of a CycloneDX SBOM: components with a purl, distinct purls, count per package
    type, the application components (lockfiles) and how many packages carry a license."""
    d = json.load(open(sbom))
    comps = d.get("components", [])
    withpurl = [c for c in comps if c.get("purl")]
    per = collections.Counter()
    for c in withpurl:
        props = {p.get("name"): p.get("value") for p in c.get("properties", [])}
        t = props.get("aquasecurity:trivy:PkgType") or props.get("atalaia:PkgType") \
            or c["purl"].split("/")[0]
        per[t] += 1
    apps = sorted(c.get("name", "?") for c in comps if c.get("type") == "application")
    licensed = sum(1 for c in withpurl if c.get("licenses"))
    return len(withpurl), len({c["purl"] for c in withpurl}), dict(sorted(per.items())), apps, \
        licensed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", required=True)
    ap.add_argument("--tree", required=True)
    ap.add_argument("tools", nargs="+", metavar="NAME=COMMAND")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    tools = []
    for t in a.tools:
        name, _, cmd = t.partition("=")
        tools.append((name, cmd.replace("{out}", os.path.join(a.work, name + ".cdx.json"))))
    # Warm the page cache: read every file of the tree once.
    subprocess.run(["sh", "-c", f"find '{a.tree}' -type f -print0 | xargs -0 cat > /dev/null"], check=True)
    rows = collections.defaultdict(list)
    with open(os.path.join(a.work, "results.tsv"), "w") as tsv:
        tsv.write("tool\trun\tload1\twall_s\tcpu_s\tmaxrss_mib\n")
        for r in range(1, a.runs + 1):
            for name, cmd in tools:
                load = os.getloadavg()[0]
                wall, cpu, rss = timed(cmd, a.work)
                rows[name].append((wall, cpu, rss))
                tsv.write(f"{name}\t{r}\t{load:.2f}\t{wall:.3f}\t{cpu:.3f}\t{rss:.1f}\n")
                tsv.flush()
                print(f"  run {r} {name:8} wall {wall:7.2f} s  cpu {cpu:7.2f} s  rss {rss:7.1f} MiB"
                      f"  (load {load:.2f})", flush=True)
    print()
    print(f"{'tool':10} {'wall s':>8} {'cpu s':>8} {'rss MiB':>8} {'pkgs':>7} {'purls':>7} {'w/lic':>7}  per type / apps")
    med = {}
    for name, _ in tools:
        w = statistics.median(x[0] for x in rows[name])
        c = statistics.median(x[1] for x in rows[name])
        m = statistics.median(x[2] for x in rows[name])
        med[name] = w
        n, u, per, apps, lic = count(os.path.join(a.work, name + ".cdx.json"))
        print(f"{name:10} {w:8.2f} {c:8.2f} {m:8.1f} {n:7} {u:7} {lic:7}  {per} {apps}")
    if len(tools) >= 2:
        (a1, _), (b1, _) = tools[0], tools[1]
        ratio = med[a1] / med[b1]
        print(f"\nwall-time ratio {a1}/{b1} (median of {a.runs}): {ratio:.3f}  target <= 0.3: "
              f"{'PASS' if ratio <= 0.3 else 'FAIL'}")


if __name__ == "__main__":
    main()
