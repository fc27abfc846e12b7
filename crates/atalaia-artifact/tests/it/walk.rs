//! `walk_tar` and `walk_dir` on generated inputs.

use std::io::{Cursor, Read, Write};

use atalaia_artifact::{walk_dir, walk_tar, ArtifactError, EntryKind, LimitKind, Limits};

use crate::support::RawTar;

/// Walks `bytes`, reading every file whole; returns (path, kind, bytes read) and the stats.
type Walked = (
    Vec<(String, EntryKind, Vec<u8>)>,
    atalaia_artifact::WalkStats,
);

fn walk(bytes: &[u8], limits: &Limits) -> Result<Walked, ArtifactError> {
    let mut seen = Vec::new();
    let stats = walk_tar(Cursor::new(bytes), limits, &mut |e| {
        let mut data = Vec::new();
        e.reader.read_to_end(&mut data).unwrap();
        seen.push((e.path.to_owned(), e.kind.clone(), data));
        Ok(())
    })?;
    Ok((seen, stats))
}

#[test]
fn traversal_paths_never_escape() {
    let tar = RawTar::new()
        .file("../../etc/passwd", b"evil")
        .file("/etc/shadow", b"abs")
        .file("a/../../x", b"evil2")
        .file("./ok/./file", b"fine")
        .file("a/b/../c", b"inner")
        .entry("link", tar::EntryType::Link, Some("../../etc/passwd"), b"")
        .entry(
            "sym",
            tar::EntryType::Symlink,
            Some("../../etc/passwd"),
            b"",
        )
        .finish();
    let (seen, stats) = walk(&tar, &Limits::default()).unwrap();
    let paths: Vec<&str> = seen.iter().map(|s| s.0.as_str()).collect();
    // Absolute paths are made relative; `..` inside the root resolves; escapes are skipped.
    assert_eq!(paths, ["etc/shadow", "ok/file", "a/c", "sym"]);
    // A symlink target is reported as stored (it is never followed by the walk).
    assert_eq!(
        seen[3].1,
        EntryKind::Symlink {
            target: "../../etc/passwd".into()
        }
    );
    assert_eq!(stats.entries, 7);
    let skipped: Vec<&str> = stats.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(skipped, ["../../etc/passwd", "a/../../x", "link"]);
}

#[test]
fn whiteouts_and_opaque_dirs() {
    let tar = RawTar::new()
        .entry("./", tar::EntryType::Directory, None, b"")
        .entry("etc/", tar::EntryType::Directory, None, b"")
        .file("etc/.wh.passwd", b"")
        .file(".wh.tmp", b"")
        .file("opt/data/.wh..wh..opq", b"")
        .file("etc/.wh..wh.plnk", b"")
        .entry(
            "app/.env.bak",
            tar::EntryType::Link,
            Some("./app/.env"),
            b"",
        )
        .finish();
    let (seen, stats) = walk(&tar, &Limits::default()).unwrap();
    let got: Vec<(&str, &EntryKind)> = seen.iter().map(|s| (s.0.as_str(), &s.1)).collect();
    assert_eq!(
        got,
        [
            ("etc", &EntryKind::Dir),
            ("etc/passwd", &EntryKind::Whiteout),
            ("tmp", &EntryKind::Whiteout),
            ("opt/data", &EntryKind::OpaqueDir),
            (
                "app/.env.bak",
                &EntryKind::Hardlink {
                    target: "app/.env".into()
                }
            ),
        ]
    );
    assert_eq!(stats.warnings.len(), 1, "{:?}", stats.warnings);
}

#[test]
fn long_names_gnu_and_pax() {
    let long = format!("usr/{}/file.txt", "d".repeat(150));
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(3);
    h.set_mode(0o600);
    b.append_data(&mut h, &long, &b"abc"[..]).unwrap();
    // A PAX header naming the next entry's path.
    let pax_path = format!("srv/{}/pax.txt", "p".repeat(120));
    b.append_pax_extensions([("path", pax_path.as_bytes())])
        .unwrap();
    let mut h = tar::Header::new_ustar();
    h.set_path("short").unwrap();
    h.set_size(2);
    h.set_mode(0o644);
    h.set_cksum();
    b.append(&h, &b"xy"[..]).unwrap();
    let bytes = b.into_inner().unwrap();
    let (seen, _) = walk(&bytes, &Limits::default()).unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].0, long);
    assert_eq!(seen[0].2, b"abc");
    assert_eq!(seen[1].0, pax_path);
    assert_eq!(seen[1].2, b"xy");
}

