//! GCP-0001: Ensure that Cloud Storage bucket is not anonymously or publicly accessible.
//!
//! Using 'allUsers' or 'allAuthenticatedUsers' as members in an IAM member/binding causes data to be exposed outside of the organisation.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0001",
    short_id: "GCP0001",
    avd_id: "AVD-GCP-0001",
    title: "Ensure that Cloud Storage bucket is not anonymously or publicly accessible.",
    description: "Using 'allUsers' or 'allAuthenticatedUsers' as members in an IAM member/binding causes data to be exposed outside of the organisation.",
    resolution: "Restrict public access to the bucket.",
    severity: Severity::High,
    references: &["https://jbrojbrojbro.medium.com/you-make-the-rules-with-authentication-controls-for-cloud-storage-53c32543747b"],
    namespace: "builtin.google.storage.google0001",
};
fn is_public_member(v: &V) -> bool {
    matches!(
        v.text().as_deref(),
        Some("allUsers" | "allAuthenticatedUsers")
    )
}

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in res
        .iter()
        .filter(|r| r.rtype.starts_with("google_storage_bucket_iam_"))
    {
        let mut members: Vec<&crate::terraform::Attr> = Vec::new();
        members.extend(r.body.attr("members"));
        members.extend(r.body.attr("member"));
        for a in members {
            let public = match &a.v {
                V::List(l) => l.iter().any(is_public_member),
                v => is_public_member(v),
            };
            if public {
                out.push(Cause::new("Bucket allows public access.", Some(a.lines)));
            }
        }
    }
}
