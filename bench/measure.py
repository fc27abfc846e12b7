#!/usr/bin/env python3
"""Measurement helper for bench/image.sh.

Subcommands
  largest LAYOUT                 print the ref of the image with the most layer bytes
                                 (compressed) in an OCI layout
  layers LAYOUT REF              print "MEDIATYPE<TAB>BLOB_PATH" for each layer of REF
  run --results TSV --image I --tool T --runs N [--index K] [--output FILE] -- CMD...
                                 run CMD N times under `/usr/bin/time -v`; append one
                                 row per run to TSV. In CMD (and --output), `{fresh}` is
                                 replaced by a new empty directory per run (removed
                                 afterwards) and `{out}` by the --output path.
                                 XDG_CACHE_HOME points into {fresh} during the run.
  report TSV                     print the table (medians) and the ratios per image

Wall time is taken with time.perf_counter() around the `/usr/bin/time` child (ms
resolution); user/system CPU and the peak RSS come from `/usr/bin/time -v` (GNU
time: the peak is the largest RSS of any single process of the command).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TIME = "/usr/bin/time"
REF_KEY = "org.opencontainers.image.ref.name"
INDEX_TYPES = ("application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json")


def die(msg):
    print(f"measure.py: {msg}", file=sys.stderr)
    sys.exit(2)


def blob_path(layout, digest):
    algo, _, hexd = digest.partition(":")
    return os.path.join(layout, "blobs", algo, hexd)


def load_json(path):
    try:
        with open(path, "rb") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        die(f"cannot read {path}: {e}")


def manifests(layout):
    """(ref, manifest dict) for every tagged image manifest of the layout's index.json."""
    idx = load_json(os.path.join(layout, "index.json"))
    out = []
    for d in idx.get("manifests", []):
        ref = (d.get("annotations") or {}).get(REF_KEY)
        if d.get("mediaType") in INDEX_TYPES:
            continue
        m = load_json(blob_path(layout, d["digest"]))
        out.append((ref, m))
    return out


def cmd_largest(a):
    best = None
    for ref, m in manifests(a.layout):
        if ref is None:
            continue
        size = sum(l.get("size", 0) for l in m.get("layers", []))
        if best is None or size > best[1]:
            best = (ref, size)
    if best is None:
        die(f"no tagged image in {a.layout}")
    print(best[0])


def cmd_layers(a):
    for ref, m in manifests(a.layout):
        if ref == a.ref:
            for l in m.get("layers", []):
                p = blob_path(a.layout, l["digest"])
                if not os.path.isfile(p):
                    die(f"layer blob missing: {p}")
                print(f"{l.get('mediaType', '')}\t{os.path.abspath(p)}")
            return
    die(f"no image tagged {a.ref!r} in {a.layout}")


def parse_time_v(path):
    vals = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            k, sep, v = line.strip().rpartition(": ")
            if sep:
                vals[k] = v
    try:
        return {
            "user_s": float(vals["User time (seconds)"]),
            "sys_s": float(vals["System time (seconds)"]),
            "maxrss_kb": int(vals["Maximum resident set size (kbytes)"]),
            "exit": int(vals.get("Exit status", "0")),
        }
    except (KeyError, ValueError) as e:
        die(f"unexpected /usr/bin/time -v output in {path}: missing {e}")


def count_components(path):
    """Number of CycloneDX components with a purl (recursively), or '' if unreadable."""
    try:
        with open(path, "rb") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return ""
    n = 0
    stack = list(doc.get("components", []) or [])
    while stack:
        c = stack.pop()
        if c.get("purl"):
            n += 1
        stack.extend(c.get("components", []) or [])
    return str(n)


