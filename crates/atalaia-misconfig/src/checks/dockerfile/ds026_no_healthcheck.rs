//! DS-0026 (DS026): No HEALTHCHECK defined
//!
//! ## What it checks
//! No `HEALTHCHECK` anywhere in the file (a whole-file finding).
//!
//! ## Why it matters
//! You should add HEALTHCHECK instruction in your docker container images to perform the health check on running containers.

use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0026",
    short_id: "DS026",
    avd_id: "AVD-DS-0026",
    title: "No HEALTHCHECK defined",
    description: "You should add HEALTHCHECK instruction in your docker container images to perform the health check on running containers.",
    resolution: "Add HEALTHCHECK instruction in Dockerfile",
    severity: Severity::Low,
    references: &["https://blog.aquasec.com/docker-security-best-practices"],
    namespace: "builtin.dockerfile.DS026",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    if !df.instructions().any(|i| i.cmd == "healthcheck") {
        out.push(Cause::new(
            "Add HEALTHCHECK instruction in your Dockerfile",
            None,
        ));
    }
}