#[test]
fn file_reads_stop_at_max_file_bytes_and_unread_bytes_are_skipped() {
    let big = vec![7u8; 10_000];
    let tar = RawTar::new()
        .file("big", &big)
        .file("skipped", &big)
        .file("after", b"tail")
        .finish();
    let limits = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    let mut seen = Vec::new();
    walk_tar(Cursor::new(&tar), &limits, &mut |e| {
        let mut data = Vec::new();
        if e.path != "skipped" {
            e.reader.read_to_end(&mut data).unwrap();
        }
        seen.push((e.path.to_owned(), e.size, data.len()));
        Ok(())
    })
    .unwrap();
    // `size` is the real size: a visitor sees the file was cut when size > max_file_bytes.
    assert_eq!(
        seen,
        [
            ("big".to_owned(), 10_000, 100),
            ("skipped".to_owned(), 10_000, 0),
            ("after".to_owned(), 4, 4)
        ]
    );
}

#[test]
fn too_many_entries() {
    let mut t = RawTar::new();
    for i in 0..20 {
        t.file(&format!("f{i}"), b"x");
    }
    let err = walk(
        &t.finish(),
        &Limits {
            max_entries: 10,
            ..Limits::default()
        },
    )
    .err()
    .unwrap();
    assert!(
        matches!(
            err,
            ArtifactError::LimitExceeded {
                limit: LimitKind::Entries,
                value: 10,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("--max-entries"), "{err}");
}

#[test]
fn decompression_bomb_stops_at_max_layer_bytes() {
    // 64 MiB of zeros compress to ~64 KiB.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let mut h = tar::Header::new_gnu();
    h.set_path("zeros").unwrap();
    h.set_size(64 << 20);
    h.set_cksum();
    gz.write_all(h.as_bytes()).unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&chunk).unwrap();
    }
    gz.write_all(&[0u8; 1024]).unwrap();
    let compressed = gz.finish().unwrap();
    assert!(compressed.len() < 1 << 20);
    let limits = Limits {
        max_layer_bytes: 1 << 20,
        ..Limits::default()
    };
    let reader = flate2::read::GzDecoder::new(Cursor::new(compressed));
    let err = walk_tar(reader, &limits, &mut |e| {
        std::io::copy(e.reader, &mut std::io::sink())
            .map(drop)
            .map_err(|err| ArtifactError::Visit {
                path: e.path.to_owned(),
                err: Box::new(err),
            })
    })
    .err()
    .unwrap();
    assert!(
        matches!(
            err,
            ArtifactError::LimitExceeded {
                limit: LimitKind::LayerBytes,
                value: 1048576,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("--max-layer-bytes"), "{err}");
}

#[test]
fn bomb_is_caught_even_when_visitor_skips_the_file() {
    let mut t = RawTar::new();
    t.file("a", &vec![0u8; 200_000]);
    let bytes = t.finish();
    let err = walk_tar(
        Cursor::new(bytes),
        &Limits {
            max_layer_bytes: 100_000,
            ..Limits::default()
        },
        &mut |_| Ok(()),
    )
    .err()
    .unwrap();
    assert!(
        matches!(
            err,
            ArtifactError::LimitExceeded {
                limit: LimitKind::LayerBytes,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn not_a_tar_and_truncated_tar() {
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 251) as u8).collect();
    let err = walk(&garbage, &Limits::default()).err().unwrap();
    assert!(matches!(err, ArtifactError::BadTar { .. }), "{err}");

    let mut tar = RawTar::new()
        .file("a", &vec![1u8; 5000])
        .file("b", &vec![2u8; 5000])
        .finish();
    tar.truncate(6000);
    let err = walk_tar(Cursor::new(tar), &Limits::default(), &mut |_| Ok(()))
        .err()
        .unwrap();
    assert!(matches!(err, ArtifactError::BadTar { .. }), "{err}");
}

#[test]
fn empty_stream_is_an_empty_layer() {
    let (seen, stats) = walk(b"", &Limits::default()).unwrap();
    assert!(seen.is_empty());
    assert_eq!(stats.entries, 0);
}

#[test]
fn trailing_bytes_after_end_marker_are_drained() {
    let mut tar = RawTar::new().file("a", b"1").finish();
    tar.extend_from_slice(&[9u8; 10_000]);
    let len = tar.len() as u64;
    let (_, stats) = walk(&tar, &Limits::default()).unwrap();
    assert_eq!(stats.bytes, len);
}

#[test]
fn visitor_errors_stop_the_walk() {
    let tar = RawTar::new().file("a", b"1").file("b", b"2").finish();
    let mut n = 0;
    let err = walk_tar(Cursor::new(tar), &Limits::default(), &mut |e| {
        n += 1;
        Err(ArtifactError::Visit {
            path: e.path.to_owned(),
            err: "boom".into(),
        })
    })
    .err()
    .unwrap();
    assert_eq!(n, 1);
    assert!(
        matches!(err, ArtifactError::Visit { ref path, .. } if path == "a"),
        "{err}"
    );
}

/// A stream that fails after some bytes, standing in for a broken layer.
struct FailAfter {
    inner: Cursor<Vec<u8>>,
    left: usize,
}

impl Read for FailAfter {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other(ArtifactError::NotFound {
                input: "marker".into(),
            }));
        }
        let n = buf.len().min(self.left);
        let n = self.inner.read(&mut buf[..n])?;
        self.left -= n;
        Ok(n)
    }
}

#[test]
fn stream_errors_are_not_swallowed_by_visitors() {
    let tar = RawTar::new().file("a", &vec![3u8; 600_000]).finish();
    let r = FailAfter {
        inner: Cursor::new(tar),
        left: 300_000,
    };
    // The visitor ignores its read error; the walk still reports the stream's.
    let err = walk_tar(r, &Limits::default(), &mut |e| {
        let _ = std::io::copy(e.reader, &mut std::io::sink());
        Ok(())
    })
    .err()
    .unwrap();
    assert!(
        matches!(err, ArtifactError::NotFound { ref input } if input == "marker"),
        "{err}"
    );
}

#[test]
fn walk_dir_is_sorted_and_never_follows_symlinks() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), b"outside").unwrap();
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    std::fs::create_dir_all(root.join("b/sub")).unwrap();
    std::fs::write(root.join("b/sub/file"), b"hello").unwrap();
    std::fs::write(root.join("a.txt"), b"0123456789").unwrap();
    std::os::unix::fs::symlink("loop2", root.join("loop1")).unwrap();
    std::os::unix::fs::symlink("loop1", root.join("loop2")).unwrap();
    std::os::unix::fs::symlink("..", root.join("b/up")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret"), root.join("escape")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("escape-dir")).unwrap();
    let fifo = root.join("fifo");
    let made_fifo = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);

    let limits = Limits {
        max_file_bytes: 4,
        ..Limits::default()
    };
    let mut seen = Vec::new();
    let stats = walk_dir(root, &limits, &mut |e| {
        let mut data = Vec::new();
        e.reader.read_to_end(&mut data).unwrap();
        seen.push((e.path.to_owned(), e.kind.clone(), e.size, data));
        Ok(())
    })
    .unwrap();
    let mut expected = vec![
        ("a.txt".to_owned(), EntryKind::File, 10, b"0123".to_vec()),
        ("b".to_owned(), EntryKind::Dir, 0, vec![]),
        ("b/sub".to_owned(), EntryKind::Dir, 0, vec![]),
        (
            "b/sub/file".to_owned(),
            EntryKind::File,
            5,
            b"hell".to_vec(),
        ),
        (
            "b/up".to_owned(),
            EntryKind::Symlink {
                target: "..".into(),
            },
            0,
            vec![],
        ),
        (
            "escape".to_owned(),
            EntryKind::Symlink {
                target: outside.path().join("secret").display().to_string(),
            },
            0,
            vec![],
        ),
        (
            "escape-dir".to_owned(),
            EntryKind::Symlink {
                target: outside.path().display().to_string(),
            },
            0,
            vec![],
        ),
    ];
    if made_fifo {
        expected.push(("fifo".to_owned(), EntryKind::Other, 0, vec![]));
    }
    expected.push((
        "loop1".to_owned(),
        EntryKind::Symlink {
            target: "loop2".into(),
        },
        0,
        vec![],
    ));
    expected.push((
        "loop2".to_owned(),
        EntryKind::Symlink {
            target: "loop1".into(),
        },
        0,
        vec![],
    ));
    assert_eq!(seen, expected);
    assert!(stats.warnings.is_empty());
    assert_eq!(stats.entries, expected.len() as u64);
    assert_eq!(stats.bytes, 8);
}

#[test]
fn walk_dir_limits_and_errors() {
    let d = tempfile::tempdir().unwrap();
    for i in 0..5 {
        std::fs::write(d.path().join(format!("f{i}")), b"x").unwrap();
    }
    let err = walk_dir(
        d.path(),
        &Limits {
            max_entries: 3,
            ..Limits::default()
        },
        &mut |_| Ok(()),
    )
    .err()
    .unwrap();
    assert!(
        matches!(
            err,
            ArtifactError::LimitExceeded {
                limit: LimitKind::Entries,
                ..
            }
        ),
        "{err}"
    );
    let err = walk_dir(&d.path().join("missing"), &Limits::default(), &mut |_| {
        Ok(())
    })
    .err()
    .unwrap();
    assert!(matches!(err, ArtifactError::Io { .. }), "{err}");
    let err = walk_dir(&d.path().join("f0"), &Limits::default(), &mut |_| Ok(()))
        .err()
        .unwrap();
    assert!(matches!(err, ArtifactError::Io { .. }), "{err}");
}
