//! `.terraform.lock.hcl`: one `provider "<registry>/<namespace>/<type>" { version = "…" }` block
//! per provider. Read with a small line scanner (the lock file is generated and regular); the
//! purl is `pkg:terraform/<registry>/<namespace>/<type>@<version>`.

use atalaia_types::{Application, Ecosystem, Location, Package, Purl};

use crate::util::application;
use crate::LangError;

const KIND: &str = "terraform-lock";

/// Parses a `.terraform.lock.hcl`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let mut packages = Vec::new();
    // (source, version, start line)
    let mut current: Option<(String, Option<String>, u32)> = None;
    let mut depth = 0usize;
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with("//") {
            continue;
        }
        if depth == 0 {
            if let Some(rest) = t.strip_prefix("provider ") {
                let source = rest.split('"').nth(1).ok_or_else(|| {
                    LangError::new(
                        path,
                        KIND,
                        format!("line {n}: provider without a quoted source"),
                    )
                })?;
                current = Some((source.to_owned(), None, n));
            } else if !t.ends_with('{') {
                return Err(LangError::new(
                    path,
                    KIND,
                    format!("line {n}: expected a `provider` block"),
                ));
            }
        } else if depth == 1 {
            if let (Some(c), Some(v)) = (current.as_mut(), t.strip_prefix("version")) {
                if let Some(v) = v.trim_start().strip_prefix('=') {
                    c.1 = Some(v.trim().trim_matches('"').to_owned());
                }
            }
        }
        depth += t.matches(['{', '[']).count();
        let closes = t.matches(['}', ']']).count();
        depth = depth
            .checked_sub(closes)
            .ok_or_else(|| LangError::new(path, KIND, format!("line {n}: unbalanced braces")))?;
        if depth == 0 {
            if let Some((source, version, start)) = current.take() {
                let version = version.ok_or_else(|| {
                    LangError::new(path, KIND, format!("provider `{source}` has no version"))
                })?;
                let (ns, name) = source.rsplit_once('/').unwrap_or(("", &source));
                let mut pkg = Package::new(
                    Ecosystem::Terraform,
                    &source,
                    &version,
                    Purl::new("terraform", ns, name, &version),
                );
                pkg.locations.push(Location {
                    start_line: start,
                    end_line: n,
                });
                packages.push(pkg);
            }
        }
    }
    if depth != 0 {
        return Err(LangError::new(path, KIND, "unterminated block"));
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock() {
        let lock = "# This file is maintained automatically by \"terraform init\".\n\nprovider \"registry.terraform.io/hashicorp/aws\" {\n  version     = \"5.31.0\"\n  constraints = \"~> 5.0\"\n  hashes = [\n    \"h1:abc=\",\n    \"zh:def\",\n  ]\n}\n\nprovider \"registry.terraform.io/hashicorp/random\" {\n  version = \"3.6.0\"\n}\n";
        let app = parse(".terraform.lock.hcl", lock.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    p.locations[0].start_line,
                    p.locations[0].end_line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("registry.terraform.io/hashicorp/aws@5.31.0", 3, 10),
                ("registry.terraform.io/hashicorp/random@3.6.0", 12, 14)
            ]
        );
        assert_eq!(
            app.packages[0].purl.to_string(),
            "pkg:terraform/registry.terraform.io/hashicorp/aws@5.31.0"
        );
    }

    #[test]
    fn malformed() {
        assert!(parse(".terraform.lock.hcl", b"provider \"x/y/z\" {\n").is_err());
        assert!(parse(".terraform.lock.hcl", b"provider \"x/y/z\" {\n}\n").is_err());
        assert!(parse(".terraform.lock.hcl", b"}}}").is_err());
    }
}
