//! Ignore files (`--ignorefile`, Trivy's `.trivyignore` / `.trivyignore.yaml`) and VEX documents
//! (`--vex`), applied to a report after the severity and status filters, as Trivy orders them.
//!
//! The decisions are [`atalaia_ignore`]'s (alias-aware: ignoring a CVE also hides the finding
//! reported under its GHSA ID); this module only finds the files and reports what happened.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;
use atalaia_ignore::{IgnoreFile, Policy, Subject, VexContext, VexDocument};
use atalaia_report::Report;

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
    let vex = VexContext::default();
    let expired = RefCell::new(BTreeSet::new());
    let note = |decision: atalaia_ignore::Decision| {
        for e in decision.expired {
            expired
                .borrow_mut()
                .insert((e.file, e.line, e.finding_id, e.expired_at.to_string()));
        }
        decision.suppression.is_none()
    };
    let removed = report.retain_findings(
        |target, v| note(policy.check(&Subject::vulnerability(v, target), &vex)),
        |target, s| note(policy.check(&Subject::secret(&s.finding, target), &vex)),
    );
    for (file, line, id, at) in expired.into_inner() {
        printer::warn(&format!(
            "`{file}` line {line}: the entry for `{id}` expired on {at}; the finding is reported"
        ));
    }
    tracing::info!("{removed} findings suppressed by ignore files and VEX documents");
}
