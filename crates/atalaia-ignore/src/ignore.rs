//! `.trivyignore` and `.trivyignore.yaml`, read as Trivy reads them (`pkg/result/ignore.go`).
//!
//! Plain format: each line is trimmed; empty lines and lines starting with `#` are skipped; the
//! first whitespace-separated field is the ID; when there are more fields, the first one that
//! starts with `exp:` is the expiry (`YYYY-MM-DD`). A bad expiry makes Trivy drop the line with a
//! warning; so does atalaia (an [`IgnoreWarning`]), so the finding stays visible. Other fields are
//! ignored as Trivy ignores them (so `CVE-1 # why` works); atalaia warns about those before a `#`,
//! because a typo such as `exp=2024-01-01` would otherwise silently make a permanent entry. CRLF line
//! ends and a leading byte-order mark are accepted. Every plain entry applies to all four kinds
//! of finding.
//!
//! YAML format: sections `vulnerabilities`, `misconfigurations`, `secrets`, `licenses`; entries
//! with `id`, `paths`, `purls`, `expired_at`, `statement`. An entry needs at least one of `id`,
//! `paths`, `purls` (an entry without `id` matches every ID within its paths and purls, as in
//! current Trivy). Unlike Trivy, unknown keys are errors naming the file and line, and `purls`
//! outside `vulnerabilities` are rejected (Trivy would silently let such an entry match every
//! finding of the section).

use std::path::Path;

use atalaia_types::Purl;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::date::{parse_plain_date, parse_yaml_timestamp, Expiry};
use crate::glob::PathPattern;
use crate::{purls, IgnoreError};

/// Which syntax an ignore file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IgnoreFormat {
    /// `.trivyignore`: one ID per line.
    Plain,
    /// `.trivyignore.yaml`.
    Yaml,
}

impl IgnoreFormat {
    /// As Trivy decides: a `.yml` or `.yaml` extension means YAML, anything else is plain.
    pub fn from_path(path: &Path) -> IgnoreFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some("yml" | "yaml") => IgnoreFormat::Yaml,
            _ => IgnoreFormat::Plain,
        }
    }
}

/// One entry of an ignore file.
#[derive(Debug, Clone)]
pub struct IgnoreRule {
    /// The ID to ignore; `None` for a YAML entry without `id` (it matches every ID).
    pub id: Option<String>,
    /// Globs of which at least one must match the result target (or, for vulnerabilities, the
    /// package path); empty matches everywhere.
    pub paths: Vec<PathPattern>,
    /// Purls of which at least one must match the package (vulnerabilities only); empty matches
    /// every package, and so does a finding without a purl (as Trivy).
    pub purls: Vec<Purl>,
    /// When the entry stops applying.
    pub expired_at: Option<Expiry>,
    /// Why the finding is ignored (YAML `statement`; empty for plain entries).
    pub statement: String,
    /// The 1-based line of the entry (for YAML, the line of its `-`; the section's line for
    /// entries written in flow style).
    pub line: usize,
}

impl IgnoreRule {
    /// Whether the entry has expired on `today`.
    pub fn is_expired(&self, today: time::Date) -> bool {
        self.expired_at.is_some_and(|e| e.is_expired(today))
    }

    /// The ID among `ids` this entry names (the first, for an entry without `id`), when its
    /// paths and purls also match. Expiry is not looked at.
    pub(crate) fn matching_id<'a>(
        &self,
        ids: &[&'a str],
        path: &str,
        purl: Option<&Purl>,
    ) -> Option<&'a str> {
        let id = match &self.id {
            Some(want) => *ids.iter().find(|i| **i == want.as_str())?,
            None => *ids.first()?,
        };
        let path_ok = self.paths.is_empty() || self.paths.iter().any(|p| p.is_match(path));
        let purl_ok = match purl {
            None => true,
            Some(target) => {
                self.purls.is_empty() || self.purls.iter().any(|p| purls::ignore_matches(p, target))
            }
        };
        (path_ok && purl_ok).then_some(id)
    }
}

/// Something in an ignore file that was skipped or looks wrong, without being an error (Trivy
/// logs these as warnings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IgnoreWarning {
    /// The file.
    pub source: String,
    /// The 1-based line.
    pub line: usize,
    /// What is wrong and what was done about it.
    pub message: String,
}

