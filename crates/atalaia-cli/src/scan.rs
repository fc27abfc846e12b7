//! The scanning commands: build the inventory, shape it into the requested format, write it.

use std::io::{self, BufWriter, Write};

use anyhow::Context;
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
    write_report(&settings, &scanned)?;
    // Inventories carry no findings; `--exit-code` arrives with the first finding kind.
    Ok(ExitStatus::Clean)
}

fn scan(settings: &ScanSettings) -> anyhow::Result<Scanned> {
    match &settings.target {
        Target::Image { input, selector } => {
            let image = atalaia_artifact::open_image(input, selector)?;
            let inventory = atalaia_analyze::analyze_image(&image, &settings.analyze)
                .with_context(|| format!("Failed to analyse `{}`", image.name))?;
            Ok(Scanned {
                name: image.name,
                kind: ArtifactKind::ContainerImage,
                metadata: image.metadata,
                inventory,
            })
        }
        Target::Dir { path, mode } => {
            let inventory = atalaia_analyze::analyze_dir(path, *mode, &settings.analyze)
                .with_context(|| format!("Failed to analyse `{}`", path.display()))?;
            Ok(Scanned {
                name: path.display().to_string(),
                kind: ArtifactKind::Filesystem,
                metadata: ArtifactMetadata::default(),
                inventory,
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
                let report = atalaia_report::Report::from_inventory(
                    &s.name,
                    s.kind,
                    &s.metadata,
                    &s.inventory,
                    &options,
                );
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
