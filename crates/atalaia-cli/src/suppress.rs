//! Ignore files (`--ignorefile`, Trivy's `.trivyignore` / `.trivyignore.yaml`) and VEX documents
//! (`--vex`), applied to a report after the severity and status filters, as Trivy orders them.
//!
//! The decisions are [`atalaia_ignore`]'s (alias-aware: ignoring a CVE also hides the finding
//! reported under its GHSA ID); this module only finds the files and reports what happened.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;
use atalaia_ignore::{FindingStatus, IgnoreFile, Policy, Subject, VexContext, VexDocument};
use atalaia_report::{FindingFilter, Report, Suppression};

use crate::printer;

/// The ignore files read when `--ignorefile` is not given and they exist in the working
/// directory. Trivy reads only `.trivyignore` by default; atalaia also reads the YAML form.
const DEFAULT_IGNORE_FILES: [&str; 2] = [".trivyignore", ".trivyignore.yaml"];

/// Loads the policy: `--ignorefile` (an empty value turns ignore files off, as in Trivy), else
/// the default files present in the working directory; plus every `--vex` document. `None` when
/// there is nothing to apply.
pub(crate) fn load(ignorefile: Option<&Path>, vex: &[PathBuf]) -> anyhow::Result<Option<Policy>> {
    let files: Vec<IgnoreFile> = match ignorefile {
        Some(p) if p.as_os_str().is_empty() => Vec::new(),
        Some(p) => vec![IgnoreFile::load(p)
            .with_context(|| format!("Failed to read ignore file `{}`", p.display()))?],
        None => {
            let mut found = Vec::new();
            for name in DEFAULT_IGNORE_FILES {
                if let Some(f) = IgnoreFile::load_if_exists(Path::new(name))
                    .with_context(|| format!("Failed to read ignore file `{name}`"))?
                {
                    found.push(f);
                }
            }
            found
        }
    };
    let docs = vex
        .iter()
        .map(|p| {
            VexDocument::load(p)
                .with_context(|| format!("Failed to read VEX document `{}`", p.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if files.is_empty() && docs.is_empty() {
        return Ok(None);
    }
    for f in &files {
        for w in &f.warnings {
            printer::warn(&format!("`{}` line {}: {}", w.source, w.line, w.message));
        }
    }
    let today = time::OffsetDateTime::now_utc().date();
    let mut policy = Policy::new(today);
    for f in files {
        policy = policy.with_ignore_file(f);
    }
    for d in docs {
        policy = policy.with_vex(d);
    }
    Ok(Some(policy))
}

/// Removes what `policy` suppresses from `report`; warns once per expired entry that would have
/// hidden a finding that is therefore still reported.
pub(crate) fn apply(policy: &Policy, report: &mut Report) {
    apply_policy(policy, report, false);
}

/// The report filters and suppressions, in Trivy's order: `--severity` and `--ignore-unfixed`
/// drop findings; `--ignore-status`, then ignore files and VEX documents (`policy`) suppress
/// them. With `show` (`--show-suppressed`) suppressed findings stay in the report as its
/// results' modified findings (`ExperimentalModifiedFindings`).
pub(crate) fn filter_and_suppress(
    filter: &FindingFilter,
    policy: Option<&Policy>,
    show: bool,
    report: &mut Report,
) {
    let plain = FindingFilter {
        ignore_statuses: Vec::new(),
        ..filter.clone()
    };
    report.apply_filter(&plain);
    if !filter.ignore_statuses.is_empty() {
        let by_status = FindingFilter {
            ignore_statuses: filter.ignore_statuses.clone(),
            ..FindingFilter::default()
        };
        report.suppress_findings(
            |_, v| {
                (!by_status.keeps_vulnerability(v)).then(|| Suppression {
                    status: "ignored".to_owned(),
                    statement: format!("Status `{}` is ignored", v.status),
                    source: "--ignore-status".to_owned(),
                })
            },
            |_, _| None,
            show,
        );
    }
    if let Some(policy) = policy {
        apply_policy(policy, report, show);
    }
}

/// What VEX statements about an enclosing product are matched against: the image's
/// `pkg:oci/NAME@sha256:…?arch=…&repository_url=…` purl (from its first registry digest, as
/// Trivy builds it), for image scans that have one.
pub(crate) fn vex_context(report: &Report) -> VexContext {
    let mut products = Vec::new();
    if report.artifact_type == atalaia_types::ArtifactKind::ContainerImage {
        if let Some(p) = image_purl(&report.metadata) {
            products.push(p);
        }
    }
    VexContext { products }
}

/// The image's `pkg:oci/…` purl, from its first `RepoDigests` entry (`registry/ns/name@sha256:…`).
fn image_purl(meta: &atalaia_report::Metadata) -> Option<String> {
    let (repo, digest) = meta.repo_digests.first()?.split_once('@')?;
    let name = repo.rsplit('/').next().filter(|n| !n.is_empty())?;
    if !digest.contains(':') {
        return None;
    }
    let arch = meta
        .image_config
        .get("architecture")
        .and_then(|a| a.as_str())
        .unwrap_or_default();
    let purl = atalaia_types::Purl::new("oci", "", &name.to_ascii_lowercase(), digest)
        .with_qualifier("arch", arch)
        .with_qualifier("repository_url", repo);
    Some(purl.to_string())
}

/// Trivy's `Status` of a suppressed finding.
fn status_name(s: FindingStatus) -> &'static str {
    match s {
        FindingStatus::Ignored => "ignored",
        FindingStatus::Unknown => "unknown",
        FindingStatus::NotAffected => "not_affected",
        FindingStatus::Affected => "affected",
        FindingStatus::Fixed => "fixed",
        FindingStatus::UnderInvestigation => "under_investigation",
    }
}

fn apply_policy(policy: &Policy, report: &mut Report, show: bool) {
    let vex = vex_context(report);
    let expired = RefCell::new(BTreeSet::new());
    let note = |decision: atalaia_ignore::Decision| {
        for e in decision.expired {
            expired
                .borrow_mut()
                .insert((e.file, e.line, e.finding_id, e.expired_at.to_string()));
        }
        decision.suppression.map(|s| Suppression {
            status: status_name(s.status).to_owned(),
            statement: s.statement,
            source: s.source,
        })
    };
    let removed = report.suppress_findings(
        |target, v| note(policy.check(&Subject::vulnerability(v, target), &vex)),
        |target, s| note(policy.check(&Subject::secret(&s.finding, target), &vex)),
        show,
    );
    for (file, line, id, at) in expired.into_inner() {
        printer::warn(&format!(
            "`{file}` line {line}: the entry for `{id}` expired on {at}; the finding is reported"
        ));
    }
    tracing::info!("{removed} findings suppressed by ignore files and VEX documents");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_purl_from_the_first_repo_digest_as_trivy_writes_it() {
        let mut meta = atalaia_report::Metadata::default();
        assert_eq!(image_purl(&meta), None);
        meta.repo_digests = vec![
            "registry.example.com/team/App@sha256:0123abcd".to_owned(),
            "other/x@sha256:ffff".to_owned(),
        ];
        meta.image_config = serde_json::json!({"architecture": "arm64"});
        let purl = image_purl(&meta).unwrap();
        assert!(purl.starts_with("pkg:oci/app@sha256"), "{purl}");
        assert!(
            purl.contains("0123abcd?arch=arm64&repository_url=registry.example.com"),
            "{purl}"
        );
        assert!(purl.ends_with("App"), "{purl}");
        // A digest without an algorithm names nothing.
        meta.repo_digests = vec!["registry.example.com/app@0123".to_owned()];
        assert_eq!(image_purl(&meta), None);
    }
}
