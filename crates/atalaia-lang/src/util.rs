//! Small helpers shared by the parsers: line numbers from byte offsets, text decoding.

use std::collections::HashMap;

use atalaia_types::{Application, Ecosystem, Location, Package, Purl};

use crate::LangError;

/// Maps byte offsets of a text to 1-based line numbers.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let i = self.starts.partition_point(|&s| s <= offset);
        u32::try_from(i.max(1)).unwrap_or(u32::MAX)
    }
}

/// The lines of each `[[name]]` table of a TOML document, in order: from the header to the last
/// non-blank line before the next header that is not one of its sub-tables (`[name.x]`).
pub(crate) fn toml_array_blocks(text: &str, name: &str) -> Vec<Location> {
    let header = format!("[[{name}]]");
    let sub = format!("[{name}.");
    let mut out = Vec::new();
    let mut current: Option<Location> = None;
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let t = line.trim();
        if t == header {
            out.extend(current.take());
            current = Some(Location {
                start_line: n,
                end_line: n,
            });
        } else if t.starts_with('[') && !t.starts_with(&sub) && !t.starts_with(&format!("[{sub}")) {
            out.extend(current.take());
        } else if let Some(c) = current.as_mut() {
            if !t.is_empty() && !t.starts_with('#') {
                c.end_line = n;
            }
        }
    }
    out.extend(current);
    out
}

/// Where the JSON objects of a document are, by path: each object nested at most `max_depth`
/// containers deep, keyed by the object keys and array indices (`#0`, `#1`, …) leading to it.
/// One pass over the text; it assumes the text is valid JSON (parse it with serde first).
pub(crate) fn json_object_locations(
    text: &str,
    max_depth: usize,
) -> HashMap<Vec<String>, Location> {
    enum Frame {
        Obj { key: Option<String>, want_key: bool },
        Arr { index: usize },
    }
    let lines = LineIndex::new(text);
    let bytes = text.as_bytes();
    let mut out = HashMap::new();
    let mut stack: Vec<(Frame, usize)> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if let Some((Frame::Obj { key, want_key }, _)) = stack.last_mut() {
                    if *want_key {
                        let raw = text.get(start..=i.min(bytes.len() - 1)).unwrap_or("");
                        *key = serde_json::from_str::<String>(raw).ok();
                        *want_key = false;
                    }
                }
            }
            b':' => {}
            b',' => match stack.last_mut() {
                Some((Frame::Obj { want_key, .. }, _)) => *want_key = true,
                Some((Frame::Arr { index }, _)) => *index += 1,
                None => {}
            },
            c @ (b'{' | b'[') => {
                let seg = match stack.last() {
                    Some((Frame::Obj { key, .. }, _)) => key.clone().unwrap_or_default(),
                    Some((Frame::Arr { index }, _)) => format!("#{index}"),
                    None => String::new(),
                };
                if !stack.is_empty() {
                    path.push(seg);
                }
                let frame = if c == b'{' {
                    Frame::Obj {
                        key: None,
                        want_key: true,
                    }
                } else {
                    Frame::Arr { index: 0 }
                };
                stack.push((frame, i));
            }
            b'}' | b']' => {
                if let Some((frame, start)) = stack.pop() {
                    if matches!(frame, Frame::Obj { .. })
                        && !path.is_empty()
                        && path.len() <= max_depth
                    {
                        out.insert(
                            path.clone(),
                            Location {
                                start_line: lines.line(start),
                                end_line: lines.line(i),
                            },
                        );
                    }
                    if !stack.is_empty() {
                        path.pop();
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// A path for [`json_object_locations`] lookups.
pub(crate) fn jpath(segs: &[&str]) -> Vec<String> {
    segs.iter().map(|s| (*s).to_owned()).collect()
}

/// The lines of each key of a top-level YAML mapping `section` (`packages:`): keys indented by
/// two spaces (quotes removed), from their line to the last non-blank line before the next one.
pub(crate) fn yaml_section_keys(text: &str, section: &str) -> HashMap<String, Location> {
    let mut out = HashMap::new();
    let header = format!("{section}:");
    let mut inside = false;
    let mut current: Option<(String, Location)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            if let Some((k, l)) = current.take() {
                out.insert(k, l);
            }
            inside = line.trim_end() == header;
            continue;
        }
        if !inside {
            continue;
        }
        if indent == 2 {
            if let Some((k, l)) = current.take() {
                out.insert(k, l);
            }
            let t = line.trim();
            let key = t
                .strip_suffix(':')
                .or_else(|| t.split_once(": ").map(|(k, _)| k))
                .unwrap_or(t);
            let key = key
                .trim()
                .trim_matches(|c| c == '\'' || c == '"')
                .to_owned();
            current = Some((
                key,
                Location {
                    start_line: n,
                    end_line: n,
                },
            ));
        } else if let Some((_, l)) = current.as_mut() {
            l.end_line = n;
        }
    }
    if let Some((k, l)) = current {
        out.insert(k, l);
    }
    out
}

/// The bytes as UTF-8 text (a leading BOM removed), or an error naming the file.
pub(crate) fn text<'a>(
    path: &str,
    kind: &'static str,
    bytes: &'a [u8],
) -> Result<&'a str, LangError> {
    let s = std::str::from_utf8(bytes)
        .map_err(|e| LangError::new(path, kind, format!("not UTF-8 ({e})")))?;
    Ok(s.strip_prefix('\u{feff}').unwrap_or(s))
}

