//! A [`Policy`] — ignore files plus VEX documents plus `today` — applied to findings.
//!
//! Order as in Trivy: ignore files first (in the order given, the first matching entry wins),
//! then VEX documents (vulnerabilities only; the first document that suppresses wins).

use atalaia_detect::DetectedVulnerability;
use atalaia_secret::SecretFinding;
use atalaia_types::{Purl, SharedStrList};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::date::Expiry;
use crate::ignore::{IgnoreFile, IgnoreRule};
use crate::purls;
use crate::vex::{VexContext, VexDocument, VexFormat};

/// Trivy's `FindingType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingType {
    /// A vulnerability in a package.
    Vulnerability,
    /// A misconfiguration.
    Misconfiguration,
    /// A secret.
    Secret,
    /// A license.
    License,
}

/// Trivy's `FindingStatus`: why a finding was modified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    /// An ignore file hid it.
    Ignored,
    /// Unknown.
    Unknown,
    /// VEX: not affected.
    NotAffected,
    /// VEX: affected.
    Affected,
    /// VEX: fixed.
    Fixed,
    /// VEX: under investigation.
    UnderInvestigation,
}

/// What a policy looks at in one finding. Build one with the constructors or the variants.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// A vulnerability in a package.
    Vulnerability {
        /// `VulnerabilityID`.
        id: &'a str,
        /// `VendorIDs` (DSA-…, GHSA-…).
        vendor_ids: &'a [String],
        /// Every other ID the vulnerability is known by.
        aliases: &'a SharedStrList,
        /// The result's `Target` (the lockfile, the OS package database, the image).
        target: &'a str,
        /// `PkgPath` (jars, installed trees); empty when none.
        pkg_path: &'a str,
        /// `PkgIdentifier.PURL`; empty when none.
        purl: &'a str,
    },
    /// A misconfiguration.
    Misconfiguration {
        /// The check ID (`DS-0002`, `KSV-0001`).
        id: &'a str,
        /// The AVD ID (`AVD-DS-0002`); empty when none.
        avd_id: &'a str,
        /// The file (the result's `Target`).
        target: &'a str,
    },
    /// A secret.
    Secret {
        /// The rule ID (`aws-access-key-id`).
        rule_id: &'a str,
        /// The file (the result's `Target`).
        target: &'a str,
    },
    /// A license.
    License {
        /// The license name or SPDX expression.
        name: &'a str,
        /// The file the license was found in (or the package's file).
        file_path: &'a str,
    },
}

impl<'a> Subject<'a> {
    /// The subject of a detected vulnerability in the result `target`.
    pub fn vulnerability(v: &'a DetectedVulnerability, target: &'a str) -> Subject<'a> {
        Subject::Vulnerability {
            id: &v.vulnerability_id,
            vendor_ids: &v.vendor_ids,
            aliases: &v.aliases,
            target,
            pkg_path: &v.pkg_path,
            purl: &v.pkg_identifier.purl,
        }
    }

    /// The subject of a secret found in the file `target`.
    pub fn secret(s: &'a SecretFinding, target: &'a str) -> Subject<'a> {
        Subject::Secret {
            rule_id: &s.rule_id,
            target,
        }
    }

    /// Trivy's finding type of the subject.
    pub fn finding_type(&self) -> FindingType {
        match self {
            Subject::Vulnerability { .. } => FindingType::Vulnerability,
            Subject::Misconfiguration { .. } => FindingType::Misconfiguration,
            Subject::Secret { .. } => FindingType::Secret,
            Subject::License { .. } => FindingType::License,
        }
    }
}

/// Where a suppression came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    /// An entry of an ignore file.
    IgnoreFile {
        /// The file.
        file: String,
        /// The entry's 1-based line.
        line: usize,
        /// The entry's `id` (`None` for a YAML entry without one).
        id: Option<String>,
        /// The finding's ID the entry matched: differs from the finding's own ID when it matched
        /// through an alias or vendor ID.
        matched_id: String,
    },
    /// Every component of a compound license expression is ignored by some entry.
    LicenseComponents {
        /// The file.
        file: String,
        /// The lines of the entries that ignore the components.
        lines: Vec<usize>,
    },
    /// A VEX statement.
    Vex {
        /// The document.
        file: String,
        /// Its format.
        format: VexFormat,
        /// The statement's 0-based index (`statements[i]`, `vulnerabilities[i]`).
        statement: usize,
        /// The statement's vulnerability name.
        vulnerability: String,
        /// The product identifier that matched (the package purl or an enclosing artifact's).
        product: String,
        /// The statement's justification.
        justification: String,
        /// Its free-text impact statement or detail.
        impact_statement: String,
    },
}

