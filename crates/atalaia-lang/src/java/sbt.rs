//! sbt `build.sbt.lock` (sbt-dependency-lock): JSON `dependencies: [{org, name, version,
//! configurations}]`; a dependency only in `test` configurations is dev.

use atalaia_types::Application;
use serde::Deserialize;

use super::jar::maven;
use crate::util::{application, json_object_locations};
use crate::LangError;

const KIND: &str = "sbt-lockfile";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lock {
    lock_version: u32,
    dependencies: Vec<Dep>,
}

#[derive(Deserialize)]
struct Dep {
    org: String,
    name: String,
    version: String,
    #[serde(default)]
    configurations: Vec<String>,
}

/// Parses a `build.sbt.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    if lock.lock_version != 1 {
        return Err(LangError::new(
            path,
            KIND,
            format!("unsupported lockVersion {}", lock.lock_version),
        ));
    }
    let locations = json_object_locations(text, 2);
    let mut packages = Vec::new();
    for (i, d) in lock.dependencies.iter().enumerate() {
        let mut pkg = maven(&d.org, &d.name, &d.version);
        pkg.dev =
            !d.configurations.is_empty() && d.configurations.iter().all(|c| c.starts_with("test"));
        pkg.locations.extend(
            locations
                .get(&vec!["dependencies".to_owned(), format!("#{i}")])
                .copied(),
        );
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock() {
        let lock = r#"{
  "lockVersion": 1,
  "timestamp": "2024-01-01T00:00:00Z",
  "configurations": ["compile", "test"],
  "dependencies": [
    {
      "org": "org.typelevel",
      "name": "cats-core_2.13",
      "version": "2.9.0",
      "artifacts": [],
      "configurations": ["compile", "runtime"]
    },
    {"org": "org.scalatest", "name": "scalatest_2.13", "version": "3.2.15", "configurations": ["test"]}
  ]
}"#;
        let app = parse("build.sbt.lock", lock.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.dev, p.locations[0].start_line))
            .collect();
        assert_eq!(
            got,
            [
                ("org.scalatest:scalatest_2.13@3.2.15", true, 13),
                ("org.typelevel:cats-core_2.13@2.9.0", false, 6)
            ]
        );
    }

    #[test]
    fn malformed() {
        assert!(parse(
            "build.sbt.lock",
            b"{\"lockVersion\": 2, \"dependencies\": []}"
        )
        .is_err());
        assert!(parse("build.sbt.lock", b"{\"lockVersion\": 1}").is_err());
    }
}
