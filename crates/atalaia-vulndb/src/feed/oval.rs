//! Azure Linux and CBL-Mariner OVAL definitions (OVAL 5.11).
//!
//! One `definition` per (CVE, package): `metadata/reference@ref_id` is the CVE, `severity`,
//! `patchable`, `advisory_id`; `criteria/criterion@test_ref` → `rpminfo_test` → its
//! `rpminfo_object/name` (the package) and `rpminfo_state/evr[@operation="less than"]` (the fixed
//! EVR). The release comes from the EVRs' dist tag (`.azl3` → `azurelinux 3.0`, `.cm2` →
//! `cbl-mariner 2.0`).

use std::collections::HashMap;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{label_entry, Affected, FeedRecord, FileOutput, RecordKind};
use crate::model::{AffectedRange, RangeEvent, RangeType, Status};
use crate::VulnDbError;

const FORMAT: &str = "Azure Linux OVAL";

#[derive(Debug, Default)]
struct Definition {
    cves: Vec<String>,
    references: Vec<String>,
    title: Option<String>,
    description: Option<String>,
    severity: Option<String>,
    patchable: Option<String>,
    advisory_id: Option<String>,
    advisory_date: Option<String>,
    tests: Vec<String>,
}

#[derive(Debug, Default)]
struct Doc {
    timestamp: Option<String>,
    definitions: Vec<Definition>,
    tests: HashMap<String, (Option<String>, Option<String>)>,
    objects: HashMap<String, String>,
    states: HashMap<String, (String, String)>,
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn read(path: &Path, bytes: &[u8]) -> Result<Doc, VulnDbError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().trim_text(true);
    let mut doc = Doc::default();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut def: Option<Definition> = None;
    let mut test: Option<(String, Option<String>, Option<String>)> = None;
    let mut object: Option<String> = None;
    let mut state: Option<(String, String)> = None; // (id, operation)
    let err = |e: &dyn std::fmt::Display, pos: u64| {
        VulnDbError::feed(path, FORMAT, format!("at byte {pos}: {e}"))
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| err(&e, reader.buffer_position()))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name().as_ref().to_vec();
                match name.as_slice() {
                    b"definition" => def = Some(Definition::default()),
                    b"reference" => {
                        if let Some(d) = def.as_mut() {
                            if let Some(id) = attr(e, b"ref_id") {
                                d.cves.push(id);
                            }
                            d.references.extend(attr(e, b"ref_url"));
                        }
                    }
                    b"criterion" => {
                        if let (Some(d), Some(t)) = (def.as_mut(), attr(e, b"test_ref")) {
                            d.tests.push(t);
                        }
                    }
                    b"rpminfo_test" => test = attr(e, b"id").map(|id| (id, None, None)),
                    b"object" if test.is_some() => {
                        if let Some(t) = test.as_mut() {
                            t.1 = attr(e, b"object_ref");
                        }
                    }
                    b"state" if test.is_some() => {
                        if let Some(t) = test.as_mut() {
                            t.2 = attr(e, b"state_ref");
                        }
                    }
                    b"rpminfo_object" => object = attr(e, b"id"),
                    b"rpminfo_state" => state = attr(e, b"id").map(|id| (id, String::new())),
                    b"evr" => {
                        if let Some(s) = state.as_mut() {
                            s.1 = attr(e, b"operation").unwrap_or_default();
                        }
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                }
            }
            Event::Text(t) => {
                let text = t
                    .unescape()
                    .map_err(|e| err(&e, reader.buffer_position()))?
                    .into_owned();
                let Some(top) = stack.last() else { continue };
                match top.as_slice() {
                    b"timestamp" if def.is_none() => doc.timestamp = Some(text),
                    b"title" => set(&mut def, |d| d.title = Some(text)),
                    b"description" => set(&mut def, |d| d.description = Some(text)),
                    b"severity" => set(&mut def, |d| d.severity = Some(text)),
                    b"patchable" => set(&mut def, |d| d.patchable = Some(text)),
                    b"advisory_id" => set(&mut def, |d| d.advisory_id = Some(text)),
                    b"advisory_date" => set(&mut def, |d| d.advisory_date = Some(text)),
                    b"name" => {
                        if let Some(id) = object.take() {
                            doc.objects.insert(id, text);
                        }
                    }
                    b"evr" => {
                        if let Some((id, op)) = state.take() {
                            doc.states.insert(id, (op, text));
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                let name = e.local_name().as_ref().to_vec();
                stack.pop();
                match name.as_slice() {
                    b"definition" => doc.definitions.extend(def.take()),
                    b"rpminfo_test" => {
                        if let Some((id, o, s)) = test.take() {
                            doc.tests.insert(id, (o, s));
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(VulnDbError::feed(
            path,
            FORMAT,
            "the document ends inside an element",
        ));
    }
    Ok(doc)
}

fn set(def: &mut Option<Definition>, f: impl FnOnce(&mut Definition)) {
    if let Some(d) = def.as_mut() {
        f(d);
    }
}

/// The namespace of an EVR's dist tag: `0:2.6.7-3.azl3` → `azurelinux 3.0`.
fn namespace_of_evr(evr: &str) -> Option<String> {
    // The dist tag is the last dot-separated part (`2.6.7-3.azl3`, also `29.3.azl3`).
    let tag = evr.rsplit('.').next()?;
    let digits = |s: &str| {
        s.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
    };
    if let Some(n) = tag.strip_prefix("azl") {
        let n = digits(n);
        return (!n.is_empty()).then(|| format!("azurelinux {n}.0"));
    }
    if let Some(n) = tag.strip_prefix("cm") {
        let n = digits(n);
        return (!n.is_empty()).then(|| format!("cbl-mariner {n}.0"));
    }
    None
}

/// Parses an OVAL document.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let doc = read(path, bytes)?;
    let mut out = FileOutput {
        label: Some("azure-oval".to_owned()),
        revision: doc.timestamp.clone(),
        ..FileOutput::default()
    };
    for d in doc.definitions {
        out.record_count += 1;
        let Some(cve) = d.cves.first().cloned() else {
            out.warnings.push(format!(
                "`{}`: definition without a reference, not loaded",
                path.display()
            ));
            continue;
        };
        let mut rec = FeedRecord::new(cve, RecordKind::Advisory);
        rec.aliases = d.cves.iter().skip(1).cloned().collect();
        rec.details.references = d.references;
        rec.details.published = d.advisory_date;
        if let Some(s) = &d.severity {
            rec.details.severities.push(label_entry("azurelinux", s));
        }
        for t in &d.tests {
            let Some((Some(obj), Some(st))) = doc.tests.get(t) else {
                out.warnings.push(format!(
                    "`{}`: test `{t}` is missing or incomplete",
                    path.display()
                ));
                continue;
            };
            let (Some(package), Some((op, evr))) = (doc.objects.get(obj), doc.states.get(st))
            else {
                out.warnings.push(format!(
                    "`{}`: test `{t}` names a missing object or state",
                    path.display()
                ));
                continue;
            };
            let Some(namespace) = namespace_of_evr(evr) else {
                out.warnings.push(format!(
                    "`{}`: `{evr}` has no Azure Linux / CBL-Mariner dist tag",
                    path.display()
                ));
                continue;
            };
            let mut a = match (d.patchable.as_deref(), op.as_str()) {
                (Some("Not Applicable"), _) => {
                    Affected::new(namespace, package.clone(), Status::NotAffected)
                }
                (_, "less than") => {
                    Affected::new(namespace, package.clone(), Status::Fixed).fixed_in("rpm", evr)
                }
                (_, "less than or equal") => {
                    let mut a = Affected::new(namespace, package.clone(), Status::Affected);
                    a.ranges.push(AffectedRange {
                        range_type: RangeType::Ecosystem,
                        scheme: "rpm".to_owned(),
                        events: vec![
                            RangeEvent::Introduced("0".to_owned()),
                            RangeEvent::LastAffected(evr.clone()),
                        ],
                    });
                    a
                }
                (_, other) => {
                    out.warnings.push(format!(
                        "`{}`: EVR operation `{other}` not understood",
                        path.display()
                    ));
                    continue;
                }
            };
            a.severity = d.severity.clone();
            if let Some(id) = &d.advisory_id {
                a.extra = Some(serde_json::json!({ "advisory_id": id }));
            }
            rec.affected.push(a);
        }
        out.records.push(rec);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dist_tags() {
        assert_eq!(
            namespace_of_evr("0:2.6.7-3.azl3").as_deref(),
            Some("azurelinux 3.0")
        );
        assert_eq!(
            namespace_of_evr("0:1.2-4.cm2").as_deref(),
            Some("cbl-mariner 2.0")
        );
        assert_eq!(namespace_of_evr("1.2-4.el9"), None);
        assert_eq!(
            namespace_of_evr("0:29.3.azl3").as_deref(),
            Some("azurelinux 3.0")
        );
    }

    #[test]
    fn malformed_input_is_an_error() {
        let err = parse(
            Path::new("o.xml"),
            b"<oval_definitions><definitions><definition>",
        )
        .unwrap_err();
        assert!(err.to_string().contains("o.xml"), "{err}");
        assert!(parse(Path::new("o.xml"), b"<a></b>").is_err());
    }
}
