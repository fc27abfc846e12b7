//! Path normalisation and whiteout names.
//!
//! Paths in layer tars are untrusted. They are normalised lexically (nothing here touches the
//! filesystem): leading `/` and `./` go, `.` components go, `..` removes the previous component,
//! and a `..` that would climb above the root makes the whole path invalid — such an entry is
//! never handed to a visitor. Symlinks are not resolved (a walk never follows them).

/// The prefix of a whiteout file name (OCI image spec, "Whiteouts").
pub(crate) const WHITEOUT_PREFIX: &str = ".wh.";
/// The name of the opaque-directory marker.
pub(crate) const OPAQUE_MARKER: &str = ".wh..wh..opq";

/// Normalises `raw` into `out` (cleared first). Returns `false` if the path escapes the root
/// through `..`. The root itself normalises to the empty string.
pub(crate) fn normalize_into(raw: &str, out: &mut String) -> bool {
    out.clear();
    for comp in raw.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if out.is_empty() {
                    return false;
                }
                match out.rfind('/') {
                    Some(i) => out.truncate(i),
                    None => out.clear(),
                }
            }
            c => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(c);
            }
        }
    }
    true
}

/// Normalises `raw`; `None` if it escapes the root.
pub fn normalize(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    normalize_into(raw, &mut out).then_some(out)
}

/// What a normalised path means with respect to whiteouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Whiteout<'a> {
    /// An ordinary path.
    No,
    /// `dir/.wh.NAME`: hides `dir/NAME` (the returned path).
    File(&'a str, &'a str),
    /// `dir/.wh..wh..opq`: `dir` (the returned path, maybe empty for the root) is opaque.
    Opaque(&'a str),
    /// A `.wh.` name that cannot be interpreted (`.wh.`, `.wh..`, `.wh...`, `.wh..wh.other`).
    Invalid,
}

/// Classifies a normalised path. For [`Whiteout::File`] the two parts are the parent directory
/// (maybe empty) and the hidden name.
pub(crate) fn whiteout(path: &str) -> Whiteout<'_> {
    let (dir, name) = match path.rfind('/') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    };
    let Some(hidden) = name.strip_prefix(WHITEOUT_PREFIX) else {
        return Whiteout::No;
    };
    if name == OPAQUE_MARKER {
        return Whiteout::Opaque(dir);
    }
    if hidden.is_empty() || hidden == "." || hidden == ".." || hidden.starts_with(WHITEOUT_PREFIX) {
        return Whiteout::Invalid;
    }
    Whiteout::File(dir, hidden)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_prefixes_and_dots() {
        assert_eq!(normalize("./etc/passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(normalize("/etc/passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(
            normalize("//etc//./os-release").as_deref(),
            Some("etc/os-release")
        );
        assert_eq!(normalize("usr/lib/").as_deref(), Some("usr/lib"));
        assert_eq!(normalize("./").as_deref(), Some(""));
        assert_eq!(normalize(".").as_deref(), Some(""));
        assert_eq!(normalize("").as_deref(), Some(""));
    }

    #[test]
    fn resolves_inner_dotdot() {
        assert_eq!(normalize("a/b/../c").as_deref(), Some("a/c"));
        assert_eq!(normalize("a/../b").as_deref(), Some("b"));
        assert_eq!(normalize("a/..").as_deref(), Some(""));
        assert_eq!(normalize("./a/./b/../../c/").as_deref(), Some("c"));
    }

    #[test]
    fn rejects_escapes() {
        assert_eq!(normalize(".."), None);
        assert_eq!(normalize("../../etc/passwd"), None);
        assert_eq!(normalize("/../etc/passwd"), None);
        assert_eq!(normalize("a/../../b"), None);
        assert_eq!(normalize("./a/b/../../../x"), None);
    }

    #[test]
    fn random_paths_never_escape() {
        // A small deterministic generator over the interesting components.
        let parts = ["..", ".", "", "a", "b", ".wh.c", "..."];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            let mut raw = String::new();
            if state & 1 == 0 {
                raw.push('/');
            }
            for _ in 0..(state >> 3) % 8 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                raw.push_str(parts[(state % parts.len() as u64) as usize]);
                raw.push('/');
            }
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Count depth as a filesystem would, lexically.
            let mut depth = 0i64;
            let mut escapes = false;
            for c in raw.split('/') {
                match c {
                    "" | "." => {}
                    ".." => {
                        depth -= 1;
                        escapes |= depth < 0;
                    }
                    _ => depth += 1,
                }
            }
            match normalize(&raw) {
                None => assert!(escapes, "{raw:?} rejected"),
                Some(n) => {
                    assert!(!escapes, "{raw:?} escapes but gave {n:?}");
                    assert!(!n.starts_with('/') && !n.ends_with('/'), "{n:?}");
                    assert!(
                        n.is_empty()
                            || !n.split('/').any(|c| c.is_empty() || c == "." || c == ".."),
                        "{n:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn whiteouts() {
        assert_eq!(whiteout("etc/.wh.passwd"), Whiteout::File("etc", "passwd"));
        assert_eq!(whiteout(".wh.etc"), Whiteout::File("", "etc"));
        assert_eq!(
            whiteout("root/.wh..git-credentials"),
            Whiteout::File("root", ".git-credentials")
        );
        assert_eq!(
            whiteout("opt/data/.wh..wh..opq"),
            Whiteout::Opaque("opt/data")
        );
        assert_eq!(whiteout(".wh..wh..opq"), Whiteout::Opaque(""));
        assert_eq!(whiteout("etc/passwd"), Whiteout::No);
        assert_eq!(whiteout("etc/a.wh.b"), Whiteout::No);
        assert_eq!(whiteout("etc/.wh."), Whiteout::Invalid);
        assert_eq!(whiteout("etc/.wh.."), Whiteout::Invalid);
        assert_eq!(whiteout("etc/.wh..wh.plnk"), Whiteout::Invalid);
    }
}
