//! DS-0006 (DS006): COPY '--from' referring to the current image
//!
//! ## What it checks
//! A `COPY --from` names the alias of the stage it is in.
//!
//! ## Why it matters
//! COPY '--from' should not mention the current FROM alias, since it is impossible to copy from itself.

use super::cause;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0006",
    short_id: "DS006",
    avd_id: "AVD-DS-0006",
    title: "COPY '--from' referring to the current image",
    description: "COPY '--from' should not mention the current FROM alias, since it is impossible to copy from itself.",
    resolution: "Change the '--from' so that it will not refer to itself",
    severity: Severity::Critical,
    references: &["https://docs.docker.com/develop/develop-images/multistage-build/"],
    namespace: "builtin.dockerfile.DS006",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    for stage in &df.stages {
        let Some(alias) = &stage.alias else { continue };
        for ins in stage.instructions.iter().filter(|i| i.cmd == "copy") {
            for flag in &ins.flags {
                if let Some(from) = flag.strip_prefix("--from=") {
                    if from.to_ascii_lowercase() == *alias {
                        out.push(cause(format!("'COPY --from' should not mention current alias '{from}' since it is impossible to copy from itself"), ins));
                    }
                }
            }
        }
    }
}