/// A suppressed finding, shaped like an entry of Trivy's `ExperimentalModifiedFindings`
/// (`Type`, `Status`, `Statement`, `Source`, `Finding`). [`ModifiedFinding::origin`] says exactly
/// which entry or statement suppressed it; it is not serialised, to keep Trivy's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModifiedFinding<T> {
    /// What kind of finding.
    #[serde(rename = "Type")]
    pub finding_type: FindingType,
    /// Why it is modified.
    #[serde(rename = "Status")]
    pub status: FindingStatus,
    /// The entry's `statement`, or the VEX justification (empty when none).
    #[serde(rename = "Statement")]
    pub statement: String,
    /// The ignore file's path, the OpenVEX file's path, or `CycloneDX VEX` (as Trivy writes them).
    #[serde(rename = "Source")]
    pub source: String,
    /// The finding.
    #[serde(rename = "Finding")]
    pub finding: T,
    /// The entry or statement that suppressed it.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// Why a finding is suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// The status to report.
    pub status: FindingStatus,
    /// The statement to report.
    pub statement: String,
    /// The source to report.
    pub source: String,
    /// Exactly where it came from.
    pub origin: Origin,
}

/// An ignore entry that would have matched a finding but has expired, so the finding is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpiredMatch {
    /// The finding's ID (or license name).
    pub finding_id: String,
    /// The file.
    pub file: String,
    /// The entry's 1-based line.
    pub line: usize,
    /// When the entry expired.
    pub expired_at: Expiry,
}

/// The decision about one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// `Some` when the finding is suppressed.
    pub suppression: Option<Suppression>,
    /// Expired entries that matched the finding (they did not apply).
    pub expired: Vec<ExpiredMatch>,
}

/// Findings after a policy: those kept, those suppressed (with why), and the expired entries
/// that would have suppressed some of the kept ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied<T> {
    /// Findings that remain, in input order.
    pub kept: Vec<T>,
    /// Findings suppressed, in input order.
    pub suppressed: Vec<ModifiedFinding<T>>,
    /// Expired entries that matched kept findings.
    pub expired: Vec<ExpiredMatch>,
}

impl<T> Default for Applied<T> {
    fn default() -> Self {
        Applied {
            kept: Vec::new(),
            suppressed: Vec::new(),
            expired: Vec::new(),
        }
    }
}

/// Ignore files and VEX documents, judged as of `today`.
#[derive(Debug, Clone)]
pub struct Policy {
    ignore_files: Vec<IgnoreFile>,
    vex: Vec<VexDocument>,
    today: Date,
    alias_aware: bool,
}

impl Policy {
    /// An empty policy (suppresses nothing) as of `today`; alias-aware.
    pub fn new(today: Date) -> Policy {
        Policy {
            ignore_files: Vec::new(),
            vex: Vec::new(),
            today,
            alias_aware: true,
        }
    }

    /// Adds an ignore file (consulted after those added before).
    #[must_use]
    pub fn with_ignore_file(mut self, file: IgnoreFile) -> Policy {
        self.ignore_files.push(file);
        self
    }

    /// Adds a VEX document (consulted after those added before).
    #[must_use]
    pub fn with_vex(mut self, doc: VexDocument) -> Policy {
        self.vex.push(doc);
        self
    }

    /// Whether an ignored or VEX-stated ID also covers findings that list it among their vendor
    /// IDs or aliases, and the reverse (default `true`; `false` is Trivy's exact-ID matching).
    #[must_use]
    pub fn alias_aware(mut self, yes: bool) -> Policy {
        self.alias_aware = yes;
        self
    }

    /// The date expiry is judged against.
    pub fn today(&self) -> Date {
        self.today
    }

    /// The ignore files.
    pub fn ignore_files(&self) -> &[IgnoreFile] {
        &self.ignore_files
    }

    /// The VEX documents.
    pub fn vex_documents(&self) -> &[VexDocument] {
        &self.vex
    }

    /// Every entry, across ignore files, that has expired as of `today` (for a warning).
    pub fn expired_rules(&self) -> Vec<ExpiredMatch> {
        let mut out = Vec::new();
        for f in &self.ignore_files {
            for (_, r) in f.rules() {
                if let Some(e) = r.expired_at.filter(|e| e.is_expired(self.today)) {
                    out.push(ExpiredMatch {
                        finding_id: r.id.clone().unwrap_or_default(),
                        file: f.source.clone(),
                        line: r.line,
                        expired_at: e,
                    });
                }
            }
        }
        out
    }

