#!/usr/bin/env python3
"""Turn root-filesystem tarballs into a layered OCI image layout (benchmark input).

Usage:
  mkimage.py --out LAYOUT_DIR --ref NAME ROOTFS1.tar ROOTFS2.tar [ROOTFS3.tar ...]

Each ROOTFS tar is a complete root filesystem (for example the output of
`mmdebstrap ... out.tar`), each one a superset of the previous one. Layer 1 is
ROOTFS1 as is; layer N (N > 1) holds what ROOTFS_N adds or changes relative to
ROOTFS_{N-1}, plus `.wh.<name>` whiteouts for what it deletes, the way `docker
build` layers look. Layers are gzipped (pigz when available, mtime 0, no name)
and written with a config (rootfs.diff_ids), a manifest and an index.json that
tags the manifest with `org.opencontainers.image.ref.name` = NAME.

Entries are normalized to relative names without a leading "./"; device nodes,
FIFOs and sockets are dropped (container /dev is empty). Output is deterministic
for identical inputs.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile

SDE = int(os.environ.get("SOURCE_DATE_EPOCH", "1735689600"))
CHUNK = 1 << 20


def norm(name):
    """Normalize a tar member name: strip leading './' and '/', trailing '/'."""
    while name.startswith("./"):
        name = name[2:]
    name = name.lstrip("/").rstrip("/")
    return "" if name == "." else name


def parent(name):
    i = name.rfind("/")
    return name[:i] if i >= 0 else ""


def keep(ti):
    return ti.isreg() or ti.isdir() or ti.issym() or ti.islnk()


def signature(tf, ti):
    """What makes two entries of the same path equal (content hash for files)."""
    if ti.isreg():
        h = hashlib.sha256()
        f = tf.extractfile(ti)
        while True:
            b = f.read(CHUNK)
            if not b:
                break
            h.update(b)
        body = h.hexdigest()
    elif ti.issym() or ti.islnk():
        body = norm(ti.linkname) if ti.islnk() else ti.linkname
    else:
        body = ""
    xattrs = tuple(sorted((k, v) for k, v in ti.pax_headers.items() if k.startswith("SCHILY.xattr.")))
    return (ti.type, ti.mode, ti.uid, ti.gid, int(ti.mtime), ti.size if ti.isreg() else 0, body, xattrs)


def index_tar(path):
    """name -> signature for every kept entry of a rootfs tar."""
    out = {}
    with tarfile.open(path, "r:") as tf:
        for ti in tf:
            n = norm(ti.name)
            if n == "" or not keep(ti):
                continue
            out[n] = signature(tf, ti)
    return out


def clean_info(ti, name):
    """A copy of ti with a normalized name and deterministic owner fields."""
    new = tarfile.TarInfo(name)
    new.type = ti.type
    new.mode = ti.mode
    new.uid = ti.uid
    new.gid = ti.gid
    new.uname = ""
    new.gname = ""
    new.mtime = min(int(ti.mtime), SDE)
    new.size = ti.size if ti.isreg() else 0
    if ti.issym():
        new.linkname = ti.linkname
    elif ti.islnk():
        new.linkname = norm(ti.linkname)
    new.pax_headers = {k: v for k, v in ti.pax_headers.items() if k.startswith("SCHILY.xattr.")}
    return new


def write_layer(src, out, wanted=None, whiteouts=()):
    """Write entries of src (all, or only names in `wanted`) plus whiteouts to out.

    Returns (entries written, uncompressed bytes of file content)."""
    count = 0
    content = 0
    pending_wh = sorted(whiteouts)
    with tarfile.open(src, "r:") as tf, tarfile.open(out, "w:", format=tarfile.PAX_FORMAT) as of:
        for ti in tf:
            n = norm(ti.name)
            if n == "" or not keep(ti):
                continue
            if wanted is not None and n not in wanted:
                continue
            new = clean_info(ti, n + "/" if ti.isdir() else n)
            if ti.isreg():
                of.addfile(new, tf.extractfile(ti))
                content += ti.size
            else:
                of.addfile(new)
            count += 1
        for w in pending_wh:
            d, b = parent(w), w.rsplit("/", 1)[-1]
            wti = tarfile.TarInfo((d + "/" if d else "") + ".wh." + b)
            wti.mode = 0o644
            wti.mtime = SDE
            wti.uname = wti.gname = ""
            of.addfile(wti)
            count += 1
    return count, content


def diff_sets(lower, upper_path):
    """Names of upper to write (changed/new + their parents + hardlink targets) and names to white out."""
    upper = {}
    links = {}
    with tarfile.open(upper_path, "r:") as tf:
        for ti in tf:
            n = norm(ti.name)
            if n == "" or not keep(ti):
                continue
            upper[n] = signature(tf, ti)
            if ti.islnk():
                links[n] = norm(ti.linkname)
    changed = {n for n, s in upper.items() if lower.get(n) != s}
    # a hard link and its target must travel in the same layer
    grew = True
    while grew:
        grew = False
        for n, t in links.items():
            if n in changed and t not in changed and t in upper:
                changed.add(t)
                grew = True
            if t in changed and n not in changed:
                changed.add(n)
                grew = True
    wanted = set(changed)
    for n in changed:
        p = parent(n)
        while p and p not in wanted:
            wanted.add(p)
            p = parent(p)
    deleted = {n for n in lower if n not in upper}
    # only the topmost deleted path needs a whiteout
    # (a whiteout under a path that is no longer a directory would be meaningless:
    # the new non-directory entry replaces the old directory and all below it)
    whiteouts = {n for n in deleted
                 if parent(n) not in deleted and (parent(n) == "" or upper[parent(n)][0] == tarfile.DIRTYPE)}
    return wanted, whiteouts, upper


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(CHUNK)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def gzip_file(src, dst):
    pigz = shutil.which("pigz")
    with open(src, "rb") as fi, open(dst, "wb") as fo:
        if pigz:
            subprocess.run([pigz, "-n", "-6", "-c"], stdin=fi, stdout=fo, check=True)
        else:
            import gzip
            with gzip.GzipFile(filename="", mode="wb", fileobj=fo, mtime=0, compresslevel=6) as gz:
                shutil.copyfileobj(fi, gz, CHUNK)


def write_blob(layout, data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(layout, "blobs", "sha256", d), "wb") as f:
        f.write(data)
    return "sha256:" + d, len(data)


def canon(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="OCI layout directory to create (replaced if present)")
    ap.add_argument("--ref", required=True, help="ref name to tag the image with")
    ap.add_argument("--comment", action="append", default=[], help="history comment per layer (in order)")
    ap.add_argument("rootfs", nargs="+", help="rootfs tars, each a superset of the previous")
    a = ap.parse_args()

    tmp = a.out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, "blobs", "sha256"))
    layers = []
    lower = None
    for i, src in enumerate(a.rootfs):
        tar = os.path.join(tmp, f"layer{i + 1}.tar")
        if lower is None:
            count, content = write_layer(src, tar)
            lower = index_tar(src)
        else:
            wanted, whiteouts, upper = diff_sets(lower, src)
            count, content = write_layer(src, tar, wanted, whiteouts)
            lower = upper
        diff_id = sha256_file(tar)
        usize = os.path.getsize(tar)
        gz = tar + ".gz"
        gzip_file(tar, gz)
        digest = sha256_file(gz)
        csize = os.path.getsize(gz)
        os.replace(gz, os.path.join(tmp, "blobs", "sha256", digest))
        os.remove(tar)
        layers.append({"diff_id": "sha256:" + diff_id, "digest": "sha256:" + digest, "size": csize, "usize": usize})
        print(f"layer {i + 1}: {count} entries, {usize / 1e6:.1f} MB tar, {csize / 1e6:.1f} MB gzip, "
              f"sha256:{digest[:12]}", file=sys.stderr)

    created = "%04d-%02d-%02dT%02d:%02d:%02dZ" % __import__("time").gmtime(SDE)[:6]
    history = []
    for i in range(len(layers)):
        c = a.comment[i] if i < len(a.comment) else f"layer {i + 1}"
        history.append({"created": created, "created_by": c})
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": created,
        "config": {"Cmd": ["bash"], "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
        "rootfs": {"type": "layers", "diff_ids": [l["diff_id"] for l in layers]},
        "history": history,
    }
    cdig, csize = write_blob(tmp, canon(config))
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cdig, "size": csize},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": l["digest"],
                    "size": l["size"]} for l in layers],
    }
    mdig, msize = write_blob(tmp, canon(manifest))
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": mdig, "size": msize,
                       "annotations": {"org.opencontainers.image.ref.name": a.ref}}],
    }
    with open(os.path.join(tmp, "index.json"), "wb") as f:
        f.write(canon(index))
    with open(os.path.join(tmp, "oci-layout"), "wb") as f:
        f.write(canon({"imageLayoutVersion": "1.0.0"}))
    shutil.rmtree(a.out, ignore_errors=True)
    os.replace(tmp, a.out)
    total = sum(l["usize"] for l in layers)
    print(f"image {a.ref}: {len(layers)} layers, {total / 1e6:.1f} MB uncompressed, "
          f"{sum(l['size'] for l in layers) / 1e6:.1f} MB compressed -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
