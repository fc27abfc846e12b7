//! DS-0004 (DS004): Port 22 exposed
//!
//! ## What it checks
//! An `EXPOSE` lists port 22 (`22`, `22/tcp`, `22/udp`).
//!
//! ## Why it matters
//! Exposing port 22 might allow users to SSH into the container.

use super::cause;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0004",
    short_id: "DS004",
    avd_id: "AVD-DS-0004",
    title: "Port 22 exposed",
    description: "Exposing port 22 might allow users to SSH into the container.",
    resolution: "Remove 'EXPOSE 22' statement from the Dockerfile",
    severity: Severity::Medium,
    references: &[],
    namespace: "builtin.dockerfile.DS004",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    for ins in df.instructions().filter(|i| i.cmd == "expose") {
        if ins
            .value
            .iter()
            .any(|p| matches!(p.as_str(), "22" | "22/tcp" | "22/udp"))
        {
            out.push(cause("Port 22 should not be exposed in Dockerfile", ins));
        }
    }
}
