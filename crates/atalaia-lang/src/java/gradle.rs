//! Gradle dependency locks (`gradle.lockfile`, `*.gradle.lockfile`): one
//! `group:artifact:version=configuration,…` line per dependency. A dependency locked only for
//! test configurations is dev.

use atalaia_types::{Application, Location};

use super::jar::maven;
use crate::util::application;
use crate::LangError;

const KIND: &str = "gradle-lockfile";

/// Parses a Gradle lockfile.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let mut packages = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with("empty=") {
            continue;
        }
        let (coords, configs) = t.split_once('=').unwrap_or((t, ""));
        let parts: Vec<&str> = coords.split(':').collect();
        let [group, artifact, version] = parts.as_slice() else {
            return Err(LangError::new(
                path,
                KIND,
                format!("line {n}: `{coords}` is not `group:artifact:version`"),
            ));
        };
        let mut pkg = maven(group, artifact, version);
        let configs: Vec<&str> = configs
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        pkg.dev = !configs.is_empty()
            && configs
                .iter()
                .all(|c| c.to_ascii_lowercase().starts_with("test"));
        pkg.locations.push(Location {
            start_line: n,
            end_line: n,
        });
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock() {
        let lock = "# This is a Gradle generated file for dependency locking.\n# Manual edits can break the build and are not advised.\n# This file is expected to be part of source control.\ncom.google.guava:guava:31.1-jre=compileClasspath,runtimeClasspath\njunit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath\nempty=annotationProcessor\n";
        let app = parse("gradle.lockfile", lock.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.dev, p.locations[0].start_line))
            .collect();
        assert_eq!(
            got,
            [
                ("com.google.guava:guava@31.1-jre", false, 4),
                ("junit:junit@4.13.2", true, 5)
            ]
        );
        assert_eq!(
            app.packages[0].purl.to_string(),
            "pkg:maven/com.google.guava/guava@31.1-jre"
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("gradle.lockfile", b"not-coordinates=x\n").is_err());
        assert!(parse("gradle.lockfile", b"\xff").is_err());
    }
}