def cmd_run(a):
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        die("run: no command")
    logdir = os.path.dirname(os.path.abspath(a.results))
    new_file = not os.path.exists(a.results)
    with open(a.results, "a", encoding="utf-8") as res:
        if new_file:
            res.write("image\ttool\trun\twall_s\tuser_s\tsys_s\tmaxrss_kb\tcomponents\tload1\tcommand\n")
        for i in range(a.index - 1, a.index - 1 + a.runs):
            fresh = tempfile.mkdtemp(prefix="run-", dir=a.scratch)
            out = (a.output or "").replace("{fresh}", fresh)
            argv = [x.replace("{fresh}", fresh).replace("{out}", out) for x in cmd]
            tfile = os.path.join(fresh, ".time-v")
            log = os.path.join(logdir, f"{a.image}.{a.tool}.run{i + 1}.log")
            env = dict(os.environ, XDG_CACHE_HOME=os.path.join(fresh, ".xdg-cache"))
            if out and os.path.exists(out):
                os.remove(out)
            with open("/proc/loadavg", encoding="ascii") as la:
                load1 = la.read().split()[0]
            with open(log, "wb") as lf:
                t0 = time.perf_counter()
                p = subprocess.run([TIME, "-v", "-o", tfile] + argv, stdout=lf, stderr=lf, env=env,
                                   preexec_fn=(lambda: os.nice(a.nice)) if a.nice else None)
                wall = time.perf_counter() - t0
            if p.returncode != 0:
                with open(log, "rb") as lf:
                    tail = lf.read()[-3000:].decode("utf-8", "replace")
                shutil.rmtree(fresh, ignore_errors=True)
                die(f"{a.tool} on {a.image} failed (exit {p.returncode}): {' '.join(argv)}\n--- {log} (tail)\n{tail}")
            t = parse_time_v(tfile)
            comps = ""
            if out:
                if not os.path.isfile(out) or os.path.getsize(out) == 0:
                    shutil.rmtree(fresh, ignore_errors=True)
                    die(f"{a.tool} on {a.image} wrote no output file {out}")
                comps = count_components(out)
                shutil.copyfile(out, os.path.join(logdir, f"{a.image}.{a.tool}.cdx.json"))
            shutil.rmtree(fresh, ignore_errors=True)
            res.write(f"{a.image}\t{a.tool}\t{i + 1}\t{wall:.4f}\t{t['user_s']:.2f}\t{t['sys_s']:.2f}\t"
                      f"{t['maxrss_kb']}\t{comps}\t{load1}\t{' '.join(argv)}\n")
            res.flush()
            print(f"  {a.image:<22} {a.tool:<16} run {i + 1}: wall {wall:7.3f} s  "
                  f"cpu {t['user_s'] + t['sys_s']:7.2f} s  rss {t['maxrss_kb'] / 1024:8.1f} MiB"
                  + (f"  components {comps}" if comps else "") + f"  (load {load1})", file=sys.stderr)