    /// Decides about one finding. `vex` gives the enclosing products for VEX statements about
    /// subcomponents; it only matters for vulnerabilities.
    pub fn check(&self, subject: &Subject<'_>, vex: &VexContext) -> Decision {
        let mut expired = Vec::new();
        for file in &self.ignore_files {
            if let Some(s) = self.check_file(file, subject, &mut expired) {
                return Decision {
                    suppression: Some(s),
                    expired,
                };
            }
        }
        if let Subject::Vulnerability { purl, .. } = subject {
            let ids = self.ids(subject);
            for doc in &self.vex {
                if let Some(m) = doc.decide(&ids, purl, vex) {
                    let st = m.statement;
                    let status = if st.status == crate::VexStatus::Fixed {
                        FindingStatus::Fixed
                    } else {
                        FindingStatus::NotAffected
                    };
                    let statement = if st.justification.is_empty() {
                        st.impact_statement.clone()
                    } else {
                        st.justification.clone()
                    };
                    let source = match doc.format {
                        VexFormat::OpenVex => doc.source.clone(),
                        VexFormat::CycloneDx => "CycloneDX VEX".to_owned(),
                    };
                    return Decision {
                        suppression: Some(Suppression {
                            status,
                            statement,
                            source,
                            origin: Origin::Vex {
                                file: doc.source.clone(),
                                format: doc.format,
                                statement: st.index,
                                vulnerability: st.vulnerability.clone(),
                                product: m.product,
                                justification: st.justification.clone(),
                                impact_statement: st.impact_statement.clone(),
                            },
                        }),
                        expired,
                    };
                }
            }
        }
        Decision {
            suppression: None,
            expired,
        }
    }