/// A parsed ignore file.
#[derive(Debug, Clone)]
pub struct IgnoreFile {
    /// The file as Trivy names it in `ExperimentalModifiedFindings[].Source` (the path with `.`
    /// and `..` segments and doubled slashes cleaned).
    pub source: String,
    /// Its syntax.
    pub format: IgnoreFormat,
    /// Entries for vulnerabilities.
    pub vulnerabilities: Vec<IgnoreRule>,
    /// Entries for misconfigurations (ID or AVD ID).
    pub misconfigurations: Vec<IgnoreRule>,
    /// Entries for secrets (rule ID).
    pub secrets: Vec<IgnoreRule>,
    /// Entries for licenses (name or SPDX expression).
    pub licenses: Vec<IgnoreRule>,
    /// Lines skipped or suspicious.
    pub warnings: Vec<IgnoreWarning>,
}

impl IgnoreFile {
    /// Reads `path`, choosing the syntax from its extension as Trivy does.
    pub fn load(path: &Path) -> Result<IgnoreFile, IgnoreError> {
        let source = clean_path(&path.to_string_lossy());
        let bytes = std::fs::read(path).map_err(|err| IgnoreError::Read {
            source_name: source.clone(),
            err,
        })?;
        IgnoreFile::parse(&source, IgnoreFormat::from_path(path), &bytes)
    }

    /// Like [`IgnoreFile::load`], but a file that does not exist is `Ok(None)` (Trivy's default
    /// `.trivyignore` is optional).
    pub fn load_if_exists(path: &Path) -> Result<Option<IgnoreFile>, IgnoreError> {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            _ => IgnoreFile::load(path).map(Some),
        }
    }

    /// Parses bytes in the given syntax; `source` names the file in errors and suppressions.
    pub fn parse(
        source: &str,
        format: IgnoreFormat,
        bytes: &[u8],
    ) -> Result<IgnoreFile, IgnoreError> {
        let text = String::from_utf8_lossy(bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        match format {
            IgnoreFormat::Plain => Ok(IgnoreFile::parse_plain(source, text)),
            IgnoreFormat::Yaml => IgnoreFile::parse_yaml(source, text),
        }
    }

    /// Parses a plain `.trivyignore`. It never fails: lines Trivy would drop become warnings.
    pub fn parse_plain(source: &str, text: &str) -> IgnoreFile {
        let mut rules = Vec::new();
        let mut warnings = Vec::new();
        for (i, raw) in text.split('\n').enumerate() {
            let line_no = i + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            let mut expired_at = None;
            if fields.len() > 1 {
                if let Some(value) = fields.iter().find_map(|f| f.strip_prefix("exp:")) {
                    match parse_plain_date(value) {
                        Ok(e) => expired_at = Some(e),
                        Err(why) => {
                            warnings.push(IgnoreWarning {
                                source: source.to_owned(),
                                line: line_no,
                                message: format!("bad expiry date: {why}; the line is skipped"),
                            });
                            continue;
                        }
                    }
                }
                for extra in fields[1..].iter().take_while(|f| !f.starts_with('#')) {
                    if !extra.starts_with("exp:") {
                        warnings.push(IgnoreWarning {
                            source: source.to_owned(),
                            line: line_no,
                            message: format!("unknown field `{extra}` after the ID is ignored"),
                        });
                    }
                }
            }
            rules.push(IgnoreRule {
                id: Some(fields[0].to_owned()),
                paths: Vec::new(),
                purls: Vec::new(),
                expired_at,
                statement: String::new(),
                line: line_no,
            });
        }
        IgnoreFile {
            source: source.to_owned(),
            format: IgnoreFormat::Plain,
            vulnerabilities: rules.clone(),
            misconfigurations: rules.clone(),
            secrets: rules.clone(),
            licenses: rules,
            warnings,
        }
    }

    /// Parses a `.trivyignore.yaml`.
    pub fn parse_yaml(source: &str, text: &str) -> Result<IgnoreFile, IgnoreError> {
        let yaml_err = |err: serde_yaml_ng::Error, line: Option<usize>| IgnoreError::Yaml {
            source_name: source.to_owned(),
            line: line.or_else(|| err.location().map(|l| l.line())),
            err,
        };
        let raw: Option<RawConfig> = serde_yaml_ng::from_str(text).map_err(|e| {
            let line = value_line(text, &e);
            yaml_err(e, line)
        })?;
        let raw = raw.unwrap_or_default();
        let lines = entry_lines(text);
        let convert = |section: &str,
                       entries: Option<Vec<RawEntry>>|
         -> Result<Vec<IgnoreRule>, IgnoreError> {
            let mut out = Vec::new();
            for (i, e) in entries.unwrap_or_default().into_iter().enumerate() {
                let line = lines.line_of(section, i);
                if e.id.as_deref().is_none_or(str::is_empty)
                    && e.paths.is_empty()
                    && e.purls.is_empty()
                {
                    let msg = format!(
                        "{section}[{i}]: an entry must specify at least one of id, paths or purls"
                    );
                    return Err(yaml_err(de::Error::custom(msg), Some(line)));
                }
                if section != "vulnerabilities" && !e.purls.is_empty() {
                    let msg = format!("{section}[{i}]: `purls` applies only to vulnerabilities");
                    return Err(yaml_err(de::Error::custom(msg), Some(line)));
                }
                out.push(IgnoreRule {
                    id: e.id.filter(|s| !s.is_empty()),
                    paths: e.paths.into_iter().map(|p| p.0).collect(),
                    purls: e.purls.into_iter().map(|p| p.0).collect(),
                    expired_at: e.expired_at.map(|x| x.0),
                    statement: e.statement.unwrap_or_default(),
                    line,
                });
            }
            Ok(out)
        };
        Ok(IgnoreFile {
            source: source.to_owned(),
            format: IgnoreFormat::Yaml,
            vulnerabilities: convert("vulnerabilities", raw.vulnerabilities)?,
            misconfigurations: convert("misconfigurations", raw.misconfigurations)?,
            secrets: convert("secrets", raw.secrets)?,
            licenses: convert("licenses", raw.licenses)?,
            warnings: Vec::new(),
        })
    }

    /// Every entry with the section it belongs to (a plain file's entries appear once, under
    /// `vulnerabilities`).
    pub fn rules(&self) -> impl Iterator<Item = (&'static str, &IgnoreRule)> {
        let plain = self.format == IgnoreFormat::Plain;
        let v = self.vulnerabilities.iter().map(|r| ("vulnerabilities", r));
        let m = self
            .misconfigurations
            .iter()
            .map(|r| ("misconfigurations", r));
        let s = self.secrets.iter().map(|r| ("secrets", r));
        let l = self.licenses.iter().map(|r| ("licenses", r));
        let others: Box<dyn Iterator<Item = _>> = if plain {
            Box::new(std::iter::empty())
        } else {
            Box::new(m.chain(s).chain(l))
        };
        v.chain(others)
    }
}

