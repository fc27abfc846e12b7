//! Trivy's global allow rules: paths that are never scanned and matches that are never reported.
//!
//! Trivy matches these paths without a leading `/` for files of a directory scan and with one for
//! files of an image; the anchored patterns here accept both (`^/?usr/...`).

use super::BuiltinAllowRule;

/// The global allow rules, with Trivy's IDs (for `disable-allow-rules`).
pub(crate) const BUILTIN_ALLOW_RULES: &[BuiltinAllowRule] = &[
    // Test files and directories: `test…` at the start of the path, or `test` right after
    // `/`, `-`, `_` or `.` (`src/test/`, `foo_test.go`, `config.test.json`), in any case.
    BuiltinAllowRule {
        id: "tests",
        description: "Avoid test files and paths",
        regex: None,
        path: Some(r"(?i)(?:^/?test|/test|-test|_test|\.test)"),
    },
    // Example files, and any match whose text says `example` (the documented AWS example keys).
    BuiltinAllowRule {
        id: "examples",
        description: "Avoid example files and paths",
        regex: Some(r"(?i)example"),
        path: Some(r"example"),
    },
    BuiltinAllowRule {
        id: "vendor",
        description: "Vendor dirs",
        regex: None,
        path: Some(r"/vendor/"),
    },
    BuiltinAllowRule {
        id: "usr-dirs",
        description: "System dirs",
        regex: None,
        path: Some(r"^/?usr/(?:share|include|lib)/"),
    },
    BuiltinAllowRule {
        id: "locale-dir",
        description: "Locales directory contains locales file",
        regex: None,
        path: Some(r"/locales?/"),
    },
    BuiltinAllowRule {
        id: "markdown",
        description: "Markdown files",
        regex: None,
        path: Some(r"\.md$"),
    },
    BuiltinAllowRule {
        id: "node.js",
        description: "Node container images",
        regex: None,
        path: Some(r"^/?opt/yarn-v[\d.]+/"),
    },
    BuiltinAllowRule {
        id: "golang",
        description: "Go container images",
        regex: None,
        path: Some(r"^/?usr/local/go/"),
    },
    BuiltinAllowRule {
        id: "python",
        description: "Python container images",
        regex: None,
        path: Some(r"^/?usr/local/lib/python[\d.]+/"),
    },
    BuiltinAllowRule {
        id: "rubygems",
        description: "Ruby container images",
        regex: None,
        path: Some(r"^/?usr/lib/gems/"),
    },
    BuiltinAllowRule {
        id: "wordpress",
        description: "Wordpress container images",
        regex: None,
        path: Some(r"^/?usr/src/wordpress/"),
    },
    BuiltinAllowRule {
        id: "anaconda-log",
        description: "Anaconda CI Logs in container images",
        regex: None,
        path: Some(r"^/?var/log/anaconda/"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(path: &str) -> bool {
        BUILTIN_ALLOW_RULES
            .iter()
            .filter_map(|r| r.path)
            .any(|p| regex::Regex::new(p).unwrap().is_match(path))
    }

    #[test]
    fn allowed_paths() {
        for path in [
            "test/keys",
            "src/test/resources/creds",
            "pkg/foo_test.go",
            "config.test.json",
            "docs/examples/config.env",
            "third_party/vendor/creds/keys",
            "usr/share/doc/x",
            "/usr/share/doc/x",
            "app/locales/en.yml",
            "README.md",
            "/usr/local/go/src/crypto/x509/x.go",
            "usr/local/lib/python3.12/site-packages/x.py",
        ] {
            assert!(allowed(path), "{path} should be allowed");
        }
    }

    #[test]
    fn scanned_paths() {
        for path in [
            "app/.env",
            "root/.aws/credentials",
            "etc/ssl/private/server.key",
            "src/latest/x",
            "usr/bin/x",
        ] {
            assert!(!allowed(path), "{path} should be scanned");
        }
    }
}
