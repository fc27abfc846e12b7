//! The scanning commands: build the inventory, shape it into the requested format, write it.

use std::io::Write;

use std::collections::BTreeMap;

use anyhow::Context;
use atalaia_analyze::{Analysis, SecretFile};
use atalaia_detect::{DetectOptions, DetectReport};
use atalaia_report::{ReportResult, ReportSecret};
use atalaia_types::{ArtifactKind, ArtifactMetadata, Inventory, ScanWarning};

use crate::args::Format;
use crate::printer;
use crate::settings::{ScanSettings, Target};
use crate::ExitStatus;

/// What was scanned, ready to be written.
struct Scanned {
    name: String,
    kind: ArtifactKind,
    metadata: ArtifactMetadata,
    inventory: Inventory,
    /// Files holding secrets (every layer; the image config too).
    secrets: Vec<SecretFile>,
    /// What the `vuln` scanner found, when it ran.
    detections: Option<DetectReport>,
    /// One `config` result per evaluated configuration file (the `misconfig` scanner).
    misconfig: Vec<ReportResult>,
    /// What the `misconfig` scanner found and evaluated, when it ran.
    misconf_coverage: Option<atalaia_report::MisconfCoverage>,
}

pub(crate) fn run(settings: ScanSettings) -> anyhow::Result<ExitStatus> {
    let mut scanned = scan(&settings)?;
    if let Some(coverage) = &scanned.misconf_coverage {
        printer::status(&format!("Misconfiguration coverage: {coverage}"));
    }
    if let Some(path) = &settings.vuln_db {
        let db = atalaia_vulndb::VulnDb::open(path).with_context(|| {
            format!("Failed to open vulnerability database `{}`", path.display())
        })?;
        let opts = DetectOptions::new().ignore_unfixed(settings.filter.ignore_unfixed);
        let found = atalaia_detect::detect(&scanned.inventory, &db, &opts).with_context(|| {
            format!(
                "Failed to match `{}` against `{}`",
                scanned.name,
                path.display()
            )
        })?;
        scanned.detections = Some(found);
    }
    let per_warning = !matches!(settings.target, Target::Sbom { .. });
    for w in scanned.inventory.warnings.iter().filter(|_| per_warning) {
        let place = if w.file_path.is_empty() {
            String::new()
        } else {
            format!("`{}`: ", w.file_path)
        };
        printer::warn(&format!("{place}{}", w.message));
    }
    let secret_count: usize = scanned.secrets.iter().map(|f| f.findings.len()).sum();
    if secret_count > 0 && matches!(settings.format, Format::Cyclonedx | Format::SpdxJson) {
        printer::warn(&format!(
            "{secret_count} secrets found; SBOM formats do not carry secrets (use `--format json` or `--format table` to see them)"
        ));
    }
    let findings = write_report(&settings, &scanned)?;
    if findings > 0 && settings.exit_code != 0 {
        return Ok(ExitStatus::Findings(settings.exit_code));
    }
    Ok(ExitStatus::Clean)
}

