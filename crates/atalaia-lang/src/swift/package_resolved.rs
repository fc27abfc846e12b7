//! SwiftPM `Package.resolved`: version 1 (`object.pins[].repositoryURL`) and versions 2 and 3
//! (`pins[].location`). A pin's name is its repository URL without scheme and `.git`
//! (`github.com/apple/swift-nio`), as Trivy writes it; pins without a version (branch or
//! revision pins) are not packages.

use atalaia_types::{Application, Ecosystem, Package, Purl};
use serde::Deserialize;

use crate::util::{application, json_object_locations};
use crate::LangError;

const KIND: &str = "swift";

#[derive(Deserialize)]
struct Resolved {
    #[serde(default)]
    object: Option<Pins>,
    #[serde(default)]
    pins: Option<Vec<Pin>>,
}

#[derive(Deserialize)]
struct Pins {
    pins: Vec<Pin>,
}

#[derive(Deserialize)]
struct Pin {
    #[serde(default, rename = "repositoryURL")]
    repository_url: Option<String>,
    #[serde(default)]
    location: Option<String>,
    state: State,
}

#[derive(Deserialize)]
struct State {
    #[serde(default)]
    version: Option<String>,
}

/// `https://github.com/apple/swift-nio.git` -> `github.com/apple/swift-nio`.
fn repo_name(url: &str) -> String {
    let s = url.split_once("://").map_or(url, |(_, rest)| rest);
    let s = s
        .split_once('@')
        .map_or(s, |(_, rest)| rest)
        .replacen(':', "/", 1);
    s.trim_end_matches('/').trim_end_matches(".git").to_owned()
}

/// Parses a `Package.resolved`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let r: Resolved =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let locations = json_object_locations(text, 3);
    let (pins, prefix): (Vec<Pin>, &[&str]) = match (r.object, r.pins) {
        (Some(o), _) => (o.pins, &["object", "pins"]),
        (None, Some(p)) => (p, &["pins"]),
        (None, None) => return Err(LangError::new(path, KIND, "no `pins`")),
    };
    let mut packages = Vec::new();
    for (i, pin) in pins.iter().enumerate() {
        let Some(url) = pin.repository_url.as_deref().or(pin.location.as_deref()) else {
            continue;
        };
        let Some(version) = pin.state.version.as_deref().filter(|v| !v.is_empty()) else {
            continue;
        };
        let name = repo_name(url);
        let (ns, short) = name.rsplit_once('/').unwrap_or(("", &name));
        let mut pkg = Package::new(
            Ecosystem::SwiftURL,
            &name,
            version,
            Purl::new("swift", ns, short, version),
        );
        let mut key: Vec<String> = prefix.iter().map(|s| (*s).to_owned()).collect();
        key.push(format!("#{i}"));
        pkg.locations.extend(locations.get(&key).copied());
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_and_v2() {
        let v1 = r#"{
  "object": {
    "pins": [
      {
        "package": "Alamofire",
        "repositoryURL": "https://github.com/Alamofire/Alamofire.git",
        "state": {"branch": null, "revision": "abc", "version": "5.6.4"}
      }
    ]
  },
  "version": 1
}"#;
        let app = parse("Package.resolved", v1.as_bytes()).unwrap();
        assert_eq!(app.packages[0].id, "github.com/Alamofire/Alamofire@5.6.4");
        assert_eq!(
            app.packages[0].purl.to_string(),
            "pkg:swift/github.com/Alamofire/Alamofire@5.6.4"
        );
        assert_eq!(app.packages[0].locations[0].start_line, 4);
        let v2 = r#"{"pins": [{"identity": "swift-nio", "kind": "remoteSourceControl", "location": "https://github.com/apple/swift-nio.git", "state": {"revision": "x", "version": "2.0.0"}}, {"identity": "b", "location": "https://example.invalid/b", "state": {"branch": "main", "revision": "y"}}], "version": 2}"#;
        let app = parse("Package.resolved", v2.as_bytes()).unwrap();
        assert_eq!(app.packages.len(), 1);
        assert_eq!(app.packages[0].name, "github.com/apple/swift-nio");
        // Version 3 (Swift 5.9+) adds `originHash`; pins are as in version 2.
        let v3 = r#"{
  "originHash" : "0d6a1e3f",
  "pins" : [
    {
      "identity" : "swift-log",
      "kind" : "remoteSourceControl",
      "location" : "https://github.com/apple/swift-log.git",
      "state" : {
        "revision" : "e97a6fcb",
        "version" : "1.5.4"
      }
    }
  ],
  "version" : 3
}"#;
        let app = parse("Package.resolved", v3.as_bytes()).unwrap();
        assert_eq!(app.packages.len(), 1);
        assert_eq!(
            app.packages[0].purl.to_string(),
            "pkg:swift/github.com/apple/swift-log@1.5.4"
        );
        assert_eq!(app.packages[0].locations[0].start_line, 4);
    }

    #[test]
    fn malformed() {
        assert!(parse("Package.resolved", b"{\"version\": 2}").is_err());
        assert!(parse("Package.resolved", b"{\"pins\": [{}]}").is_err());
    }
}