/// serde_yaml_ng places errors raised while reading a value (a bad date, purl or glob) at the
/// start of the entry; move them to the line of the key they name (`…: expired_at: …`).
fn value_line(text: &str, err: &serde_yaml_ng::Error) -> Option<usize> {
    let at = err.location()?.line();
    let msg = err.to_string();
    let key = ["expired_at", "purls", "paths"]
        .into_iter()
        .find(|k| msg.contains(&format!("]: {k}: ")))?;
    let lines: Vec<&str> = text.split('\n').collect();
    (at.saturating_sub(1)..lines.len())
        .find(|&i| {
            let t = lines[i].trim_start().trim_start_matches("- ").trim_start();
            t.starts_with(key) && t[key.len()..].trim_start().starts_with(':')
        })
        .map(|i| i + 1)
}

/// Go's `filepath.Clean` for slash paths: doubled slashes, `.` and resolvable `..` segments removed.
pub(crate) fn clean_path(p: &str) -> String {
    if p.is_empty() {
        return ".".to_owned();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            s => out.push(s),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_owned(),
        (false, false) => body,
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    vulnerabilities: Option<Vec<RawEntry>>,
    #[serde(default)]
    misconfigurations: Option<Vec<RawEntry>>,
    #[serde(default)]
    secrets: Option<Vec<RawEntry>>,
    #[serde(default)]
    licenses: Option<Vec<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, deserialize_with = "nullable_vec")]
    paths: Vec<YamlPattern>,
    #[serde(default, deserialize_with = "nullable_vec")]
    purls: Vec<YamlPurl>,
    #[serde(default)]
    expired_at: Option<YamlExpiry>,
    #[serde(default)]
    statement: Option<String>,
}

fn nullable_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A scalar read as text (YAML `2024-03-01` and `123` are not strings to every parser).
struct ScalarText;

impl Visitor<'_> for ScalarText {
    type Value = String;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

struct YamlExpiry(Expiry);

impl<'de> Deserialize<'de> for YamlExpiry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = d.deserialize_any(ScalarText)?;
        parse_yaml_timestamp(&s)
            .map(YamlExpiry)
            .map_err(|why| de::Error::custom(format!("expired_at: {why}")))
    }
}

struct YamlPurl(Purl);