/// `/` + `path`, the form packages' `file_path` takes inside images.
pub(crate) fn rooted(path: &str) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

/// A package whose purl has no namespace.
pub(crate) fn simple_package(eco: Ecosystem, name: &str, version: &str) -> Package {
    Package::new(
        eco,
        name,
        version,
        Purl::new(eco.purl_type(), "", name, version),
    )
}

/// An npm package: scoped names (`@types/node`) put the scope in the purl namespace.
pub(crate) fn npm_package(name: &str, version: &str) -> Package {
    let (ns, short) = match name.strip_prefix('@').and_then(|rest| rest.split_once('/')) {
        Some((scope, short)) => (format!("@{scope}"), short),
        None => (String::new(), name),
    };
    Package::new(
        Ecosystem::Npm,
        name,
        version,
        Purl::new("npm", &ns, short, version),
    )
}

/// A Go module: the path's last segment is the purl name, the rest its namespace.
pub(crate) fn go_package(module: &str, version: &str) -> Package {
    let (ns, name) = match module.rsplit_once('/') {
        Some((ns, name)) => (ns, name),
        None => ("", module),
    };
    // Purl namespaces and names of golang purls are lower case in Trivy's and Syft's output.
    Package::new(
        Ecosystem::Go,
        module,
        version,
        Purl::new(
            "golang",
            &ns.to_ascii_lowercase(),
            &name.to_ascii_lowercase(),
            version,
        ),
    )
}

/// A parser's finished output: each package's `depends_on` sorted and deduplicated, the packages
/// sorted by [`sort_packages`], as the application of type `app_type` read from `path`.
pub(crate) fn application(app_type: &str, path: &str, mut packages: Vec<Package>) -> Application {
    for p in &mut packages {
        p.depends_on.sort();
        p.depends_on.dedup();
    }
    sort_packages(&mut packages);
    Application {
        app_type: app_type.to_owned(),
        file_path: path.to_owned(),
        packages,
    }
}

/// Sorts packages by name, then version, then first location, and removes exact duplicates.
pub(crate) fn sort_packages(pkgs: &mut Vec<Package>) {
    pkgs.sort_by(|a, b| {
        (
            a.name.as_str(),
            a.version.as_str(),
            a.file_path.as_str(),
            a.locations.first().map(|l| l.start_line),
        )
            .cmp(&(
                b.name.as_str(),
                b.version.as_str(),
                b.file_path.as_str(),
                b.locations.first().map(|l| l.start_line),
            ))
    });
    pkgs.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let idx = LineIndex::new("a\nbc\n\nd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
    }

    #[test]
    fn json_locations() {
        let text = "{\n \"packages\": {\n  \"\": {},\n  \"node_modules/a\": {\n   \"x\": [1, {\"y\": 2}]\n  }\n },\n \"list\": [\n  {\"a\": \"}\"},\n  {}\n ]\n}";
        let locs = json_object_locations(text, 2);
        assert_eq!(
            locs[&jpath(&["packages", "node_modules/a"])],
            Location {
                start_line: 4,
                end_line: 6
            }
        );
        assert_eq!(
            locs[&jpath(&["packages", ""])],
            Location {
                start_line: 3,
                end_line: 3
            }
        );
        assert_eq!(
            locs[&jpath(&["list", "#1"])],
            Location {
                start_line: 10,
                end_line: 10
            }
        );
        assert_eq!(
            locs[&jpath(&["list", "#0"])],
            Location {
                start_line: 9,
                end_line: 9
            }
        );
        assert!(!locs.contains_key(&jpath(&["packages", "node_modules/a", "x", "#1"])));
    }

    #[test]
    fn purls() {
        assert_eq!(
            npm_package("@types/node", "1.0.0").purl.to_string(),
            "pkg:npm/%40types/node@1.0.0"
        );
        assert_eq!(
            go_package("github.com/BurntSushi/toml", "v1.0.0")
                .purl
                .to_string(),
            "pkg:golang/github.com/burntsushi/toml@v1.0.0"
        );
        assert_eq!(
            go_package("stdlib", "v1.21.0").purl.to_string(),
            "pkg:golang/stdlib@v1.21.0"
        );
    }
}
