//! DS-0022 (DS022): Deprecated MAINTAINER used
//!
//! ## What it checks
//! A `MAINTAINER` instruction.
//!
//! ## Why it matters
//! MAINTAINER has been deprecated since Docker 1.13.0.

use super::cause;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0022",
    short_id: "DS022",
    avd_id: "AVD-DS-0022",
    title: "Deprecated MAINTAINER used",
    description: "MAINTAINER has been deprecated since Docker 1.13.0.",
    resolution: "Use LABEL instead of MAINTAINER",
    severity: Severity::High,
    references: &["https://docs.docker.com/engine/deprecated/#maintainer-in-dockerfile"],
    namespace: "builtin.dockerfile.DS022",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    for ins in df.instructions().filter(|i| i.cmd == "maintainer") {
        let v = ins.value.first().map_or("", String::as_str);
        out.push(cause(
            format!("MAINTAINER should not be used: 'MAINTAINER {v}'"),
            ins,
        ));
    }
}