    /// The IDs a finding answers to: its own first, then (alias-aware) vendor IDs and aliases.
    fn ids<'s>(&self, subject: &Subject<'s>) -> Vec<&'s str> {
        match *subject {
            Subject::Vulnerability {
                id,
                vendor_ids,
                aliases,
                ..
            } => {
                let mut ids = vec![id];
                if self.alias_aware {
                    for a in vendor_ids.iter().map(String::as_str).chain(aliases.iter()) {
                        if !ids.contains(&a) {
                            ids.push(a);
                        }
                    }
                }
                ids
            }
            Subject::Misconfiguration { id, avd_id, .. } => {
                let mut ids = vec![id];
                if !avd_id.is_empty() {
                    ids.push(avd_id);
                }
                ids
            }
            Subject::Secret { rule_id, .. } => vec![rule_id],
            Subject::License { name, .. } => vec![name],
        }
    }

    fn check_file(
        &self,
        file: &IgnoreFile,
        subject: &Subject<'_>,
        expired: &mut Vec<ExpiredMatch>,
    ) -> Option<Suppression> {
        let ids = self.ids(subject);
        let (rules, paths, purl): (&[IgnoreRule], Vec<&str>, Option<Purl>) = match *subject {
            Subject::Vulnerability {
                target,
                pkg_path,
                purl,
                ..
            } => (
                &file.vulnerabilities,
                vec![target, pkg_path],
                if purl.is_empty() {
                    None
                } else {
                    purls::parse(purl)
                },
            ),
            Subject::Misconfiguration { target, .. } => {
                (&file.misconfigurations, vec![target], None)
            }
            Subject::Secret { target, .. } => (&file.secrets, vec![target], None),
            Subject::License { file_path, .. } => (&file.licenses, vec![file_path], None),
        };
        // A finding with a purl that does not parse still has one: entries with `purls` must
        // not match it as if it had none.
        let unparsable_purl = matches!(subject, Subject::Vulnerability { purl, .. } if !purl.is_empty())
            && purl.is_none();
        let mut found = |rules: &[IgnoreRule], ids: &[&str]| -> Option<(usize, String)> {
            for path in &paths {
                for (i, r) in rules.iter().enumerate() {
                    if unparsable_purl && !r.purls.is_empty() {
                        continue;
                    }
                    if let Some(m) = r.matching_id(ids, path, purl.as_ref()) {
                        if r.is_expired(self.today) {
                            let e = ExpiredMatch {
                                finding_id: ids[0].to_owned(),
                                file: file.source.clone(),
                                line: r.line,
                                expired_at: r.expired_at.unwrap_or(Expiry { date: self.today }),
                            };
                            if !expired.contains(&e) {
                                expired.push(e);
                            }
                            continue;
                        }
                        return Some((i, m.to_owned()));
                    }
                }
            }
            None
        };
        if let Some((i, matched_id)) = found(rules, &ids) {
            let r = &rules[i];
            return Some(Suppression {
                status: FindingStatus::Ignored,
                statement: r.statement.clone(),
                source: file.source.clone(),
                origin: Origin::IgnoreFile {
                    file: file.source.clone(),
                    line: r.line,
                    id: r.id.clone(),
                    matched_id,
                },
            });
        }
        // Compound license expressions: every component ignored on its own.
        if let Subject::License { name, .. } = subject {
            let units = license_units(name)?;
            let mut lines = Vec::new();
            for u in &units {
                let (i, _) = found(rules, &[u.as_str()])?;
                lines.push(rules[i].line);
            }
            return Some(Suppression {
                status: FindingStatus::Ignored,
                statement: "All license components are individually ignored".to_owned(),
                source: file.source.clone(),
                origin: Origin::LicenseComponents {
                    file: file.source.clone(),
                    lines,
                },
            });
        }
        None
    }

    /// Applies the policy to the vulnerabilities of one result (`target` is its `Target`).
    pub fn apply_vulnerabilities(
        &self,
        target: &str,
        vulnerabilities: Vec<DetectedVulnerability>,
        vex: &VexContext,
    ) -> Applied<DetectedVulnerability> {
        self.apply(target, vulnerabilities, vex)
    }

    /// Applies the policy to the secrets found in the file `target`.
    pub fn apply_secrets(
        &self,
        target: &str,
        secrets: Vec<SecretFinding>,
    ) -> Applied<SecretFinding> {
        self.apply(target, secrets, &VexContext::default())
    }

    /// Applies the policy to the findings of one result, any kind of [`Finding`]
    /// (misconfigurations and licenses come this way: implement [`Finding`] for them).
    pub fn apply<T: Finding>(
        &self,
        target: &str,
        findings: Vec<T>,
        vex: &VexContext,
    ) -> Applied<T> {
        let mut out = Applied::default();
        for f in findings {
            let (finding_type, decision) = {
                let s = f.subject(target);
                (s.finding_type(), self.check(&s, vex))
            };
            match decision.suppression {
                Some(s) => out.suppressed.push(ModifiedFinding {
                    finding_type,
                    status: s.status,
                    statement: s.statement,
                    source: s.source,
                    finding: f,
                    origin: Some(s.origin),
                }),
                None => {
                    for e in decision.expired {
                        if !out.expired.contains(&e) {
                            out.expired.push(e);
                        }
                    }
                    out.kept.push(f);
                }
            }
        }
        out
    }
}

/// A finding a [`Policy`] can judge: how it looks as a [`Subject`] within a result whose
/// `Target` is `target`.
pub trait Finding {
    /// The subject.
    fn subject<'a>(&'a self, target: &'a str) -> Subject<'a>;
}

impl Finding for DetectedVulnerability {
    fn subject<'a>(&'a self, target: &'a str) -> Subject<'a> {
        Subject::vulnerability(self, target)
    }
}

impl Finding for SecretFinding {
    fn subject<'a>(&'a self, target: &'a str) -> Subject<'a> {
        Subject::secret(self, target)
    }
}

