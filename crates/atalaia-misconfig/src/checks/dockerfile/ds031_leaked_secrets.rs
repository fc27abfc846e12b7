//! DS-0031 (DS031): Secrets passed via `build-args` or envs or copied secret files
//!
//! ## What it checks
//! In the final stage: an `ARG`/`ENV` named like a credential, a credential-file variable pointing into a copied directory, a `COPY` to such a variable, or a `RUN` that sets up cloud credentials without a secret mount.
//!
//! ## Why it matters
//! Passing secrets via `build-args` or envs or copying secret files can leak them out

use super::cause;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0031",
    short_id: "DS031",
    avd_id: "AVD-DS-0031",
    title: "Secrets passed via `build-args` or envs or copied secret files",
    description: "Passing secrets via `build-args` or envs or copying secret files can leak them out",
    resolution: "Use secret mount if secrets are needed during image build. Use volume mount if secret files are needed during container runtime.",
    severity: Severity::Critical,
    references: &["https://docs.docker.com/build/building/secrets/"],
    namespace: "builtin.dockerfile.DS031",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    // Trivy 0.76's list: its reference output also flags `GPG_KEY`.
    const ENVS: &[&str] = &[
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "GITHUB_TOKEN",
        "OPENAI_API_KEY",
        "HF_TOKEN",
        "GPG_KEY",
    ];
    const PREFIXES: &[&str] = &["VITE_", "REACT_APP_"];
    const FILE_ENVS: &[&str] = &[
        "AWS_CONFIG_FILE",
        "HF_TOKEN_PATH",
        "GOOGLE_APPLICATION_CREDENTIALS",
    ];
    const SETUP: &[&str] = &[
        "aws configure set aws_access_key_id",
        "aws configure set aws_secret_access_key",
        "gcloud auth activate-service-account",
        "az login",
    ];
    let Some(stage) = df.stages.last() else {
        return;
    };
    let is_secret = |n: &str| {
        ENVS.contains(&n)
            || PREFIXES
                .iter()
                .any(|p| n.strip_prefix(p).is_some_and(|r| ENVS.contains(&r)))
    };
    let copied = |p: &str| {
        stage
            .instructions
            .iter()
            .filter(|i| i.cmd == "copy")
            .any(|c| {
                c.value
                    .last()
                    .is_some_and(|dst| is_sub_path(p.trim_matches('"'), dst))
            })
    };
    for ins in &stage.instructions {
        match ins.cmd.as_str() {
            "arg" | "env" => {
                let (name, def) = if ins.cmd == "env" {
                    (
                        ins.value.first().cloned().unwrap_or_default(),
                        ins.value.get(1).cloned().unwrap_or_default(),
                    )
                } else {
                    let raw = ins.value.first().map_or("", String::as_str);
                    let mut parts = raw.split('=');
                    (
                        parts.next().unwrap_or("").to_string(),
                        parts.next().unwrap_or("").to_string(),
                    )
                };
                let upper = ins.cmd.to_ascii_uppercase();
                if is_secret(&name) {
                    out.push(cause(
                        format!("Possible exposure of secret env {name:?} in {upper}"),
                        ins,
                    ));
                }
                if !def.is_empty() && FILE_ENVS.contains(&name.as_str()) && copied(&def) {
                    out.push(cause(
                        format!(
                            "Possible exposure of the copied secret env file {name:?} in {upper}"
                        ),
                        ins,
                    ));
                }
            }
            "copy" if ins.value.len() == 2 => {
                let env = ins.value[1].trim_start_matches('$');
                if FILE_ENVS.contains(&env) {
                    out.push(cause(
                        format!("Possible exposure of secret file {env:?} in COPY"),
                        ins,
                    ));
                }
            }
            "run" => {
                let mounted = ins
                    .flags
                    .iter()
                    .any(|f| f.starts_with("--mount=type=secret"));
                if !mounted
                    && ins
                        .value
                        .iter()
                        .any(|v| SETUP.iter().any(|s| v.contains(s)))
                {
                    out.push(cause("Possible exposure of secret in RUN", ins));
                }
            }
            _ => {}
        }
    }
}

/// Whether `p` (relative paths taken from `/`) lies under directory `dir`.
fn is_sub_path(p: &str, dir: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim_start_matches("./").trim_start_matches('.');
        format!("/{}", s.trim_matches('/'))
    };
    let (p, dir) = (norm(p), norm(dir));
    dir == "/" || p == dir || p.starts_with(&format!("{dir}/"))
}
