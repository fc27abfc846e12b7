//! KSV-0007 (KSV007): Manages /etc/hosts
//!
//! ## What it checks
//! The pod sets `hostAliases` (managing `/etc/hosts`).
//!
//! ## Why it matters
//! Managing /etc/hosts aliases can prevent the container engine from modifying the file after a pod’s containers have already been started.

use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0007",
    short_id: "KSV007",
    avd_id: "AVD-KSV-0007",
    title: "Manages /etc/hosts",
    description: "Managing /etc/hosts aliases can prevent the container engine from modifying the file after a pod’s containers have already been started.",
    resolution: "Do not set 'spec.template.spec.hostAliases'.",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.kubernetes.KSV007",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    for p in res.pods() {
        if p.spec.is_some_and(|s| s.get("hostAliases").is_some()) {
            out.push(Cause::new(
                format!(
                    "'{}' '{}' in '{}' namespace should not set spec.template.spec.hostAliases",
                    res.kind_lower(),
                    res.name,
                    res.namespace
                ),
                p.spec_lines(),
            ));
        }
    }
}
