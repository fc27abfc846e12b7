//! KSV-0119 (KSV119): NET_RAW capability added
//!
//! ## What it checks
//! A container adds the `NET_RAW` capability.
//!
//! ## Why it matters
//! The NET_RAW capability grants attackers the ability to eavesdrop on network traffic or generate IP traffic with falsified source addresses, posing serious security risks.

use super::adds;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0119",
    short_id: "KSV119",
    avd_id: "AVD-KSV-0119",
    title: "NET_RAW capability added",
    description: "The NET_RAW capability grants attackers the ability to eavesdrop on network traffic or generate IP traffic with falsified source addresses, posing serious security risks.",
    resolution: "To mitigate potential security risks, it is strongly recommended to remove the NET_RAW capability from 'containers[].securityContext.capabilities.add'. It is advisable to follow the practice of dropping all capabilities and only adding the necessary ones.",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/"],
    namespace: "builtin.kubernetes.KSV119",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    for c in res.containers().iter().filter(|c| adds(c, "NET_RAW")) {
        out.push(Cause::new(
            format!("container {} of {} {} in {} namespace should not include 'NET_RAW' in securityContext.capabilities.add", c.name, res.kind_lower(), res.name, res.namespace),
            Some(c.lines()),
        ));
    }
}