impl<'de> Deserialize<'de> for YamlPurl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = d.deserialize_any(ScalarText)?;
        purls::parse(&s)
            .map(YamlPurl)
            .ok_or_else(|| de::Error::custom(format!("purls: `{s}` is not a valid package URL")))
    }
}

struct YamlPattern(PathPattern);

impl<'de> Deserialize<'de> for YamlPattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = d.deserialize_any(ScalarText)?;
        PathPattern::new(&s)
            .map(YamlPattern)
            .map_err(|why| de::Error::custom(format!("paths: {why}")))
    }
}

/// The line of each block-style sequence item under each top-level key, found by indentation
/// (serde does not expose positions of values that parse fine).
struct EntryLines {
    sections: Vec<(String, usize, Vec<usize>)>,
}

impl EntryLines {
    fn line_of(&self, section: &str, index: usize) -> usize {
        self.sections
            .iter()
            .find(|(name, _, _)| name == section)
            .map_or(1, |(_, at, items)| items.get(index).copied().unwrap_or(*at))
    }
}

fn entry_lines(text: &str) -> EntryLines {
    let mut sections: Vec<(String, usize, Vec<usize>)> = Vec::new();
    let mut item_indent: Option<usize> = None;
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent == 0 && !trimmed.starts_with('-') {
            let key = trimmed
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            sections.push((key.to_owned(), i + 1, Vec::new()));
            item_indent = None;
            continue;
        }
        if trimmed == "-" || trimmed.starts_with("- ") {
            if let Some((_, _, items)) = sections.last_mut() {
                match item_indent {
                    None => {
                        item_indent = Some(indent);
                        items.push(i + 1);
                    }
                    Some(n) if n == indent => items.push(i + 1),
                    Some(_) => {}
                }
            }
        }
    }
    EntryLines { sections }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn plain_format_as_trivy() {
        let text =
            "# comment\r\n\r\nCVE-2021-1111\r\n  CVE-2021-2222   \nCVE-2021-3333 exp:2024-01-02\n\
                    CVE-2021-4444 # inline comment exp:2000-01-01\nCVE-2021-5555 exp:2024-13-45\n\
                    CVE-2021-6666 foo exp:2030-01-01\nexp:2030-01-01\n   # indented comment\n";
        let f = IgnoreFile::parse_plain(".trivyignore", text);
        let ids: Vec<_> = f
            .vulnerabilities
            .iter()
            .map(|r| r.id.clone().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "CVE-2021-1111",
                "CVE-2021-2222",
                "CVE-2021-3333",
                "CVE-2021-4444",
                "CVE-2021-6666",
                "exp:2030-01-01"
            ]
        );
        assert_eq!(
            f.vulnerabilities[2].expired_at.unwrap().date,
            date!(2024 - 01 - 02)
        );
        // `exp:` after `#` still counts, as in Trivy (it looks at every field).
        assert_eq!(
            f.vulnerabilities[3].expired_at.unwrap().date,
            date!(2000 - 01 - 01)
        );
        assert_eq!(
            f.vulnerabilities[4].expired_at.unwrap().date,
            date!(2030 - 01 - 01)
        );
        assert!(f.vulnerabilities[5].expired_at.is_none());
        assert_eq!(f.vulnerabilities[0].line, 3);
        assert_eq!(f.vulnerabilities[1].line, 4);
        // Same entries for every kind of finding.
        assert_eq!(f.secrets.len(), 6);
        assert_eq!(f.licenses.len(), 6);
        assert_eq!(f.misconfigurations.len(), 6);
        assert_eq!(f.warnings.len(), 2, "{:?}", f.warnings);
        assert_eq!(f.warnings[0].line, 7);
        assert!(f.warnings[0].message.contains("2024-13-45"));
        assert_eq!(f.warnings[1].line, 8);
        assert!(f.warnings[1].message.contains("foo"));
    }

    #[test]
    fn plain_format_survives_garbage() {
        let bytes = b"\xff\xfe\x00CVE-1\n\n\x00\x01 exp:\n\t\t\n";
        let f = IgnoreFile::parse(".trivyignore", IgnoreFormat::Plain, bytes).unwrap();
        assert_eq!(f.vulnerabilities.len(), 1);
        assert_eq!(f.warnings.len(), 1);
        let f = IgnoreFile::parse(".trivyignore", IgnoreFormat::Plain, b"").unwrap();
        assert!(f.vulnerabilities.is_empty());
    }

    const YAML: &str = r#"
vulnerabilities:
  - id: CVE-2022-0001
    paths:
      - "app/**"
    statement: not reachable
  - id: CVE-2022-0002
    purls:
      - pkg:npm/lodash
    expired_at: 2024-05-01
  - purls: ["pkg:deb/debian/linux-libc-dev"]

