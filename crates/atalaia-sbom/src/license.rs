//! License strings as packages declare them, turned into what each format accepts.
//!
//! Package metadata holds free text (`GPL-2+`, `public-domain`, `MIT/X11`, `BSD-3-Clause`). Both
//! formats are strict: CycloneDX's `license.id` must be on the SPDX license list (its schema
//! enumerates the ids) and SPDX's `licenseDeclared` must be a valid SPDX expression whose
//! `LicenseRef-` ids are declared in the document. So:
//!
//! - CycloneDX: a string that is exactly an SPDX license id becomes `{"license": {"id"}}`; anything
//!   else keeps its text as `{"license": {"name"}}` (what Trivy writes too). Expressions with
//!   operators are written as names as well, because CycloneDX 1.6 does not allow mixing an
//!   `expression` with other licenses in one list.
//! - SPDX: each string that parses as a strict SPDX expression of listed ids is kept; any other
//!   becomes a `LicenseRef-<text with invalid characters replaced>` declared in
//!   `hasExtractedLicensingInfos` with the original text; the parts are joined with `AND`.
//!
//! The license list is the one in the `spdx` crate (see [`::spdx::license_version`]).

use std::collections::BTreeMap;

use ::spdx::{Expression, LicenseItem};

use crate::graph::hash_hex;

/// The SPDX license id the text is exactly, if it is one.
pub(crate) fn spdx_id(text: &str) -> Option<&'static str> {
    ::spdx::license_id(text.trim()).map(|id| id.name)
}

/// Whether the text is a strict SPDX expression over listed licenses (no `LicenseRef-`).
pub(crate) fn is_listed_expression(text: &str) -> bool {
    match Expression::parse(text.trim()) {
        Ok(expr) => expr
            .requirements()
            .all(|r| matches!(r.req.license, LicenseItem::Spdx { .. })),
        Err(_) => false,
    }
}

/// The `LicenseRef-` ids a document declares, with the text each stands for.
#[derive(Debug, Default)]
pub(crate) struct LicenseRefs {
    /// id → original text.
    by_id: BTreeMap<String, String>,
    /// original text → id.
    by_text: BTreeMap<String, String>,
}

impl LicenseRefs {
    /// The `LicenseRef-` id for a text, declaring it if it is new.
    fn id_for(&mut self, text: &str) -> String {
        if let Some(id) = self.by_text.get(text) {
            return id.clone();
        }
        let mut slug: String = text
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        while slug.contains("--") {
            slug = slug.replace("--", "-");
        }
        let slug = slug.trim_matches('-');
        let mut id = if slug.is_empty() {
            format!("LicenseRef-{}", hash_hex(&[text]))
        } else {
            format!("LicenseRef-{slug}")
        };
        if self.by_id.contains_key(&id) {
            // Two texts that differ only in replaced characters: tell them apart by a hash.
            id = format!("{id}-{}", hash_hex(&[text]));
        }
        self.by_id.insert(id.clone(), text.to_owned());
        self.by_text.insert(text.to_owned(), id.clone());
        id
    }

    /// The declared ids with their texts, sorted by id.
    pub(crate) fn declared(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_id.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The SPDX expression for a package's declared licenses: `NOASSERTION` when there are none.
    pub(crate) fn expression(&mut self, licenses: &[String]) -> String {
        let mut parts: Vec<String> = Vec::new();
        for text in licenses.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
            let part = if is_listed_expression(text) {
                text.to_owned()
            } else {
                self.id_for(text)
            };
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        match parts.len() {
            0 => "NOASSERTION".to_owned(),
            1 => parts.remove(0),
            _ => parts
                .iter()
                .map(|p| {
                    if p.contains(' ') {
                        format!("({p})")
                    } else {
                        p.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_expressions() {
        assert_eq!(spdx_id("MIT"), Some("MIT"));
        assert_eq!(spdx_id("GPL-2.0-or-later"), Some("GPL-2.0-or-later"));
        assert_eq!(spdx_id("public-domain"), None);
        assert!(is_listed_expression("MIT OR Apache-2.0"));
        assert!(is_listed_expression(
            "GPL-3.0-or-later WITH Bison-exception-2.2"
        ));
        assert!(!is_listed_expression("MIT/X11"));
        assert!(!is_listed_expression("LicenseRef-foo"));
        assert!(!is_listed_expression(""));
    }

    #[test]
    fn expression_declares_refs() {
        let mut refs = LicenseRefs::default();
        assert_eq!(refs.expression(&[]), "NOASSERTION");
        assert_eq!(refs.expression(&["MIT".into()]), "MIT");
        assert_eq!(
            refs.expression(&["MIT OR Apache-2.0".into()]),
            "MIT OR Apache-2.0"
        );
        assert_eq!(
            refs.expression(&[
                "GPL-2.0-only".into(),
                "public domain".into(),
                "MIT OR Apache-2.0".into(),
                "MIT".into(),
                "MIT".into()
            ]),
            "GPL-2.0-only AND LicenseRef-public-domain AND (MIT OR Apache-2.0) AND MIT"
        );
        // The same text maps to the same id; a text that slugs the same gets a hashed id.
        assert_eq!(
            refs.expression(&["public domain".into()]),
            "LicenseRef-public-domain"
        );
        let other = refs.expression(&["public_domain".into()]);
        assert!(
            other.starts_with("LicenseRef-public-domain-") && other.len() > 30,
            "{other}"
        );
        assert_eq!(
            refs.expression(&["???".into()]).len(),
            "LicenseRef-".len() + 16
        );
        assert_eq!(refs.declared().count(), 3);
    }
}