/// Reads an SBOM (CycloneDX or SPDX JSON, recognised from its content) into an inventory.
///
/// Components that cannot be matched are left out of the inventory and recorded as warnings
/// with the reason: no purl, a purl that does not parse or whose type atalaia does not know
/// (the readers' warnings), no version (here); one line on stderr sums them up.
fn read_sbom(path: &std::path::Path) -> anyhow::Result<Scanned> {
    #[derive(serde::Deserialize)]
    struct Sniff {
        #[serde(rename = "bomFormat")]
        bom_format: Option<String>,
        #[serde(rename = "spdxVersion")]
        spdx_version: Option<String>,
    }
    let bytes = fs_err::read(path)?;
    let name = path.display().to_string();
    let sniff: Sniff = serde_json::from_slice(&bytes)
        .with_context(|| format!("`{name}` is not a JSON SBOM (CycloneDX or SPDX JSON)"))?;
    let (decoded, kind) = match (&sniff.bom_format, &sniff.spdx_version) {
        (Some(f), _) if f == "CycloneDX" => (
            atalaia_sbom::cyclonedx::read(&bytes, &name)?,
            ArtifactKind::Cyclonedx,
        ),
        (_, Some(_)) => (atalaia_sbom::spdx::read(&bytes, &name)?, ArtifactKind::Spdx),
        _ => anyhow::bail!(
            "`{name}` is neither CycloneDX (`bomFormat`) nor SPDX (`spdxVersion`) JSON"
        ),
    };
    let mut inventory = decoded.inventory;
    let read_warnings = inventory.warnings.len();
    let mut unversioned = Vec::new();
    let mut keep = |p: &atalaia_types::Package| {
        if p.version.is_empty() {
            unversioned.push(ScanWarning {
                file_path: String::new(),
                layer: None,
                message: format!("Component `{}` has no version; skipped", p.name),
            });
            false
        } else {
            true
        }
    };
    for db in &mut inventory.os_packages {
        db.packages.retain(&mut keep);
    }
    for app in &mut inventory.applications {
        app.packages.retain(&mut keep);
        for p in &mut app.packages {
            normalize_go_stdlib(p);
        }
    }
    inventory.warnings.extend(unversioned);
    let matched = inventory.packages().count();
    let summary = sbom_summary(&inventory.warnings[..], read_warnings, matched);
    if let Some(line) = summary {
        printer::warn(&line);
    }
    Ok(Scanned {
        name,
        kind,
        metadata: decoded.meta,
        inventory,
        secrets: Vec::new(),
        detections: None,
        misconfig: Vec::new(),
        misconf_coverage: None,
    })
}

/// Syft writes the Go standard library's version as the toolchain names it (`go1.19.8`);
/// analysis and Trivy write `v1.19.8`, the form the Go vulnerability database compares.
fn normalize_go_stdlib(p: &mut atalaia_types::Package) {
    if p.ecosystem == atalaia_types::Ecosystem::Go && p.name == "stdlib" {
        if let Some(rest) = p.version.strip_prefix("go") {
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                let derived_id = p.id == format!("{}@{}", p.name, p.version);
                p.version = format!("v{rest}");
                if derived_id {
                    p.id = format!("{}@{}", p.name, p.version);
                }
            }
        }
    }
}

/// `N of M SBOM components were not matched: a without a purl, b …`, or `None` when every
/// component was.
fn sbom_summary(warnings: &[ScanWarning], read_warnings: usize, matched: usize) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, w) in warnings.iter().enumerate() {
        let reason = if i >= read_warnings {
            "without a version"
        } else if w.message.contains("has no purl") {
            "without a purl"
        } else if w.message.contains("invalid purl") {
            "with an invalid purl"
        } else if w.message.contains("does not know") {
            "with an unknown purl type"
        } else {
            continue;
        };
        *counts.entry(reason).or_default() += 1;
    }
    let unmatched: usize = counts.values().sum();
    if unmatched == 0 {
        return None;
    }
    let reasons: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
    Some(format!(
        "{unmatched} of {} SBOM components were not matched: {} (see `Warnings` in the JSON report)",
        unmatched + matched,
        reasons.join(", ")
    ))
}

/// One `secret` result per file path (copies of a path in several layers share it), in path
/// order; each secret keeps its layer and whether it was deleted.
pub(crate) fn secret_results(files: &[SecretFile]) -> Vec<ReportResult> {
    let mut by_path: BTreeMap<&str, Vec<ReportSecret>> = BTreeMap::new();
    for f in files {
        by_path
            .entry(f.path.as_str())
            .or_default()
            .extend(f.findings.iter().map(|finding| ReportSecret {
                finding: finding.clone(),
                layer: f.layer.clone(),
                deleted: f.deleted,
            }));
    }
    by_path
        .into_iter()
        .map(|(path, secrets)| ReportResult::secret(path.to_owned(), secrets))
        .collect()
}

