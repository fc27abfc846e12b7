//! The scanning commands: build the inventory, shape it into the requested format, write it.

use std::io::{self, BufWriter, Write};

use std::collections::BTreeMap;

use anyhow::Context;
use atalaia_analyze::{Analysis, SecretFile};
use atalaia_report::{ReportResult, ReportSecret};
use atalaia_types::{ArtifactKind, ArtifactMetadata, Inventory};

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
}

pub(crate) fn run(settings: ScanSettings) -> anyhow::Result<ExitStatus> {
    let scanned = scan(&settings)?;
    for w in &scanned.inventory.warnings {
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
    write_report(&settings, &scanned)?;
    if secret_count > 0 && settings.exit_code != 0 {
        return Ok(ExitStatus::Findings(settings.exit_code));
    }
    Ok(ExitStatus::Clean)
}

/// One `secret` result per file path (copies of a path in several layers share it), in path
/// order; each secret keeps its layer and whether it was deleted.
fn secret_results(files: &[SecretFile]) -> Vec<ReportResult> {
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
            let Analysis {
                inventory,
                mut secrets,
            } = atalaia_analyze::analyze_image_full(&image, &settings.analyze)
                .with_context(|| format!("Failed to analyse `{}`", image.name))?;
            if let Some(scanner) = &settings.secret {
                secrets.extend(atalaia_analyze::scan_image_config(
                    scanner,
                    &image.metadata.image_config,
                ));
            }
            Ok(Scanned {
                name: image.name,
                kind: ArtifactKind::ContainerImage,
                metadata: image.metadata,
                inventory,
                secrets,
            })
        }
        Target::Dir { path, mode } => {
            let Analysis { inventory, secrets } =
                atalaia_analyze::analyze_dir_full(path, *mode, &settings.analyze)
                    .with_context(|| format!("Failed to analyse `{}`", path.display()))?;
            Ok(Scanned {
                name: path.display().to_string(),
                kind: ArtifactKind::Filesystem,
                metadata: ArtifactMetadata::default(),
                inventory,
                secrets,
            })
        }
    }
}

fn write_report(settings: &ScanSettings, s: &Scanned) -> anyhow::Result<()> {
    let render = |out: &mut dyn Write| -> anyhow::Result<()> {
        match settings.format {
            Format::Table | Format::Json => {
                let options = atalaia_report::ReportOptions {
                    list_all_pkgs: settings.list_all_pkgs,
                };
                let mut report = atalaia_report::Report::from_inventory(
                    &s.name,
                    s.kind,
                    &s.metadata,
                    &s.inventory,
                    &options,
                );
                report.results.extend(secret_results(&s.secrets));
                if settings.format == Format::Json {
                    atalaia_report::writer::json::write(&report, out)?;
                } else {
                    atalaia_report::writer::table::write(&report, out)?;
                }
            }
            Format::Cyclonedx => {
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
    match &settings.output {
        Some(path) => {
            // Written beside and renamed, so a failed scan never leaves half a report behind.
            let tmp = path.with_extension("atalaia-partial");
            let file = fs_err::File::create(&tmp)?;
            let mut w = BufWriter::new(file);
            render(&mut w)?;
            w.flush()
                .with_context(|| format!("Failed to write `{}`", tmp.display()))?;
            drop(w);
            fs_err::rename(&tmp, path)?;
        }
        None => {
            let stdout = io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            let result = render(&mut w).and_then(|()| Ok(w.flush()?));
            if let Err(err) = result {
                let broken_pipe = err
                    .downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe);
                if !broken_pipe {
                    return Err(err);
                }
            }
        }
    }
    Ok(())
}
