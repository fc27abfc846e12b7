//! The `misconfig` scanner on every target: the configuration files of a directory (`fs`,
//! `config`, `repo`) or of an image's final filesystem, and an image's config (its history
//! rebuilt as a Dockerfile, as Trivy's `--image-config-scanners misconfig`). One `config`
//! result per evaluated file, plus the coverage record (files found, evaluated, not evaluated
//! and why).
//!
//! The files of an image are written into a private temporary directory (regular files only,
//! under their image path, which the layer walker already normalised) and checked exactly as a
//! directory is, so Terraform modules, Helm charts and custom checks behave the same in both.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use anyhow::Context;
use atalaia_analyze::{ConfigContent, ConfigFile};
use atalaia_misconfig::imgconf;
use atalaia_misconfig::{FileResult, MisconfLayer, NotEvaluated, Options};
use atalaia_report::{MisconfCoverage, NotEvaluatedFile, ReportResult};
use atalaia_types::PackageLayer;

/// Results and coverage of one misconfiguration scan.
pub(crate) type Misconf = (Vec<ReportResult>, MisconfCoverage);

/// A `config` result for an evaluated file; `None` for a file that was not evaluated.
/// Misconfigurations are sorted as Trivy sorts them: by ID, then by line.
fn to_report(r: FileResult) -> Option<ReportResult> {
    let ty = r.kind?.as_str().to_owned();
    let mut misconfigurations = r.misconfigurations;
    misconfigurations.sort_by(|a, b| {
        (a.id.as_str(), a.cause_metadata.start_line)
            .cmp(&(b.id.as_str(), b.cause_metadata.start_line))
    });
    Some(ReportResult::config(
        r.target,
        ty,
        r.misconf_summary,
        misconfigurations,
    ))
}

/// Checks the configuration files of `dir`; `what` names the directory in errors.
pub(crate) fn dir_results(dir: &Path, what: &str, opts: &Options) -> anyhow::Result<Misconf> {
    let scan = atalaia_misconfig::scan_dir(dir, opts)
        .with_context(|| format!("Failed to check the configuration files of `{what}`"))?;
    let coverage = MisconfCoverage::from(&scan.coverage);
    Ok((
        scan.results.into_iter().filter_map(to_report).collect(),
        coverage,
    ))
}

/// The path of an image file under `root`, or `None` when the path is not a plain relative
/// path (the walker normalises paths, so this only guards against a bad cache entry).
fn safe_join(root: &Path, path: &str) -> Option<PathBuf> {
    let rel = Path::new(path);
    let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && !path.is_empty()).then(|| root.join(rel))
}

/// Checks the configuration files of an image's final filesystem (`files`) and its config
/// (`image_config`, reported under `name`, the artifact's name, as Trivy does).
pub(crate) fn image_results(
    name: &str,
    files: &[ConfigFile],
    image_config: &serde_json::Value,
    opts: &Options,
) -> anyhow::Result<Misconf> {
    let tmp = tempfile::Builder::new()
        .prefix("atalaia-image-config-")
        .tempdir()
        .context("Failed to create a temporary directory for the image's configuration files")?;
    let mut extra = MisconfCoverage::default();
    let mut skip = |path: &str, reason: String| {
        extra.files_found += 1;
        extra.not_evaluated.push(NotEvaluatedFile {
            path: path.to_owned(),
            reason,
        });
    };
    for f in files {
        let text = match &f.content {
            ConfigContent::Text(text) => text,
            ConfigContent::TooLarge { size } => {
                skip(&f.path, NotEvaluated::TooLarge { size: *size }.to_string());
                continue;
            }
            ConfigContent::NotText => {
                skip(&f.path, NotEvaluated::NotText.to_string());
                continue;
            }
        };
        let Some(dest) = safe_join(tmp.path(), &f.path) else {
            skip(&f.path, "not a plain relative path".to_owned());
            continue;
        };
        let written = dest
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&dest, text));
        if let Err(err) = written {
            skip(
                &f.path,
                NotEvaluated::Unreadable {
                    error: err.to_string(),
                }
                .to_string(),
            );
        }
    }
    let (mut results, mut coverage) = dir_results(tmp.path(), name, opts)?;
    set_layers(&mut results, files);
    coverage.merge(extra);
    results.extend(image_config_result(name, image_config, opts));
    Ok((results, coverage))
}

/// The Dockerfile checks on the image config's history rebuilt as a Dockerfile (see
/// [`imgconf`]), as a `config` result named `name`. `None` when the rebuilt Dockerfile holds
/// no instruction or cannot be parsed (Trivy reports nothing then either).
pub(crate) fn image_config_result(
    name: &str,
    config: &serde_json::Value,
    opts: &Options,
) -> Option<ReportResult> {
    to_report(imgconf::scan_image_config_json(name, config, opts)?)
}

