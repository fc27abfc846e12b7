//! AWS-0039: EKS should have the encryption of secrets enabled
//!
//! EKS cluster resources should have the encryption_config block set with protection of the secrets resource.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0039",
    short_id: "AWS0039",
    avd_id: "AVD-AWS-0039",
    title: "EKS should have the encryption of secrets enabled",
    description: "EKS cluster resources should have the encryption_config block set with protection of the secrets resource.",
    resolution: "Enable encryption of EKS secrets",
    severity: Severity::High,
    references: &["https://aws.amazon.com/about-aws/whats-new/2020/03/amazon-eks-adds-envelope-encryption-for-secrets-with-aws-kms/"],
    namespace: "builtin.aws.eks.aws0039",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for c in &aws.eks_clusters {
        let secrets = match c.encrypted_resources.as_ref() {
            None => Some(false),
            Some(l) => l.items.as_ref().map(|i| i.iter().any(|r| r == "secrets")),
        };
        match secrets {
            Some(false) => {
                let lines = c.encrypted_resources.as_ref().map_or(c.range, |l| l.lines);
                out.push(Cause::new(
                    "Cluster does not have secret encryption enabled.",
                    Some(lines),
                ));
            }
            Some(true) if cloud::missing_or_empty(c.kms_key.as_ref()) => {
                let lines = c.kms_key.as_ref().map_or(c.range, |k| k.lines);
                out.push(Cause::new(
                    "Cluster encryption requires a KMS key ID, which is missing",
                    Some(lines),
                ));
            }
            _ => {}
        }
    }
}
