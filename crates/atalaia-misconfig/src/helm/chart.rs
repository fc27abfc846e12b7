//! Loading a chart into memory: from a directory, or from a `.tgz` archive (subcharts packed
//! under `charts/`), with path checks and size limits on what is read or extracted.

use std::io::Read as _;
use std::path::Path;

use crate::gotmpl::Value;

use super::HelmError;

/// Limits of chart loading.
#[derive(Debug, Clone)]
pub struct LoadLimits {
    /// Most files in one chart (subcharts included).
    pub max_files: usize,
    /// Most bytes of one file (as read, or once decompressed).
    pub max_file_bytes: u64,
    /// Most bytes of a whole chart (every file, every archive decompressed).
    pub max_total_bytes: u64,
    /// Deepest nesting of subcharts.
    pub max_depth: usize,
}

impl Default for LoadLimits {
    fn default() -> LoadLimits {
        LoadLimits {
            max_files: 20_000,
            max_file_bytes: 10 << 20,
            max_total_bytes: 200 << 20,
            max_depth: 8,
        }
    }
}

/// A `dependencies` entry of `Chart.yaml`.
#[derive(Debug, Clone, Default)]
pub struct Dependency {
    /// `name`.
    pub name: String,
    /// `alias`, when set.
    pub alias: Option<String>,
    /// `condition`: comma-separated value paths.
    pub condition: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
}

/// A chart in memory.
#[derive(Debug, Clone)]
pub struct Chart {
    /// `name` from `Chart.yaml` (or the alias it is loaded under).
    pub name: String,
    /// `Chart.yaml` as a value.
    pub metadata: Value,
    /// `values.yaml` (an empty map when missing).
    pub values: Value,
    /// Templates: path relative to the chart root (`templates/x.yaml`) and source.
    pub templates: Vec<(String, String)>,
    /// Other files (for `.Files`), relative to the chart root.
    pub files: Vec<(String, Vec<u8>)>,
    /// Subcharts, from `charts/`.
    pub subcharts: Vec<Chart>,
    /// `dependencies` of `Chart.yaml`.
    pub dependencies: Vec<Dependency>,
    /// `type: library`.
    pub library: bool,
}

struct Budget {
    files: usize,
    bytes: u64,
}

impl Budget {
    fn take(&mut self, limits: &LoadLimits, size: u64, what: &str) -> Result<(), HelmError> {
        self.files += 1;
        self.bytes += size;
        if self.files > limits.max_files {
            return Err(HelmError::Load(format!(
                "more than {} files",
                limits.max_files
            )));
        }
        if size > limits.max_file_bytes {
            return Err(HelmError::Load(format!(
                "`{what}` is larger than {} bytes",
                limits.max_file_bytes
            )));
        }
        if self.bytes > limits.max_total_bytes {
            return Err(HelmError::Load(format!(
                "chart larger than {} bytes",
                limits.max_total_bytes
            )));
        }
        Ok(())
    }
}

const SKIP_DIRS: &[&str] = &[".git", "node_modules"];