/// The units of a compound SPDX expression (`A AND (B OR C WITH D)` → `A`, `B`, `C WITH D`);
/// `None` for a single license or an expression that does not parse.
pub(crate) fn license_units(expr: &str) -> Option<Vec<String>> {
    let spaced = expr.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut units: Vec<String> = Vec::new();
    let mut compound = false;
    let mut depth = 0usize;
    let mut expect_operand = true;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let upper = t.to_ascii_uppercase();
        match upper.as_str() {
            "(" => {
                if !expect_operand {
                    return None;
                }
                depth += 1;
            }
            ")" => {
                if expect_operand {
                    return None;
                }
                depth = depth.checked_sub(1)?;
            }
            "AND" | "OR" => {
                if expect_operand {
                    return None;
                }
                compound = true;
                expect_operand = true;
            }
            "WITH" => return None, // a WITH without a license before it
            _ => {
                if !expect_operand {
                    return None;
                }
                let mut unit = t.to_owned();
                if tokens
                    .get(i + 1)
                    .is_some_and(|n| n.eq_ignore_ascii_case("WITH"))
                {
                    let exception = tokens.get(i + 2).filter(|e| !matches!(**e, "(" | ")"))?;
                    unit = format!("{t} WITH {exception}");
                    i += 2;
                }
                units.push(unit);
                expect_operand = false;
            }
        }
        i += 1;
    }
    (compound && depth == 0 && !expect_operand).then_some(units)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IgnoreFormat;
    use time::macros::date;

    static NO_ALIASES: SharedStrList = SharedStrList::EMPTY;

    fn vuln<'a>(id: &'a str, purl: &'a str) -> Subject<'a> {
        Subject::Vulnerability {
            id,
            vendor_ids: &[],
            aliases: &NO_ALIASES,
            target: "t",
            pkg_path: "",
            purl,
        }
    }

    fn yaml(source: &str, text: &str) -> IgnoreFile {
        IgnoreFile::parse(source, IgnoreFormat::Yaml, text.as_bytes()).unwrap()
    }

    #[test]
    fn purl_entries_and_findings_without_purl() {
        let f = yaml(
            "a.yaml",
            "vulnerabilities:\n  - id: CVE-1\n    purls: [pkg:npm/x]\n",
        );
        let p = Policy::new(date!(2025 - 01 - 01)).with_ignore_file(f);
        let none = VexContext::default();
        assert!(p
            .check(&vuln("CVE-1", "pkg:npm/x@1.0.0"), &none)
            .suppression
            .is_some());
        assert!(p
            .check(&vuln("CVE-1", "pkg:npm/y@1.0.0"), &none)
            .suppression
            .is_none());
        // As Trivy: a finding without a purl is not excluded by the entry's purls.
        assert!(p.check(&vuln("CVE-1", ""), &none).suppression.is_some());
        // A purl that does not parse is still a purl: the entry cannot vouch for it.
        assert!(p
            .check(&vuln("CVE-1", "not a purl"), &none)
            .suppression
            .is_none());
        assert!(p
            .check(&vuln("CVE-2", "pkg:npm/x@1.0.0"), &none)
            .suppression
            .is_none());
    }

    #[test]
    fn first_file_and_first_entry_win() {
        let a = yaml("a.yaml", "vulnerabilities:\n  - id: CVE-1\n    statement: one\n  - id: CVE-1\n    statement: two\n");
        let b = yaml(
            "b.yaml",
            "vulnerabilities:\n  - id: CVE-1\n    statement: three\n",
        );
        let p = Policy::new(date!(2025 - 01 - 01))
            .with_ignore_file(b)
            .with_ignore_file(a);
        let s = p
            .check(&vuln("CVE-1", ""), &VexContext::default())
            .suppression
            .unwrap();
        assert_eq!(
            (s.source.as_str(), s.statement.as_str()),
            ("b.yaml", "three")
        );
    }

    #[test]
    fn expired_entry_does_not_hide_a_live_one() {
        let f = yaml(
            "a.yaml",
            "vulnerabilities:\n  - id: CVE-1\n    expired_at: 2024-01-01\n  - id: CVE-1\n    statement: live\n",
        );
        let p = Policy::new(date!(2025 - 01 - 01)).with_ignore_file(f);
        let d = p.check(&vuln("CVE-1", ""), &VexContext::default());
        assert_eq!(d.suppression.unwrap().statement, "live");
        assert_eq!(d.expired.len(), 1);
        assert_eq!(d.expired[0].line, 2);
    }

    #[test]
    fn license_expressions() {
        assert_eq!(license_units("MIT"), None);
        assert_eq!(
            license_units("MIT AND Apache-2.0").unwrap(),
            ["MIT", "Apache-2.0"]
        );
        assert_eq!(
            license_units("(MIT OR GPL-2.0-only WITH Classpath-exception-2.0) AND BSD-3-Clause")
                .unwrap(),
            [
                "MIT",
                "GPL-2.0-only WITH Classpath-exception-2.0",
                "BSD-3-Clause"
            ]
        );
        assert_eq!(license_units("GPL-2.0 WITH Classpath-exception-2.0"), None);
        for bad in [
            "MIT AND",
            "AND MIT",
            "(MIT OR BSD",
            "MIT OR BSD)",
            "MIT WITH",
            "WITH x",
            "MIT BSD",
            "()",
        ] {
            assert_eq!(license_units(bad), None, "{bad}");
        }
    }
}