fn scan(settings: &ScanSettings) -> anyhow::Result<Scanned> {
    match &settings.target {
        Target::Image { input, selector } => {
            let image = atalaia_artifact::open_image(input, selector)?;
            // Through the image-level cache: a cached image's layers are not even opened.
            let parts = atalaia_analyze::ImageParts {
                config_files: settings.misconfig.is_some(),
            };
            let atalaia_analyze::ImageAnalysis {
                analysis:
                    Analysis {
                        inventory,
                        mut secrets,
                    },
                config_files,
            } = atalaia_analyze::analyze_image_layers(&image.layers, &settings.analyze, parts)
                .with_context(|| format!("Failed to analyse `{}`", image.name))?;
            let (misconfig, misconf_coverage) = match &settings.misconfig {
                Some(opts) => {
                    let (results, coverage) = crate::misconf::image_results(
                        &image.name,
                        &config_files,
                        &image.metadata.image_config,
                        opts,
                    )?;
                    (results, Some(coverage))
                }
                None => (Vec::new(), None),
            };
            if let Some(scanner) = &settings.secret {
                // Trivy reports image-config secrets under the artifact's name.
                secrets.extend(atalaia_analyze::scan_image_config_as(
                    scanner,
                    &image.metadata.image_config,
                    &image.name,
                ));
            }
            Ok(Scanned {
                name: image.name,
                kind: ArtifactKind::ContainerImage,
                metadata: image.metadata,
                inventory,
                secrets,
                detections: None,
                misconfig,
                misconf_coverage,
            })
        }
        Target::Dir {
            path,
            mode,
            config_only,
        } => {
            let Analysis { inventory, secrets } = if *config_only {
                Analysis::default()
            } else {
                atalaia_analyze::analyze_dir_full(path, *mode, &settings.analyze)
                    .with_context(|| format!("Failed to analyse `{}`", path.display()))?
            };
            let name = path.display().to_string();
            let (misconfig, misconf_coverage) = match &settings.misconfig {
                Some(opts) => {
                    let (results, coverage) = crate::misconf::dir_results(path, &name, opts)?;
                    (results, Some(coverage))
                }
                None => (Vec::new(), None),
            };
            Ok(Scanned {
                name,
                kind: ArtifactKind::Filesystem,
                metadata: ArtifactMetadata::default(),
                inventory,
                secrets,
                detections: None,
                misconfig,
                misconf_coverage,
            })
        }
        Target::Repo { path, name, .. } => {
            let Analysis { inventory, secrets } = atalaia_analyze::analyze_dir_full(
                path,
                atalaia_analyze::ScanMode::Repo,
                &settings.analyze,
            )
            .with_context(|| format!("Failed to analyse `{name}`"))?;
            let (misconfig, misconf_coverage) = match &settings.misconfig {
                Some(opts) => {
                    let (results, coverage) = crate::misconf::dir_results(path, name, opts)?;
                    (results, Some(coverage))
                }
                None => (Vec::new(), None),
            };
            Ok(Scanned {
                name: name.clone(),
                kind: ArtifactKind::Repository,
                metadata: ArtifactMetadata::default(),
                inventory,
                secrets,
                detections: None,
                misconfig,
                misconf_coverage,
            })
        }
        Target::Sbom { path } => read_sbom(path),
        Target::Named { name, source } => {
            let image = crate::source::scan_named(name, source, settings)?;
            let (misconfig, misconf_coverage) = match &settings.misconfig {
                Some(opts) => {
                    let (results, coverage) = crate::misconf::image_results(
                        &image.name,
                        &image.config_files,
                        &image.metadata.image_config,
                        opts,
                    )?;
                    (results, Some(coverage))
                }
                None => (Vec::new(), None),
            };
            Ok(Scanned {
                name: image.name,
                kind: ArtifactKind::ContainerImage,
                metadata: image.metadata,
                inventory: image.analysis.inventory,
                secrets: image.analysis.secrets,
                detections: None,
                misconfig,
                misconf_coverage,
            })
        }
        Target::Host { .. } => {
            anyhow::bail!("`atalaia host` audits many images; it does not run as one scan")
        }
    }
}

