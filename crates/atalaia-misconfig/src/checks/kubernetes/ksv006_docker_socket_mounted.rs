//! KSV-0006 (KSV006): hostPath volume mounted with docker.sock
//!
//! ## What it checks
//! A `hostPath` volume mounts `/var/run/docker.sock`.
//!
//! ## Why it matters
//! Mounting docker.sock from the host can give the container full root access to the host.

use super::spec_cause;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0006",
    short_id: "KSV006",
    avd_id: "AVD-KSV-0006",
    title: "hostPath volume mounted with docker.sock",
    description:
        "Mounting docker.sock from the host can give the container full root access to the host.",
    resolution: "Do not specify /var/run/docker.socket in 'spec.template.volumes.hostPath.path'.",
    severity: Severity::High,
    references: &["https://kubesec.io/basics/spec-volumes-hostpath-path-var-run-docker-sock/"],
    namespace: "builtin.kubernetes.KSV006",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if res.volumes().iter().any(|v| {
        v.path(&["hostPath", "path"]).and_then(Node::as_str) == Some("/var/run/docker.sock")
    }) {
        out.push(spec_cause(res, format!("{} '{}' should not specify '/var/run/docker.socker' in 'spec.template.volumes.hostPath.path'", res.kind, res.name)));
    }
}
