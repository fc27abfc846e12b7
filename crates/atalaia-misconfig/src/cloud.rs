//! A small common model of AWS resources, filled from CloudFormation templates (and meant to
//! be filled from Terraform too), as Trivy's adapters do: one check serves every source.
//!
//! Every attribute keeps the lines it came from; an attribute whose value could not be
//! worked out (a parameter without default, `Fn::GetAtt`, a condition) is [`Val::Unknown`]
//! and never makes a check fail by itself.

/// A 1-based inclusive line range.
pub(crate) type Range = (usize, usize);

/// A scalar value of the model.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// Not known before deployment.
    Unknown,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string.
    Str(String),
}

/// An attribute that is present in the source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attr {
    pub(crate) v: Val,
    pub(crate) lines: Range,
}

impl Attr {
    /// Known to be true (also `"true"` strings, as CloudFormation accepts them).
    pub(crate) fn is_true(&self) -> bool {
        match &self.v {
            Val::Bool(b) => *b,
            Val::Str(s) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }

    /// Not known before deployment.
    pub(crate) fn is_unknown(&self) -> bool {
        self.v == Val::Unknown
    }

    /// The string, when known (numbers as text).
    pub(crate) fn str(&self) -> Option<String> {
        match &self.v {
            Val::Str(s) => Some(s.clone()),
            Val::Int(i) => Some(i.to_string()),
            Val::Bool(b) => Some(b.to_string()),
            Val::Unknown => None,
        }
    }

    /// The integer, when known (numeric strings too).
    pub(crate) fn int(&self) -> Option<i64> {
        match &self.v {
            Val::Int(i) => Some(*i),
            Val::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// Known false, or absent.
pub(crate) fn not_true(a: Option<&Attr>) -> bool {
    a.is_none_or(|a| !a.is_true() && !a.is_unknown())
}

/// An S3 bucket.
#[derive(Debug, Default)]
pub(crate) struct Bucket {
    pub(crate) range: Range,
    /// `KMSMasterKeyID`.
    pub(crate) kms_key: Option<Attr>,
    /// The logging configuration, when present.
    pub(crate) logging: Option<Range>,
    /// The canned ACL.
    pub(crate) acl: Option<Attr>,
    /// Versioning status (`Enabled`, `Suspended`) or flag.
    pub(crate) versioning: Option<Attr>,
    /// The public access block.
    pub(crate) public_access_block: Option<PublicAccessBlock>,
}

/// A bucket's public access block.
#[derive(Debug, Default)]
pub(crate) struct PublicAccessBlock {
    pub(crate) range: Range,
    pub(crate) block_public_acls: Option<Attr>,
    pub(crate) block_public_policy: Option<Attr>,
    pub(crate) ignore_public_acls: Option<Attr>,
    pub(crate) restrict_public_buckets: Option<Attr>,
}

/// A security group rule (inline in a group or a resource of its own).
#[derive(Debug, Default)]
pub(crate) struct SgRule {
    pub(crate) range: Range,
    pub(crate) egress: bool,
    pub(crate) description: Option<Attr>,
    /// IPv4 and IPv6 CIDR blocks.
    pub(crate) cidrs: Vec<Attr>,
    pub(crate) protocol: Option<Attr>,
    pub(crate) from_port: Option<Attr>,
    pub(crate) to_port: Option<Attr>,
}

/// An inbound network ACL rule.
#[derive(Debug, Default)]
pub(crate) struct NaclRule {
    pub(crate) range: Range,
    /// `allow` or `deny`.
    pub(crate) action: Option<Attr>,
    pub(crate) protocol: Option<Attr>,
    pub(crate) cidrs: Vec<Attr>,
    pub(crate) from_port: Option<Attr>,
    pub(crate) to_port: Option<Attr>,
}

/// An EBS block device of an instance or launch template.
#[derive(Debug, Default)]
pub(crate) struct BlockDevice {
    pub(crate) range: Range,
    pub(crate) encrypted: Option<Attr>,
}

/// An EC2 instance.
#[derive(Debug, Default)]
pub(crate) struct Instance {
    pub(crate) range: Range,
    pub(crate) http_tokens: Option<Attr>,
    pub(crate) http_endpoint: Option<Attr>,
    pub(crate) block_devices: Vec<BlockDevice>,
}

/// An EC2 launch template or launch configuration.
#[derive(Debug, Default)]
pub(crate) struct LaunchTemplate {
    pub(crate) range: Range,
    pub(crate) http_tokens: Option<Attr>,
    pub(crate) http_endpoint: Option<Attr>,
}

/// A subnet.
#[derive(Debug, Default)]
pub(crate) struct Subnet {
    pub(crate) map_public_ip: Option<Attr>,
}

/// A VPC.
#[derive(Debug, Default)]
pub(crate) struct Vpc {
    pub(crate) range: Range,
    pub(crate) flow_logs: bool,
}

/// A Lambda function (plain or SAM).
#[derive(Debug, Default)]
pub(crate) struct Function {
    pub(crate) range: Range,
    pub(crate) tracing_mode: Option<Attr>,
}

/// A Lambda permission.
#[derive(Debug, Default)]
pub(crate) struct LambdaPermission {
    pub(crate) range: Range,
    pub(crate) principal: Option<Attr>,
    pub(crate) source_arn: Option<Attr>,
}

/// An RDS instance.
#[derive(Debug, Default)]
pub(crate) struct DbInstance {
    pub(crate) range: Range,
    pub(crate) performance_insights: Option<Attr>,
    pub(crate) deletion_protection: Option<Attr>,
}

/// An RDS cluster.
#[derive(Debug, Default)]
pub(crate) struct DbCluster {
    pub(crate) range: Range,
    pub(crate) kms_key: Option<Attr>,
    pub(crate) storage_encrypted: Option<Attr>,
    pub(crate) deletion_protection: Option<Attr>,
}

/// A resource that is encrypted with a KMS key or not (secrets, queues, topics, log
/// groups, volumes, tables).
#[derive(Debug, Default)]
pub(crate) struct KmsEncrypted {
    pub(crate) range: Range,
    /// The whole encryption setting (a flag or a block), when present.
    pub(crate) enabled: Option<Attr>,
    pub(crate) kms_key: Option<Attr>,
}

/// A load balancer.
#[derive(Debug, Default)]
pub(crate) struct LoadBalancer {
    pub(crate) range: Range,
    /// `application`, `network`, `gateway`; absent means application.
    pub(crate) lb_type: Option<Attr>,
    pub(crate) internal: Option<Attr>,
    pub(crate) drop_invalid_headers: Option<Attr>,
}

/// A load balancer listener.
#[derive(Debug, Default)]
pub(crate) struct Listener {
    pub(crate) range: Range,
    pub(crate) protocol: Option<Attr>,
    pub(crate) ssl_policy: Option<Attr>,
    /// Whether the default action redirects to HTTPS.
    pub(crate) redirects_to_https: bool,
    /// The type of the load balancer it belongs to, when known.
    pub(crate) lb_type: Option<String>,
}

/// A CloudFront distribution.
#[derive(Debug, Default)]
pub(crate) struct Distribution {
    pub(crate) range: Range,
    pub(crate) logging: Option<Range>,
    pub(crate) waf: Option<Attr>,
    /// Viewer protocol policies of the default and ordered cache behaviours.
    pub(crate) viewer_protocol_policies: Vec<Attr>,
    pub(crate) min_protocol_version: Option<Attr>,
}

/// An ECS cluster.
#[derive(Debug, Default)]
pub(crate) struct EcsCluster {
    pub(crate) range: Range,
    /// The `containerInsights` setting, when present.
    pub(crate) container_insights: Option<Attr>,
}

/// An EFS volume of an ECS task definition.
#[derive(Debug, Default)]
pub(crate) struct EfsVolume {
    pub(crate) range: Range,
    pub(crate) transit_encryption: Option<Attr>,
}

/// An API Gateway stage.
#[derive(Debug, Default)]
pub(crate) struct ApiStage {
    pub(crate) range: Range,
    pub(crate) access_logging: Option<Range>,
    pub(crate) tracing: Option<Attr>,
    /// Whether it is an API Gateway V1 stage (tracing applies to V1 only).
    pub(crate) v1: bool,
}

/// An API Gateway method.
#[derive(Debug, Default)]
pub(crate) struct ApiMethod {
    pub(crate) http_method: Option<Attr>,
    pub(crate) authorization: Option<Attr>,
    pub(crate) api_key_required: Option<Attr>,
}

/// A DynamoDB table.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub(crate) range: Range,
    pub(crate) point_in_time_recovery: Option<Attr>,
    pub(crate) kms_key: Option<Attr>,
}

/// A KMS key.
#[derive(Debug, Default)]
pub(crate) struct KmsKey {
    pub(crate) range: Range,
    pub(crate) usage: Option<Attr>,
    pub(crate) rotation: Option<Attr>,
}

/// An ECR repository.
#[derive(Debug, Default)]
pub(crate) struct EcrRepository {
    pub(crate) range: Range,
    pub(crate) scan_on_push: Option<Attr>,
    /// `MUTABLE`, `IMMUTABLE`...
    pub(crate) tag_mutability: Option<Attr>,
}

/// A list of strings known or not, with its lines.
#[derive(Debug, Clone)]
pub(crate) struct StrList {
    /// `None` when not known before deployment.
    pub(crate) items: Option<Vec<String>>,
    pub(crate) lines: Range,
}

/// An EKS cluster.
#[derive(Debug, Default)]
pub(crate) struct EksCluster {
    pub(crate) range: Range,
    /// The control plane log types enabled.
    pub(crate) log_types: Option<StrList>,
    /// The resources of the encryption configuration (`secrets`).
    pub(crate) encrypted_resources: Option<StrList>,
    pub(crate) kms_key: Option<Attr>,
}

/// A CloudTrail trail.
#[derive(Debug, Default)]
pub(crate) struct Trail {
    pub(crate) range: Range,
    pub(crate) multi_region: Option<Attr>,
    pub(crate) log_validation: Option<Attr>,
}

/// A security group.
#[derive(Debug, Default)]
pub(crate) struct SecurityGroup {
    pub(crate) range: Range,
    pub(crate) description: Option<Attr>,
}

/// Everything the AWS checks look at, from one template or module.
#[derive(Debug, Default)]
pub(crate) struct Aws {
    pub(crate) buckets: Vec<Bucket>,
    pub(crate) sg_rules: Vec<SgRule>,
    pub(crate) nacl_rules: Vec<NaclRule>,
    /// Uses of the default VPC.
    pub(crate) default_vpcs: Vec<Range>,
    pub(crate) instances: Vec<Instance>,
    pub(crate) launch_templates: Vec<LaunchTemplate>,
    pub(crate) subnets: Vec<Subnet>,
    pub(crate) vpcs: Vec<Vpc>,
    pub(crate) functions: Vec<Function>,
    pub(crate) sam_functions: Vec<Function>,
    pub(crate) lambda_permissions: Vec<LambdaPermission>,
    pub(crate) db_instances: Vec<DbInstance>,
    pub(crate) db_clusters: Vec<DbCluster>,
    pub(crate) secrets: Vec<KmsEncrypted>,
    pub(crate) queues: Vec<KmsEncrypted>,
    pub(crate) topics: Vec<KmsEncrypted>,
    pub(crate) log_groups: Vec<KmsEncrypted>,
    pub(crate) volumes: Vec<KmsEncrypted>,
    pub(crate) load_balancers: Vec<LoadBalancer>,
    pub(crate) listeners: Vec<Listener>,
    pub(crate) distributions: Vec<Distribution>,
    pub(crate) ecs_clusters: Vec<EcsCluster>,
    pub(crate) efs_volumes: Vec<EfsVolume>,
    pub(crate) api_stages: Vec<ApiStage>,
    pub(crate) api_methods: Vec<ApiMethod>,
    pub(crate) tables: Vec<Table>,
    pub(crate) kms_keys: Vec<KmsKey>,
    pub(crate) ecr_repositories: Vec<EcrRepository>,
    pub(crate) eks_clusters: Vec<EksCluster>,
    pub(crate) trails: Vec<Trail>,
    pub(crate) security_groups: Vec<SecurityGroup>,
}

/// Trivy's canned ACL name of a CloudFormation `AccessControl` value (`PublicRead` →
/// `public-read`); canned names pass through.
pub(crate) fn canned_acl(v: &str) -> String {
    let mut out = String::new();
    for (i, c) in v.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a CIDR block is open to the whole internet.
pub(crate) fn is_public_cidr(cidr: &str) -> bool {
    matches!(cidr.trim(), "0.0.0.0/0" | "::/0" | "*" | "0.0.0.0")
}

/// Absent, or a known empty string.
pub(crate) fn missing_or_empty(a: Option<&Attr>) -> bool {
    a.is_none_or(|a| a.str().is_some_and(|s| s.is_empty()))
}

/// Whether a rule's port range takes in `port` (all protocols or absent ports take in every port).
pub(crate) fn rule_reaches_port(r: &SgRule, port: i64) -> bool {
    let proto = r.protocol.as_ref().and_then(Attr::str);
    if matches!(proto.as_deref(), Some("-1" | "all" | "ALL")) {
        return true;
    }
    let from = r.from_port.as_ref().and_then(Attr::int);
    let to = r.to_port.as_ref().and_then(Attr::int);
    match (from, to) {
        (Some(f), Some(t)) => {
            (f <= port && port <= t)
                || (f == -1 && t == -1)
                || (f == 0 && t == 0 && r.from_port.is_none())
        }
        (Some(f), None) => f == port || f == -1,
        (None, Some(t)) => t == port || t == -1,
        (None, None) => r.from_port.is_none() && r.to_port.is_none(),
    }
}

/// The IMDS check: tokens must be `required` unless the endpoint is disabled.
pub(crate) fn imds_cause(
    tokens: Option<&Attr>,
    endpoint: Option<&Attr>,
    range: Range,
    message: &str,
) -> Option<crate::checks::Cause> {
    if endpoint.is_some_and(|e| e.str().as_deref() == Some("disabled")) {
        return None;
    }
    match tokens {
        Some(t) if t.is_unknown() || t.str().as_deref() == Some("required") => None,
        Some(t) => Some(crate::checks::Cause::new(message, Some(t.lines))),
        None => Some(crate::checks::Cause::new(message, Some(range))),
    }
}

/// Fail unless the attribute is true (or unknown): on its lines when present, else on `range`.
pub(crate) fn require_true(
    a: Option<&Attr>,
    range: Range,
    message: &str,
    out: &mut Vec<crate::checks::Cause>,
) {
    if not_true(a) {
        out.push(crate::checks::Cause::new(
            message,
            Some(a.map_or(range, |a| a.lines)),
        ));
    }
}

/// Fail unless the attribute equals `want` (case-insensitively) or is unknown.
pub(crate) fn require_value(
    a: Option<&Attr>,
    want: &str,
    range: Range,
    message: &str,
    out: &mut Vec<crate::checks::Cause>,
) {
    match a {
        Some(a) if a.is_unknown() || a.str().is_some_and(|s| s.eq_ignore_ascii_case(want)) => {}
        Some(a) => out.push(crate::checks::Cause::new(message, Some(a.lines))),
        None => out.push(crate::checks::Cause::new(message, Some(range))),
    }
}

/// Fail when a resource names no KMS key.
pub(crate) fn require_key(r: &KmsEncrypted, message: &str, out: &mut Vec<crate::checks::Cause>) {
    if missing_or_empty(r.kms_key.as_ref()) {
        out.push(crate::checks::Cause::new(
            message,
            Some(r.kms_key.as_ref().map_or(r.range, |a| a.lines)),
        ));
    }
}

/// An application load balancer (the default type).
pub(crate) fn is_application_lb(t: Option<&Attr>) -> bool {
    t.and_then(Attr::str).is_none_or(|t| t == "application")
}