misconfigurations:
  - id: AVD-DS-0002
secrets:
  - id: aws-access-key-id
    paths: [tests/**]
    expired_at: "2030-01-01T00:00:00Z"
licenses:
"#;

    #[test]
    fn yaml_format() {
        let f = IgnoreFile::parse_yaml("cfg/../.trivyignore.yaml", YAML).unwrap();
        assert_eq!(f.vulnerabilities.len(), 3);
        let v = &f.vulnerabilities;
        assert_eq!(v[0].id.as_deref(), Some("CVE-2022-0001"));
        assert_eq!(v[0].statement, "not reachable");
        assert_eq!(v[0].paths[0].as_str(), "app/**");
        assert_eq!(v[0].line, 3);
        assert_eq!(v[1].line, 7);
        assert_eq!(v[1].expired_at.unwrap().date, date!(2024 - 05 - 01));
        assert_eq!(v[1].purls[0].name, "lodash");
        assert_eq!(v[2].id, None);
        assert_eq!(v[2].line, 11);
        assert_eq!(f.misconfigurations[0].line, 14);
        assert_eq!(f.secrets[0].expired_at.unwrap().date, date!(2030 - 01 - 01));
        assert!(f.licenses.is_empty());
        assert_eq!(f.rules().count(), 5);
    }

    fn yaml_error(text: &str) -> String {
        let e = IgnoreFile::parse_yaml("x.yaml", text).unwrap_err();
        let mut msg = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            msg.push_str(" / ");
            msg.push_str(&s.to_string());
            src = s.source();
        }
        msg
    }

    #[test]
    fn yaml_errors_name_file_and_line() {
        let e = yaml_error("vulnerabilities:\n  - id: CVE-1\n    statment: typo\n");
        assert!(
            e.contains("`x.yaml`") && e.contains("line 3") && e.contains("statment"),
            "{e}"
        );
        let e = yaml_error("vulnerabilitis:\n  - id: CVE-1\n");
        assert!(e.contains("line 1") && e.contains("vulnerabilitis"), "{e}");
        let e = yaml_error("vulnerabilities:\n  - id: CVE-1\n    expired_at: 2024-02-30\n");
        assert!(e.contains("line 3") && e.contains("2024-02-30"), "{e}");
        let e = yaml_error("vulnerabilities:\n  - id: CVE-1\n    purls: [\"npm/lodash\"]\n");
        assert!(e.contains("line 3") && e.contains("npm/lodash"), "{e}");
        let e = yaml_error("secrets:\n  - id: x\n    paths: [\"[abc\"]\n");
        assert!(e.contains("line 3") && e.contains("[abc"), "{e}");
        let e = yaml_error("vulnerabilities:\n  - id: a\n  - statement: everything\n");
        assert!(
            e.contains("line 3") && e.contains("at least one of id, paths or purls"),
            "{e}"
        );
        let e = yaml_error("secrets:\n  - id: a\n    purls: [pkg:npm/x]\n");
        assert!(
            e.contains("line 2") && e.contains("only to vulnerabilities"),
            "{e}"
        );
        let e = yaml_error("vulnerabilities: [\n");
        assert!(e.contains("x.yaml"), "{e}");
        let e = yaml_error("- just\n- a list\n");
        assert!(e.contains("x.yaml"), "{e}");
    }

    #[test]
    fn empty_yaml_is_empty() {
        let f = IgnoreFile::parse_yaml("x.yaml", "").unwrap();
        assert_eq!(f.rules().count(), 0);
        let f = IgnoreFile::parse_yaml("x.yaml", "# nothing\nvulnerabilities:\n").unwrap();
        assert_eq!(f.rules().count(), 0);
    }

    #[test]
    fn format_from_extension_and_clean_path() {
        assert_eq!(
            IgnoreFormat::from_path(Path::new("a/.trivyignore.yaml")),
            IgnoreFormat::Yaml
        );
        assert_eq!(
            IgnoreFormat::from_path(Path::new("a/ignore.yml")),
            IgnoreFormat::Yaml
        );
        assert_eq!(
            IgnoreFormat::from_path(Path::new(".trivyignore")),
            IgnoreFormat::Plain
        );
        assert_eq!(clean_path("./a//b/../.trivyignore"), "a/.trivyignore");
        assert_eq!(clean_path("/x/../../y"), "/y");
        assert_eq!(clean_path("../a"), "../a");
        assert_eq!(clean_path("./"), ".");
    }
}
