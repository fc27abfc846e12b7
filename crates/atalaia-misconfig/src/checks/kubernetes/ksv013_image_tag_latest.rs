//! KSV-0013 (KSV013): Image tag ":latest" used
//!
//! ## What it checks
//! A container image has no tag, or `latest`, and no digest.
//!
//! ## Why it matters
//! It is best to avoid using the ':latest' image tag when deploying containers in production. Doing so makes it hard to track which version of the image is running, and hard to roll back the version.

use super::{container_msg, each_container};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0013",
    short_id: "KSV013",
    avd_id: "AVD-KSV-0013",
    title: "Image tag \":latest\" used",
    description: "It is best to avoid using the ':latest' image tag when deploying containers in production. Doing so makes it hard to track which version of the image is running, and hard to roll back the version.",
    resolution: "Use a specific container image tag that is not 'latest'.",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/configuration/overview/#container-images"],
    namespace: "builtin.kubernetes.KSV013",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| {
            let image = c
                .node
                .get("image")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            if image.contains('@') {
                return false;
            }
            let parts: Vec<&str> = image.split(':').collect();
            match parts.as_slice() {
                [_] => true,
                [_, tag] => *tag == "latest",
                _ => true,
            }
        },
        |c| container_msg(res, c, "should specify an image tag"),
    );
}
