//! `paths` globs of `.trivyignore.yaml`, matched as Trivy's `doublestar.Match` does: `*` and `?`
//! stay within one path segment, `**` as a whole segment spans any number of segments (zero
//! included, so `vendor/**` also matches `vendor` itself), `[abc]`, `[!a-z]`, `{a,b}` and `\`
//! escapes.

use globset::{GlobBuilder, GlobMatcher};

/// One compiled `paths` pattern.
#[derive(Debug, Clone)]
pub struct PathPattern {
    text: String,
    matcher: GlobMatcher,
    /// For a pattern ending in `/**`: the part before it, which doublestar also matches.
    dir: Option<GlobMatcher>,
}

impl PathPattern {
    /// Compiles a pattern; the error says what is wrong with it.
    pub fn new(pattern: &str) -> Result<PathPattern, String> {
        let build = |p: &str| {
            GlobBuilder::new(p)
                .literal_separator(true)
                .backslash_escape(true)
                .empty_alternates(true)
                .build()
                .map(|g| g.compile_matcher())
                .map_err(|e| format!("invalid path pattern `{pattern}`: {}", e.kind()))
        };
        let matcher = build(pattern)?;
        let dir = match pattern.strip_suffix("/**") {
            Some(prefix) if !prefix.is_empty() => Some(build(prefix)?),
            _ => None,
        };
        Ok(PathPattern {
            text: pattern.to_owned(),
            matcher,
            dir,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `path` (slash-separated, as in a report's `Target`) matches.
    pub fn is_match(&self, path: &str) -> bool {
        self.matcher.is_match(path) || self.dir.as_ref().is_some_and(|d| d.is_match(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, path: &str) -> bool {
        PathPattern::new(p).unwrap().is_match(path)
    }

    #[test]
    fn doublestar_semantics() {
        assert!(m("vendor/**", "vendor/a/b.go"));
        assert!(m("vendor/**", "vendor"));
        assert!(!m("vendor/**", "vendors/a"));
        assert!(m("**/package-lock.json", "package-lock.json"));
        assert!(m("**/package-lock.json", "a/b/package-lock.json"));
        assert!(m("app/*.jar", "app/x.jar"));
        assert!(!m("app/*.jar", "app/lib/x.jar"));
        assert!(m("usr/lib/**/*.so", "usr/lib/x/y/z.so"));
        assert!(m("{a,b}/file", "b/file"));
        assert!(m("file?.txt", "file1.txt"));
        assert!(!m("file?.txt", "file/.txt"));
        assert!(m("[a-c]x", "bx"));
        assert!(m("[!a-c]x", "dx"));
        assert!(m("exact/path.txt", "exact/path.txt"));
        assert!(!m("exact/path.txt", "other/exact/path.txt"));
    }

    #[test]
    fn invalid_patterns_are_errors() {
        for bad in ["[abc", "{a,b", "a\\"] {
            let e = PathPattern::new(bad).unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
    }
}