/// Load a chart directory.
pub fn load_dir(dir: &Path, limits: &LoadLimits) -> Result<Chart, HelmError> {
    let mut files = Vec::new();
    let mut budget = Budget { files: 0, bytes: 0 };
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((d, rel)) = stack.pop() {
        let rd = std::fs::read_dir(&d)
            .map_err(|e| HelmError::Load(format!("cannot read `{}`: {e}", d.display())))?;
        for entry in rd.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel_path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                if !SKIP_DIRS.contains(&name.as_str()) {
                    stack.push((entry.path(), rel_path));
                }
            } else if ft.is_file() {
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                budget.take(limits, size, &rel_path)?;
                let bytes = std::fs::read(entry.path())
                    .map_err(|e| HelmError::Load(format!("cannot read `{rel_path}`: {e}")))?;
                files.push((rel_path, bytes));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    from_files(files, limits, &mut budget, 0)
}

/// Load a chart from the bytes of a `.tgz` archive (one top directory, the chart's name).
pub fn load_archive(bytes: &[u8], limits: &LoadLimits) -> Result<Chart, HelmError> {
    let mut budget = Budget { files: 0, bytes: 0 };
    load_archive_inner(bytes, limits, &mut budget, 0)
}

fn load_archive_inner(
    bytes: &[u8],
    limits: &LoadLimits,
    budget: &mut Budget,
    depth: usize,
) -> Result<Chart, HelmError> {
    let files = extract(bytes, limits, budget)?;
    from_files(files, limits, budget, depth)
}

/// Extract a gzip'd tar in memory: regular files only, normalised relative paths with the
/// top directory removed; absolute paths and `..` are errors.
fn extract(
    bytes: &[u8],
    limits: &LoadLimits,
    budget: &mut Budget,
) -> Result<Vec<(String, Vec<u8>)>, HelmError> {
    let gz = flate2::read::GzDecoder::new(bytes);
    let mut ar = tar::Archive::new(gz);
    let entries = ar
        .entries()
        .map_err(|e| HelmError::Load(format!("not a tar.gz archive: {e}")))?;
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in entries {
        let mut entry = entry.map_err(|e| HelmError::Load(format!("bad archive entry: {e}")))?;
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind == tar::EntryType::Continuous) {
            continue;
        }
        let raw = entry.path_bytes().into_owned();
        let path = String::from_utf8_lossy(&raw).replace('\\', "/");
        if path.starts_with('/') {
            return Err(HelmError::Load(format!(
                "archive entry `{path}` has an absolute path"
            )));
        }
        let mut parts: Vec<&str> = Vec::new();
        for p in path.split('/') {
            match p {
                "" | "." => {}
                ".." => {
                    return Err(HelmError::Load(format!(
                        "archive entry `{path}` leaves the chart"
                    )))
                }
                p => parts.push(p),
            }
        }
        if parts.len() < 2 {
            // Files outside the top directory (pax headers were skipped above).
            continue;
        }
        let rel = parts[1..].join("/");
        let size = entry.header().size().unwrap_or(0);
        budget.take(limits, size, &rel)?;
        let mut buf =
            Vec::with_capacity(usize::try_from(size.min(limits.max_file_bytes)).unwrap_or(0));
        (&mut entry)
            .take(limits.max_file_bytes + 1)
            .read_to_end(&mut buf)
            .map_err(|e| HelmError::Load(format!("cannot read archive entry `{rel}`: {e}")))?;
        if buf.len() as u64 > limits.max_file_bytes {
            return Err(HelmError::Load(format!(
                "`{rel}` is larger than {} bytes",
                limits.max_file_bytes
            )));
        }
        out.push((rel, buf));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn parse_yaml_value(path: &str, bytes: &[u8], json_numbers: bool) -> Result<Value, HelmError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| HelmError::Load(format!("`{path}` is not UTF-8")))?;
    let text = crate::yaml::normalize_line_breaks(text);
    let docs = crate::yaml::parse_documents(&text)
        .map_err(|e| HelmError::Load(format!("cannot parse `{path}`: {e}")))?;
    Ok(docs
        .first()
        .map(|d| Value::from_yaml(d, json_numbers))
        .unwrap_or_default())
}

fn from_files(
    files: Vec<(String, Vec<u8>)>,
    limits: &LoadLimits,
    budget: &mut Budget,
    depth: usize,
) -> Result<Chart, HelmError> {
    if depth > limits.max_depth {
        return Err(HelmError::Load(format!(
            "subcharts nested deeper than {}",
            limits.max_depth
        )));
    }
    let mut metadata = None;
    let mut values = None;
    let mut templates = Vec::new();
    let mut other = Vec::new();
    let mut sub_archives = Vec::new();
    let mut sub_dirs: std::collections::BTreeMap<String, Vec<(String, Vec<u8>)>> =
        Default::default();
    for (path, bytes) in files {
        if path == "Chart.yaml" {
            metadata = Some(parse_yaml_value(&path, &bytes, false)?);
        } else if path == "values.yaml" {
            values = Some(parse_yaml_value(&path, &bytes, true)?);
        } else if let Some(rest) = path.strip_prefix("charts/") {
            match rest.split_once('/') {
                Some((dir, inner)) => sub_dirs
                    .entry(dir.to_string())
                    .or_default()
                    .push((inner.to_string(), bytes)),
                None if rest.ends_with(".tgz") || rest.ends_with(".tar.gz") => {
                    sub_archives.push((path, bytes));
                }
                None => {}
            }
        } else if path.starts_with("templates/") {
            let text = String::from_utf8(bytes)
                .map_err(|_| HelmError::Load(format!("template `{path}` is not UTF-8")))?;
            templates.push((path, text));
        } else if path != "values.schema.json"
            && path != "Chart.lock"
            && path != "requirements.yaml"
        {
            other.push((path, bytes));
        }
    }
    let metadata = metadata.ok_or_else(|| HelmError::Load("no `Chart.yaml`".to_string()))?;
    let Value::Map(meta_map) = &metadata else {
        return Err(HelmError::Load("`Chart.yaml` is not a mapping".to_string()));
    };
    let name = meta_map
        .borrow()
        .get("name")
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|n| !n.is_empty())
        .ok_or_else(|| HelmError::Load("`Chart.yaml` has no `name`".to_string()))?;
    let library = meta_map.borrow().get("type").and_then(Value::as_str) == Some("library");
    let dependencies = match meta_map.borrow().get("dependencies") {
        Some(Value::List(l)) => l.iter().filter_map(dependency).collect(),
        _ => Vec::new(),
    };
    let mut subcharts = Vec::new();
    for (path, bytes) in sub_archives {
        let sub = load_archive_inner(&bytes, limits, budget, depth + 1)
            .map_err(|e| HelmError::Load(format!("subchart `{path}`: {e}")))?;
        subcharts.push(sub);
    }
    for (dir, files) in sub_dirs {
        if !files.iter().any(|(p, _)| p == "Chart.yaml") {
            continue;
        }
        let sub = from_files(files, limits, budget, depth + 1)
            .map_err(|e| HelmError::Load(format!("subchart `charts/{dir}`: {e}")))?;
        subcharts.push(sub);
    }
    Ok(Chart {
        name,
        metadata,
        values: match values {
            Some(v @ Value::Map(_)) => v,
            _ => Value::map(Default::default()),
        },
        templates,
        files: other,
        subcharts,
        dependencies,
        library,
    })
}