/// Sets on every misconfiguration of the image's files the layer that last wrote the file
/// (`Digest` and `DiffID`, as Trivy's `Layer`).
fn set_layers(results: &mut [ReportResult], files: &[ConfigFile]) {
    let layers: HashMap<&str, &PackageLayer> =
        files.iter().map(|f| (f.path.as_str(), &f.layer)).collect();
    for r in results {
        let Some(layer) = layers.get(r.target.as_str()) else {
            continue;
        };
        if layer.digest.is_none() && layer.diff_id.is_none() {
            continue;
        }
        // An uncompressed layer (a `docker save` tarball) has no digest of its own: Trivy
        // then gives the DiffID only.
        let layer = MisconfLayer {
            digest: layer
                .digest
                .as_ref()
                .filter(|d| Some(*d) != layer.diff_id.as_ref())
                .map(ToString::to_string),
            diff_id: layer.diff_id.as_ref().map(ToString::to_string),
        };
        for m in &mut r.misconfigurations {
            m.layer = Some(layer.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_paths_must_be_plain() {
        let root = Path::new("/tmp/x");
        assert_eq!(
            safe_join(root, "app/Dockerfile"),
            Some(root.join("app/Dockerfile"))
        );
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "./a"] {
            assert_eq!(safe_join(root, bad), None, "{bad}");
        }
    }

    #[test]
    fn findings_of_image_files_get_the_layer_that_wrote_the_file() {
        let d = |c: char| -> atalaia_types::Digest {
            format!("sha256:{}", c.to_string().repeat(64))
                .parse()
                .unwrap()
        };
        let file = |path: &str, digest, diff_id| ConfigFile {
            path: path.to_owned(),
            layer: PackageLayer {
                digest,
                diff_id,
                created_by: Some("COPY . / # buildkit".to_owned()),
            },
            content: ConfigContent::Text(String::new()),
        };
        let files = [
            // A compressed layer: both digests, as Trivy.
            file("gz/Dockerfile", Some(d('a')), Some(d('b'))),
            // An uncompressed one (`docker save`): the DiffID only.
            file("tar/Dockerfile", Some(d('c')), Some(d('c'))),
            file("none/Dockerfile", None, None),
        ];
        let opts = Options::default();
        let mut results: Vec<ReportResult> = [
            "gz/Dockerfile",
            "tar/Dockerfile",
            "none/Dockerfile",
            "img/Dockerfile",
        ]
        .iter()
        .filter_map(|t| to_report(atalaia_misconfig::scan_file(t, b"FROM alpine\n", &opts)))
        .collect();
        // The image config result, named after the image: no file of a layer.
        results[3].target = "img".to_owned();
        set_layers(&mut results, &files);
        let layer = |i: usize| {
            assert!(!results[i].misconfigurations.is_empty());
            results[i].misconfigurations[0].layer.clone()
        };
        assert_eq!(
            layer(0),
            Some(MisconfLayer {
                digest: Some(d('a').to_string()),
                diff_id: Some(d('b').to_string()),
            })
        );
        assert_eq!(
            layer(1),
            Some(MisconfLayer {
                digest: None,
                diff_id: Some(d('c').to_string()),
            })
        );
        assert_eq!(layer(2), None);
        assert_eq!(layer(3), None);
    }

    #[test]
    fn image_config_without_instructions_gives_no_result() {
        let opts = Options::default();
        assert!(image_config_result("img", &serde_json::Value::Null, &opts).is_none());
        // Steps that are no Dockerfile instruction (a tool's own history text).
        let unknown_steps = serde_json::json!({"history": [
            {"created_by": "distroless-style base: /var/lib/dpkg/status.d/*"},
            {"created_by": ""}
        ]});
        assert!(image_config_result("img", &unknown_steps, &opts).is_none());
        // Garbage of the wrong types is read as absent, never a panic.
        let garbage = serde_json::json!({"history": [1, {"created_by": 5}], "config": {"User": 3}});
        assert!(image_config_result("img", &garbage, &opts).is_none());
    }

    #[test]
    fn image_config_checks_run_on_the_rebuilt_dockerfile() {
        let config = serde_json::json!({
            "config": {"User": "", "Healthcheck": {"Test": ["CMD-SHELL", "true"]}},
            "history": [
                {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
                {"created_by": "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", "empty_layer": true},
                {"created_by": "RUN /bin/sh -c apt-get install -y curl # buildkit"},
                {"created_by": "HEALTHCHECK &{[\"CMD-SHELL\" \"true\"] 0s 0s 0s 0s 0}", "empty_layer": true}
            ]
        });
        let r = image_config_result("img:1", &config, &Options::default()).unwrap();
        assert_eq!((r.target.as_str(), r.ty.as_str()), ("img:1", "dockerfile"));
        let ids: Vec<&str> = r.misconfigurations.iter().map(|m| m.id.as_str()).collect();
        assert!(
            ids.contains(&"DS-0002") && ids.contains(&"DS-0029"),
            "{ids:?}"
        );
        assert!(!ids.contains(&"DS-0026"), "{ids:?}");
    }
}
