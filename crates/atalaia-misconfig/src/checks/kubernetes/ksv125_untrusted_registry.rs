//! KSV-0125 (KSV0125): Restrict container images to trusted registries
//!
//! ## What it checks
//! A container image comes from a registry outside the default trusted list (Azure, ECR and GCR registries); images without a registry part are not judged.
//!
//! ## Why it matters
//! Ensure that all containers use images only from trusted registry domains.

use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0125",
    short_id: "KSV0125",
    avd_id: "AVD-KSV-0125",
    title: "Restrict container images to trusted registries",
    description: "Ensure that all containers use images only from trusted registry domains.",
    resolution: "Use images from trusted registries.",
    severity: Severity::Medium,
    references: &[
        "https://cloud.google.com/container-registry/docs/overview#registries",
        "https://docs.aws.amazon.com/general/latest/gr/ecr.html",
    ],
    namespace: "builtin.kubernetes.KSV0125",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    const TRUSTED: &[&str] = &[
        "azurecr.io",
        "gcr.io",
        "us.gcr.io",
        "eu.gcr.io",
        "asia.gcr.io",
        "ecr.us-east-2.amazonaws.com",
        "ecr.us-east-1.amazonaws.com",
        "ecr.us-west-1.amazonaws.com",
        "ecr.us-west-2.amazonaws.com",
        "ecr.af-south-1.amazonaws.com",
        "ecr.ap-east-1.amazonaws.com",
        "ecr.ap-south-1.amazonaws.com",
        "ecr.ap-northeast-2.amazonaws.com",
        "ecr.ap-southeast-1.amazonaws.com",
        "ecr.ap-southeast-2.amazonaws.com",
        "ecr.ap-northeast-1.amazonaws.com",
        "ecr.ca-central-1.amazonaws.com",
        "ecr.cn-north-1.amazonaws.com.cn",
        "ecr.cn-northwest-1.amazonaws.com.cn",
        "ecr.eu-central-1.amazonaws.com",
        "ecr.eu-west-1.amazonaws.com",
        "ecr.eu-west-2.amazonaws.com",
        "ecr.eu-south-1.amazonaws.com",
        "ecr.eu-west-3.amazonaws.com",
        "ecr.eu-north-1.amazonaws.com",
        "ecr.me-south-1.amazonaws.com",
        "ecr.sa-east-1.amazonaws.com",
        "ecr.us-gov-east-1.amazonaws.com",
        "ecr.us-gov-west-1.amazonaws.com",
    ];
    for c in res.containers() {
        let image = c
            .node
            .get("image")
            .and_then(Node::scalar_text)
            .unwrap_or_default();
        let mut parts = image.split('/');
        let registry = parts.next().unwrap_or("");
        if parts.next().is_some() && !TRUSTED.iter().any(|t| registry.ends_with(t)) {
            out.push(Cause::new(
                format!("Container {} in {} {} (namespace: {}) uses an image from an untrusted registry.", c.name, res.kind_lower(), res.name, res.namespace),
                Some(c.lines()),
            ));
        }
    }
}