def cmd_report(a):
    rows = {}
    order = []
    with open(a.results, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            key = (r["image"], r["tool"])
            if key not in rows:
                rows[key] = []
                order.append(key)
            rows[key].append(r)

    def med(rs, k):
        return statistics.median(float(r[k]) for r in rs)

    images = []
    for img, _ in order:
        if img not in images:
            images.append(img)
    out = []
    for img in images:
        stats = {}
        for (i2, tool) in order:
            if i2 != img:
                continue
            rs = rows[(i2, tool)]
            stats[tool] = {
                "runs": len(rs),
                "wall": med(rs, "wall_s"),
                "cpu": statistics.median(float(r["user_s"]) + float(r["sys_s"]) for r in rs),
                "rss": med(rs, "maxrss_kb") / 1024,
                "comps": rs[-1].get("components", ""),
                "load": statistics.median(float(r.get("load1") or 0) for r in rs),
            }
        floors = {t: s for t, s in stats.items() if t.startswith("floor:")}
        best_floor = min(floors, key=lambda t: floors[t]["wall"]) if floors else None
        out.append(f"\n== {img} ==")
        out.append(f"{'tool':<20} {'runs':>4} {'wall s (median)':>16} {'cpu s (user+sys)':>17} "
                   f"{'peak RSS MiB':>13} {'components':>10} {'load1':>6}")
        for tool, s in stats.items():
            mark = "  <- floor (fastest plain decompression)" if tool == best_floor else ""
            out.append(f"{tool:<20} {s['runs']:>4} {s['wall']:>16.3f} {s['cpu']:>17.2f} {s['rss']:>13.1f} "
                       f"{s['comps'] or '-':>10} {s['load']:>6.2f}{mark}")
        tr = stats.get("trivy")

        # Per-run ratios: run r of one command against run r of another (interleaved, so taken
        # at about the same load); best, median and worst over the runs.
        def per_run(num, den):
            a = {r["run"]: float(r["wall_s"]) for r in rows.get((img, num), [])}
            b = {r["run"]: float(r["wall_s"]) for r in rows.get((img, den), [])}
            return sorted(a[k] / b[k] for k in a if k in b and b[k] > 0)

        for name in ("atalaia", "atalaia-baseline"):
            at = stats.get(name)
            if not at:
                continue
            if tr:
                r = at["wall"] / tr["wall"]
                out.append(f"{name} / trivy   wall {r:.3f}x  (target <= 0.5: {'PASS' if r <= 0.5 else 'FAIL'})"
                           f"   cpu {at['cpu'] / tr['cpu']:.3f}x   peak RSS {at['rss'] / tr['rss']:.3f}x")
            if best_floor:
                r = at["wall"] / floors[best_floor]["wall"]
                out.append(f"{name} / floor   wall {r:.3f}x  vs {best_floor} (target <= 1.5: "
                           f"{'PASS' if r <= 1.5 else 'FAIL'})   cpu {at['cpu'] / floors[best_floor]['cpu']:.3f}x")
                others = ", ".join(f"{t[6:]} {at['wall'] / s['wall']:.2f}x" for t, s in floors.items() if t != best_floor)
                if others:
                    out.append(f"                  (vs other decompressors: {others})")
                # Whatever the load, a command cannot finish faster than its CPU time spread over
                # every core: on an idle machine this is the least wall time it can take.
                ncpu = os.cpu_count() or 1
                out.append(f"{name} cpu / {ncpu} CPUs = {at['cpu'] / ncpu:.3f} s: the least wall time it "
                           "can take on this machine, even idle")
            for den, label, target in (("trivy", "trivy", 0.5), (best_floor, "floor", 1.5)):
                rs = per_run(name, den) if den else []
                if len(rs) > 1:
                    out.append(f"per run: {name} / {label:<6} best {rs[0]:.3f}x  median {statistics.median(rs):.3f}x"
                               f"  worst {rs[-1]:.3f}x  over {len(rs)} runs (target <= {target})")
        if stats.get("atalaia") and stats.get("atalaia-baseline"):
            a, b = stats["atalaia"], stats["atalaia-baseline"]
            rs = per_run("atalaia", "atalaia-baseline")
            out.append(f"atalaia / atalaia-baseline   wall {a['wall'] / b['wall']:.3f}x   cpu {a['cpu'] / b['cpu']:.3f}x"
                       + (f"   per run best {rs[0]:.3f}x median {statistics.median(rs):.3f}x" if rs else ""))
        if tr and best_floor:
            out.append(f"trivy / floor     wall {tr['wall'] / floors[best_floor]['wall']:.3f}x"
                       f"   cpu {tr['cpu'] / floors[best_floor]['cpu']:.3f}x")
        load = max(s["load"] for s in stats.values())
        ncpu = os.cpu_count() or 1
        if load > ncpu * 0.75:
            out.append(f"WARNING: the machine was busy (1-minute load up to {load:.1f} on {ncpu} CPUs): "
                       "wall times are inflated and noisy; the CPU times are the more reliable comparison.")
    print("\n".join(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="sub", required=True)
    p = sub.add_parser("largest")
    p.add_argument("layout")
    p.set_defaults(fn=cmd_largest)
    p = sub.add_parser("layers")
    p.add_argument("layout")
    p.add_argument("ref")
    p.set_defaults(fn=cmd_layers)
    p = sub.add_parser("run")
    p.add_argument("--results", required=True)
    p.add_argument("--image", required=True)
    p.add_argument("--tool", required=True)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--index", type=int, default=1, help="number of the first run (for interleaved runs)")
    p.add_argument("--output", default="")
    p.add_argument("--scratch", default=None, help="where the per-run {fresh} directories go")
    p.add_argument("--nice", type=int, default=0, help="run the command with this niceness increment")
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    p.set_defaults(fn=cmd_run)
    p = sub.add_parser("report")
    p.add_argument("results")
    p.set_defaults(fn=cmd_report)
    a = ap.parse_args()
    if a.sub == "run" and not os.access(TIME, os.X_OK):
        die(f"{TIME} not found (apt-get install time)")
    if a.sub == "run" and a.nice < 0 and os.geteuid() != 0:
        die("--nice below 0 needs root")
    a.fn(a)


if __name__ == "__main__":
    main()