fn dependency(v: &Value) -> Option<Dependency> {
    let Value::Map(m) = v else { return None };
    let m = m.borrow();
    let s = |k: &str| {
        m.get(k)
            .and_then(Value::as_str)
            .map(str::to_string)
            .filter(|s| !s.is_empty())
    };
    Some(Dependency {
        name: s("name")?,
        alias: s("alias"),
        condition: s("condition"),
        tags: match m.get("tags") {
            Some(Value::List(l)) => l
                .iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (path, data) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            // Bypass the builder's path checks to write hostile names.
            let name = h.as_old_mut().name.as_mut();
            name[..path.len()].copy_from_slice(path.as_bytes());
            h.set_cksum();
            b.append(&h, *data).unwrap();
        }
        let tar = b.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn archive_with_subchart() {
        let inner = tgz(&[
            ("sub/Chart.yaml", b"name: sub\nversion: 1.0.0\n"),
            ("sub/values.yaml", b"x: 1\n"),
        ]);
        let outer = tgz(&[
            ("top/Chart.yaml", b"apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: sub\n  condition: sub.enabled\n"),
            ("top/templates/a.yaml", b"kind: {{ .Chart.Name }}\n"),
            ("top/files/f.txt", b"hello"),
            ("top/charts/sub-1.0.0.tgz", &inner),
        ]);
        let c = load_archive(&outer, &LoadLimits::default()).unwrap();
        assert_eq!(c.name, "top");
        assert_eq!(c.templates.len(), 1);
        assert_eq!(c.files[0].0, "files/f.txt");
        assert_eq!(c.subcharts.len(), 1);
        assert_eq!(c.subcharts[0].name, "sub");
        assert_eq!(c.dependencies[0].condition.as_deref(), Some("sub.enabled"));
    }

    #[test]
    fn hostile_archives_are_errors() {
        let limits = LoadLimits::default();
        for bad in [
            tgz(&[
                ("top/../../etc/passwd", b"x"),
                ("top/Chart.yaml", b"name: t\n"),
            ]),
            tgz(&[("/abs/Chart.yaml", b"name: t\n")]),
            tgz(&[("top/values.yaml", b"a: 1\n")]),
            tgz(&[("top/Chart.yaml", b"name: [\n")]),
            tgz(&[("top/Chart.yaml", b"version: 1\n")]),
            b"not gzip at all".to_vec(),
            vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3],
        ] {
            assert!(load_archive(&bad, &limits).is_err());
        }
        let small = LoadLimits {
            max_file_bytes: 4,
            ..LoadLimits::default()
        };
        assert!(load_archive(&tgz(&[("top/Chart.yaml", b"name: toolong\n")]), &small).is_err());
        // An archive that contains itself as a subchart, nested past the depth limit.
        let mut a = tgz(&[("c/Chart.yaml", b"name: c\n")]);
        for _ in 0..10 {
            a = tgz(&[("c/Chart.yaml", b"name: c\n"), ("c/charts/c.tgz", &a)]);
        }
        assert!(load_archive(&a, &limits).is_err());
    }
}
