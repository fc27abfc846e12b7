//! AWS-0067: Ensure that lambda function permission has a source arn specified
//!
//! When the principal is an AWS service, the ARN of the specific resource within that service to grant permission to.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0067",
    short_id: "AWS0067",
    avd_id: "AVD-AWS-0067",
    title: "Ensure that lambda function permission has a source arn specified",
    description: "When the principal is an AWS service, the ARN of the specific resource within that service to grant permission to.\nWithout this, any resource from principal will be granted permission – even if that resource is from another account.\nFor S3, this should be the ARN of the S3 Bucket. For CloudWatch Events, this should be the ARN of the CloudWatch Events Rule. For API Gateway, this should be the ARN of the API",
    resolution: "Always provide a source arn for Lambda permissions",
    severity: Severity::Critical,
    references: &["https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html"],
    namespace: "builtin.aws.lambda.aws0067",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for p in &aws.lambda_permissions {
        let service = p
            .principal
            .as_ref()
            .and_then(cloud::Attr::str)
            .is_some_and(|s| s.ends_with(".amazonaws.com"));
        if service && cloud::missing_or_empty(p.source_arn.as_ref()) {
            out.push(Cause::new(
                "Lambda permission lacks source ARN for *.amazonaws.com principal.",
                Some(p.range),
            ));
        }
    }
}
