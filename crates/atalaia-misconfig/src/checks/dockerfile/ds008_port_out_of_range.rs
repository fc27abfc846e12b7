//! DS-0008 (DS008): Exposed port out of range
//!
//! ## What it checks
//! An `EXPOSE`d port is above 65535.
//!
//! ## Why it matters
//! UNIX ports outside the range 0-65535 are exposed.

use super::cause;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0008",
    short_id: "DS008",
    avd_id: "AVD-DS-0008",
    title: "Exposed port out of range",
    description: "UNIX ports outside the range 0-65535 are exposed.",
    resolution: "Use port number within range",
    severity: Severity::Critical,
    references: &["https://docs.docker.com/engine/reference/builder/#expose"],
    namespace: "builtin.dockerfile.DS008",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    for ins in df.instructions().filter(|i| i.cmd == "expose") {
        for p in &ins.value {
            let port = p.split('/').next().unwrap_or("");
            if let Ok(n) = port.parse::<u64>() {
                if n > 65535 {
                    out.push(cause(
                        format!("'EXPOSE' contains port which is out of range [0, 65535]: {n}"),
                        ins,
                    ));
                }
            }
        }
    }
}