/// Writes the report; returns the number of findings that remain after filters.
fn write_report(settings: &ScanSettings, s: &Scanned) -> anyhow::Result<usize> {
    let mut findings = 0;
    // The report every format but the SBOM ones is written from: findings placed in their
    // results, filtered, and suppressed by ignore files and VEX.
    let build_report = || {
        let options = atalaia_report::ReportOptions {
            list_all_pkgs: settings.list_all_pkgs,
        };
        let mut report = atalaia_report::Report::from_scan(
            &s.name,
            s.kind,
            &s.metadata,
            &s.inventory,
            s.detections.as_ref(),
            &options,
        );
        report.results.extend(secret_results(&s.secrets));
        report.results.extend(s.misconfig.iter().cloned());
        report.misconf_coverage.clone_from(&s.misconf_coverage);
        if let Target::Repo { meta, .. } = &settings.target {
            report.metadata.repo = meta.clone();
        }
        crate::suppress::filter_and_suppress(
            &settings.filter,
            settings.suppress.as_ref(),
            settings.show_suppressed,
            &mut report,
        );
        report
    };
    // Parsed before anything is written, so a bad template leaves no half-written report.
    let template = match (settings.format, &settings.template) {
        (Format::Template, Some(arg)) => {
            Some(atalaia_report::writer::template::Template::from_arg(arg)?)
        }
        (Format::Template, None) => {
            anyhow::bail!("`--format template` needs `--template @FILE` (or the template text)")
        }
        _ => None,
    };
    let mut render = |out: &mut dyn Write| -> anyhow::Result<()> {
        use atalaia_report::writer;
        match settings.format {
            Format::Table
            | Format::Json
            | Format::Sarif
            | Format::Junit
            | Format::Gitlab
            | Format::GitlabDs
            | Format::GitlabCodequality
            | Format::Template => {
                let report = build_report();
                findings = report.finding_count();
                match settings.format {
                    Format::Json => writer::json::write(&report, out)?,
                    Format::Sarif => writer::sarif::write(&report, out)?,
                    Format::Junit => writer::junit::write(&report, out)?,
                    Format::Gitlab => writer::gitlab::write(
                        &report,
                        writer::gitlab::ReportType::ContainerScanning,
                        out,
                    )?,
                    Format::GitlabDs => writer::gitlab::write(
                        &report,
                        writer::gitlab::ReportType::DependencyScanning,
                        out,
                    )?,
                    Format::GitlabCodequality => writer::gitlab::write_code_quality(&report, out)?,
                    Format::Template => {
                        if let Some(t) = &template {
                            writer::template::write(&report, t, out)?;
                        }
                    }
                    _ => {
                        let table = writer::table::TableOptions {
                            severities: settings.filter.severities.clone(),
                            vulnerabilities: s.detections.is_some(),
                            color: settings.color,
                        };
                        writer::table::write_with(&report, &table, out)?;
                    }
                }
            }
            Format::Cyclonedx if s.detections.is_some() => {
                // `--scanners vuln` with CycloneDX: the SBOM plus its `vulnerabilities`.
                let report = build_report();
                findings = report.finding_count();
                let vulns: Vec<&atalaia_detect::DetectedVulnerability> = report
                    .results
                    .iter()
                    .flat_map(|r| &r.vulnerabilities)
                    .collect();
                atalaia_sbom::cyclonedx::write_with_vulnerabilities(
                    &s.name,
                    s.kind,
                    &s.metadata,
                    &s.inventory,
                    &vulns,
                    &atalaia_sbom::WriteOptions::now(),
                    out,
                )?;
            }
            Format::Cyclonedx => {
                findings = s.secrets.iter().map(|f| f.findings.len()).sum();
                atalaia_sbom::cyclonedx::write(
                    &s.name,
                    s.kind,
                    &s.metadata,
                    &s.inventory,
                    &atalaia_sbom::WriteOptions::now(),
                    out,
                )?;
            }
            Format::SpdxJson => {
                findings = s.secrets.iter().map(|f| f.findings.len()).sum();
                atalaia_sbom::spdx::write(
                    &s.name,
                    s.kind,
                    &s.metadata,
                    &s.inventory,
                    &atalaia_sbom::WriteOptions::now(),
                    out,
                )?;
            }
        }
        Ok(())
    };
    crate::printer::write_output(settings.output.as_deref(), &mut render)?;
    Ok(findings)
}
