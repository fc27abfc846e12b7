//! AWS-0031: ECR images tags shouldn't be mutable.
//!
//! ECR images should be set to IMMUTABLE to prevent code injection through image mutation. This can be done by setting <code>image_tab_mutability</code> to <code>IMMUTABLE</code>

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0031",
    short_id: "AWS0031",
    avd_id: "AVD-AWS-0031",
    title: "ECR images tags shouldn't be mutable.",
    description: "ECR images should be set to IMMUTABLE to prevent code injection through image mutation. This can be done by setting <code>image_tab_mutability</code> to <code>IMMUTABLE</code>",
    resolution: "Only use immutable images in ECR",
    severity: Severity::High,
    references: &["https://sysdig.com/blog/toctou-tag-mutability/"],
    namespace: "builtin.aws.ecr.aws0031",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for r in &aws.ecr_repositories {
        match r.tag_mutability.as_ref() {
            None => out.push(Cause::new("Repository tags are mutable.", Some(r.range))),
            Some(a) if a.str().is_some_and(|m| !m.starts_with("IMMUTABLE")) => {
                out.push(Cause::new("Repository tags are mutable.", Some(a.lines)));
            }
            Some(_) => {}
        }
    }
}
