//! CloudFormation templates (YAML with the short-form `!Ref !Sub !GetAtt !If ...` tags, and
//! JSON): parameters with their defaults, resources, intrinsic functions resolved as far as
//! the template alone allows, and the adapter into the common `cloud` model.

use std::collections::HashMap;

use crate::cloud::{
    ApiMethod, ApiStage, Attr, Aws, BlockDevice, Bucket, DbCluster, DbInstance, Distribution,
    EcsCluster, EfsVolume, Function, Instance, KmsEncrypted, LambdaPermission, LaunchTemplate,
    Listener, LoadBalancer, PublicAccessBlock, Range, SgRule, Subnet, Table, Val, Vpc,
};
use crate::cloud::{EcrRepository, EksCluster, KmsKey, SecurityGroup, StrList, Trail};
use crate::yaml::{self, Node, Value, YamlError};

/// One resource of a template.
#[derive(Debug)]
pub struct Resource<'a> {
    /// Logical ID.
    pub name: &'a str,
    /// `AWS::S3::Bucket`...
    pub kind: &'a str,
    /// The lines of the whole resource entry.
    pub range: (usize, usize),
    /// `Properties`, when present.
    pub props: Option<&'a Node>,
}

/// A parsed template.
#[derive(Debug)]
pub struct Template {
    root: Node,
}

/// Whether a parsed document looks like a CloudFormation template.
pub fn is_template(doc: &Node) -> bool {
    doc.get("AWSTemplateFormatVersion").is_some()
        || doc
            .get("Resources")
            .is_some_and(|r| r.entries().iter().any(|(_, v)| v.get("Type").is_some()))
}

/// Parse a template (YAML or JSON). `Ok(None)` when the text is valid but not a template.
pub fn parse(text: &str) -> Result<Option<Template>, YamlError> {
    let docs = yaml::parse_documents_cfn(text)?;
    Ok(docs.into_iter().find(is_template).map(|mut root| {
        scalar_ends_at_start(&mut root, 0);
        Template { root }
    }))
}

/// Trivy ends a multi-line scalar (a `|` block, a folded string) on its first line, and a
/// block collection on the end of its last item; flow collections (JSON) keep their closing
/// bracket's line.
fn scalar_ends_at_start(n: &mut Node, depth: usize) {
    if depth > yaml::MAX_DEPTH {
        return;
    }
    let old_content_end = |n: &Node| match &n.value {
        Value::Seq(items) => items.iter().map(|c| c.end).max(),
        Value::Map(entries) => entries.iter().map(|(k, v)| k.end.max(v.end)).max(),
        _ => None,
    };
    let Some(old) = old_content_end(n) else {
        n.end = n.start;
        return;
    };
    match &mut n.value {
        Value::Seq(items) => items
            .iter_mut()
            .for_each(|c| scalar_ends_at_start(c, depth + 1)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            scalar_ends_at_start(k, depth + 1);
            scalar_ends_at_start(v, depth + 1);
        }),
        _ => {}
    }
    if n.end == old {
        n.end = old_content_end(n).unwrap_or(n.start).max(n.start);
    }
}

impl Template {
    /// The resources, in template order.
    pub fn resources(&self) -> Vec<Resource<'_>> {
        let Some(res) = self.root.get("Resources") else {
            return Vec::new();
        };
        res.entries()
            .iter()
            .filter_map(|(k, v)| {
                Some(Resource {
                    name: k.as_str()?,
                    kind: v.get("Type")?.as_str()?,
                    range: (k.start, v.end.max(k.start)),
                    props: v.get("Properties"),
                })
            })
            .collect()
    }

    fn conditions(&self) -> HashMap<&str, &Node> {
        self.root
            .get("Conditions")
            .map(|p| {
                p.entries()
                    .iter()
                    .filter_map(|(k, v)| Some((k.as_str()?, v)))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn param_defaults(&self) -> HashMap<&str, &Node> {
        self.root
            .get("Parameters")
            .map(|p| {
                p.entries()
                    .iter()
                    .filter_map(|(k, v)| Some((k.as_str()?, v.get("Default")?)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Resolves intrinsic functions against the template's parameter defaults.
struct Ctx<'a> {
    params: HashMap<&'a str, &'a Node>,
    conditions: HashMap<&'a str, &'a Node>,
}

/// A condition's truth, when the parameter defaults decide it.
fn eval_cond(ctx: &Ctx<'_>, n: &Node, depth: usize) -> Option<bool> {
    if depth > 20 {
        return None;
    }
    if let Some(b) = n.as_bool() {
        return Some(b);
    }
    let [(k, v)] = n.entries() else { return None };
    let args = v.items();
    match k.as_str()? {
        "Condition" => eval_cond(ctx, ctx.conditions.get(v.as_str()?)?, depth + 1),
        "Fn::Not" => eval_cond(ctx, args.first()?, depth + 1).map(|b| !b),
        "Fn::And" => args
            .iter()
            .try_fold(true, |acc, a| Some(acc & eval_cond(ctx, a, depth + 1)?)),
        "Fn::Or" => args
            .iter()
            .try_fold(false, |acc, a| Some(acc | eval_cond(ctx, a, depth + 1)?)),
        "Fn::Equals" => {
            let [a, b] = args else { return None };
            let text = |n: &Node| match eval(ctx, n, depth + 1) {
                Some(Val::Str(s)) => Some(s),
                Some(Val::Int(i)) => Some(i.to_string()),
                Some(Val::Bool(b)) => Some(b.to_string()),
                None => Some(String::new()),
                Some(Val::Unknown) => None,
            };
            Some(text(a)? == text(b)?)
        }
        _ => None,
    }
}

/// The branch an `Fn::If` takes, when its condition is decided.
fn if_branch<'n>(ctx: &Ctx<'_>, n: &'n Node, depth: usize) -> Option<&'n Node> {
    let args = n.get("Fn::If")?.items();
    let [c, a, b] = args else { return None };
    let cond = ctx.conditions.get(c.as_str()?)?;
    Some(if eval_cond(ctx, cond, depth + 1)? {
        a
    } else {
        b
    })
}

/// The value of a node, intrinsic functions resolved where the template alone tells; `None`
/// for `AWS::NoValue`.
fn eval(ctx: &Ctx<'_>, n: &Node, depth: usize) -> Option<Val> {
    if depth > 20 {
        return Some(Val::Unknown);
    }
    Some(match &n.value {
        Value::Null => return None,
        Value::Bool(b) => Val::Bool(*b),
        Value::Int(i) => Val::Int(*i),
        Value::Float(f) => Val::Str(f.to_string()),
        Value::Str(s) => Val::Str(s.clone()),
        Value::Seq(_) => Val::Unknown,
        Value::Map(e) if e.len() == 1 => {
            let (k, v) = &e[0];
            match k.as_str().unwrap_or("") {
                "Ref" => match v.as_str() {
                    Some("AWS::NoValue") => return None,
                    Some(p) => match ctx.params.get(p) {
                        Some(d) => eval(ctx, d, depth + 1)?,
                        None => Val::Unknown,
                    },
                    None => Val::Unknown,
                },
                "Fn::If" => match if_branch(ctx, n, depth) {
                    Some(b) => return eval(ctx, b, depth + 1),
                    None => Val::Unknown,
                },
                "Fn::Sub" => match v.as_str() {
                    Some(s) if !s.contains("${") => Val::Str(s.to_string()),
                    Some(s) => sub(ctx, s, depth),
                    None => Val::Unknown,
                },
                "Fn::Join" => {
                    let items = v.items();
                    match (items.first().and_then(Node::as_str), items.get(1)) {
                        (Some(sep), Some(list)) => {
                            let mut parts = Vec::new();
                            for it in list.items() {
                                match eval(ctx, it, depth + 1) {
                                    Some(Val::Str(s)) => parts.push(s),
                                    Some(Val::Int(i)) => parts.push(i.to_string()),
                                    _ => return Some(Val::Unknown),
                                }
                            }
                            Val::Str(parts.join(sep))
                        }
                        _ => Val::Unknown,
                    }
                }
                _ => Val::Unknown,
            }
        }
        Value::Map(_) => Val::Unknown,
    })
}

fn sub(ctx: &Ctx<'_>, s: &str, depth: usize) -> Val {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(j) = after.find('}') else {
            return Val::Unknown;
        };
        let name = &after[..j];
        match ctx.params.get(name).and_then(|d| eval(ctx, d, depth + 1)) {
            Some(Val::Str(v)) => out.push_str(&v),
            Some(Val::Int(v)) => out.push_str(&v.to_string()),
            _ => return Val::Unknown,
        }
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    Val::Str(out)
}

struct Props<'a, 'c> {
    ctx: &'c Ctx<'a>,
    node: Option<&'a Node>,
}

impl<'a, 'c> Props<'a, 'c> {
    fn of(ctx: &'c Ctx<'a>, node: Option<&'a Node>) -> Props<'a, 'c> {
        Props { ctx, node }
    }

    /// The attribute `key`: its value and the lines of its entry.
    fn attr(&self, key: &str) -> Option<Attr> {
        let n = self.node?;
        let (_, v) = n.entry(key)?;
        let lines = n.entry_lines(key)?;
        let val = eval(self.ctx, v, 0)?;
        Some(Attr { v: val, lines })
    }

    fn child(&self, key: &str) -> Props<'a, 'c> {
        Props {
            ctx: self.ctx,
            node: self
                .node
                .and_then(|n| n.get(key))
                .map(|n| if_branch(self.ctx, n, 0).unwrap_or(n))
                .filter(|n| !is_no_value(n)),
        }
    }

    fn path_node(&self, keys: &[&str]) -> Props<'a, 'c> {
        keys.iter().fold(
            Props {
                ctx: self.ctx,
                node: self.node,
            },
            |p, k| p.child(k),
        )
    }

    fn range(&self, key: &str) -> Option<Range> {
        let n = self.node?;
        let v = n.get(key)?;
        let v = if_branch(self.ctx, v, 0).unwrap_or(v);
        (!is_no_value(v)).then_some(())?;
        n.entry_lines(key)
    }

    fn items(&self) -> Vec<Props<'a, 'c>> {
        self.node
            .map(|n| {
                n.items()
                    .iter()
                    .map(|it| Props {
                        ctx: self.ctx,
                        node: Some(it),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn lines(&self) -> Option<Range> {
        self.node.map(|n| (n.start, n.end))
    }

    fn present(&self) -> bool {
        self.node.is_some()
    }
}

fn is_no_value(n: &Node) -> bool {
    n.get("Ref").and_then(Node::as_str) == Some("AWS::NoValue")
}

/// Names a `Ref` or `Fn::GetAtt` points to.
fn ref_target(n: &Node) -> Option<&str> {
    if let Some(r) = n.get("Ref").and_then(Node::as_str) {
        return Some(r);
    }
    let g = n.get("Fn::GetAtt")?;
    match &g.value {
        Value::Str(s) => s.split('.').next(),
        Value::Seq(items) => items.first()?.as_str(),
        _ => None,
    }
}

/// Adapt a template into the common model.
pub(crate) fn adapt(t: &Template) -> Aws {
    let ctx = Ctx {
        params: t.param_defaults(),
        conditions: t.conditions(),
    };
    let resources = t.resources();
    let mut aws = Aws::default();
    let flow_log_targets: Vec<&str> = resources
        .iter()
        .filter(|r| r.kind == "AWS::EC2::FlowLog")
        .filter_map(|r| r.props?.get("ResourceId").and_then(ref_target))
        .collect();
    let lb_types: HashMap<&str, String> = resources
        .iter()
        .filter(|r| r.kind == "AWS::ElasticLoadBalancingV2::LoadBalancer")
        .map(|r| {
            let ty = Props::of(&ctx, r.props)
                .attr("Type")
                .and_then(|a| a.str())
                .unwrap_or_else(|| "application".to_string());
            (r.name, ty)
        })
        .collect();
    for r in &resources {
        let p = Props::of(&ctx, r.props);
        let range = r.range;
        match r.kind {
            "AWS::S3::Bucket" => aws.buckets.push(bucket(&p, range)),
            "AWS::EC2::SecurityGroup" => {
                aws.security_groups.push(SecurityGroup {
                    range,
                    description: p.attr("GroupDescription"),
                });
                for (key, egress) in [
                    ("SecurityGroupIngress", false),
                    ("SecurityGroupEgress", true),
                ] {
                    for rule in p.child(key).items() {
                        if let Some(lines) = rule.lines() {
                            aws.sg_rules.push(sg_rule(&rule, lines, egress));
                        }
                    }
                }
            }
            "AWS::EC2::SecurityGroupIngress" => aws.sg_rules.push(sg_rule(&p, range, false)),
            "AWS::EC2::SecurityGroupEgress" => aws.sg_rules.push(sg_rule(&p, range, true)),
            "AWS::EC2::Instance" => {
                let block_devices = p
                    .child("BlockDeviceMappings")
                    .items()
                    .into_iter()
                    .filter_map(|m| {
                        Some(BlockDevice {
                            range: m.lines()?,
                            encrypted: m.child("Ebs").attr("Encrypted"),
                        })
                    })
                    .collect();
                aws.instances.push(Instance {
                    range,
                    http_tokens: None,
                    http_endpoint: None,
                    block_devices,
                });
            }
            "AWS::EC2::LaunchTemplate" => {
                let data = p.child("LaunchTemplateData");
                let md = data.child("MetadataOptions");
                aws.launch_templates.push(LaunchTemplate {
                    range: data.lines().unwrap_or(range),
                    http_tokens: md.attr("HttpTokens"),
                    http_endpoint: md.attr("HttpEndpoint"),
                });
            }
            "AWS::AutoScaling::LaunchConfiguration" => {
                let md = p.child("MetadataOptions");
                aws.launch_templates.push(LaunchTemplate {
                    range,
                    http_tokens: md.attr("HttpTokens"),
                    http_endpoint: md.attr("HttpEndpoint"),
                });
            }
            "AWS::EC2::Subnet" => aws.subnets.push(Subnet {
                map_public_ip: p.attr("MapPublicIpOnLaunch"),
            }),
            "AWS::EC2::VPC" => aws.vpcs.push(Vpc {
                range,
                flow_logs: flow_log_targets.contains(&r.name),
            }),
            "AWS::Lambda::Function" => aws.functions.push(Function {
                range,
                tracing_mode: p.child("TracingConfig").attr("Mode"),
            }),
            "AWS::Serverless::Function" => aws.sam_functions.push(Function {
                range,
                tracing_mode: p.attr("Tracing"),
            }),
            "AWS::Lambda::Permission" => aws.lambda_permissions.push(LambdaPermission {
                range,
                principal: p.attr("Principal"),
                source_arn: p.attr("SourceArn"),
            }),
            "AWS::RDS::DBInstance" => aws.db_instances.push(DbInstance {
                range,
                performance_insights: p.attr("EnablePerformanceInsights"),
                deletion_protection: p.attr("DeletionProtection"),
            }),
            "AWS::RDS::DBCluster" => aws.db_clusters.push(DbCluster {
                range,
                kms_key: p.attr("KmsKeyId"),
                storage_encrypted: p.attr("StorageEncrypted"),
                deletion_protection: p.attr("DeletionProtection"),
            }),
            "AWS::SecretsManager::Secret" => aws.secrets.push(KmsEncrypted {
                range,
                enabled: None,
                kms_key: p.attr("KmsKeyId"),
            }),
            "AWS::SQS::Queue" => aws.queues.push(KmsEncrypted {
                range,
                enabled: p.attr("SqsManagedSseEnabled"),
                kms_key: p.attr("KmsMasterKeyId"),
            }),
            "AWS::SNS::Topic" => aws.topics.push(KmsEncrypted {
                range,
                enabled: None,
                kms_key: p.attr("KmsMasterKeyId"),
            }),
            "AWS::Logs::LogGroup" => aws.log_groups.push(KmsEncrypted {
                range,
                enabled: None,
                kms_key: p.attr("KmsKeyId"),
            }),
            "AWS::EC2::Volume" => aws.volumes.push(KmsEncrypted {
                range,
                enabled: p.attr("Encrypted"),
                kms_key: p.attr("KmsKeyId"),
            }),
            "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
                let drop = p
                    .child("LoadBalancerAttributes")
                    .items()
                    .into_iter()
                    .find(|a| {
                        a.attr("Key").and_then(|k| k.str()).as_deref()
                            == Some("routing.http.drop_invalid_header_fields.enabled")
                    })
                    .and_then(|a| a.attr("Value"));
                let internal = p.attr("Scheme").map(|a| Attr {
                    v: match a.str() {
                        Some(s) => Val::Bool(s == "internal"),
                        None => Val::Unknown,
                    },
                    lines: a.lines,
                });
                aws.load_balancers.push(LoadBalancer {
                    range,
                    lb_type: p.attr("Type"),
                    internal,
                    drop_invalid_headers: drop,
                });
            }
            "AWS::ElasticLoadBalancingV2::Listener" => {
                let redirects_to_https = p.child("DefaultActions").items().iter().any(|a| {
                    a.attr("Type").and_then(|t| t.str()).as_deref() == Some("redirect")
                        && a.child("RedirectConfig")
                            .attr("Protocol")
                            .and_then(|t| t.str())
                            .as_deref()
                            == Some("HTTPS")
                });
                let lb_type = r
                    .props
                    .and_then(|n| n.get("LoadBalancerArn"))
                    .and_then(ref_target)
                    .and_then(|n| lb_types.get(n).cloned());
                aws.listeners.push(Listener {
                    range,
                    protocol: p.attr("Protocol"),
                    ssl_policy: p.attr("SslPolicy"),
                    redirects_to_https,
                    lb_type,
                });
            }
            "AWS::CloudFront::Distribution" => {
                let c = p.child("DistributionConfig");
                let mut policies = Vec::new();
                if let Some(a) = c.child("DefaultCacheBehavior").attr("ViewerProtocolPolicy") {
                    policies.push(a);
                }
                for b in c.child("CacheBehaviors").items() {
                    if let Some(a) = b.attr("ViewerProtocolPolicy") {
                        policies.push(a);
                    }
                }
                let vc = c.child("ViewerCertificate");
                aws.distributions.push(Distribution {
                    range,
                    logging: c.range("Logging"),
                    waf: c.attr("WebACLId"),
                    viewer_protocol_policies: policies,
                    min_protocol_version: vc.attr("MinimumProtocolVersion"),
                });
            }
            "AWS::ECS::Cluster" => {
                let insights = p
                    .child("ClusterSettings")
                    .items()
                    .into_iter()
                    .find(|s| {
                        s.attr("Name").and_then(|n| n.str()).as_deref() == Some("containerInsights")
                    })
                    .and_then(|s| s.attr("Value"));
                aws.ecs_clusters.push(EcsCluster {
                    range,
                    container_insights: insights,
                });
            }
            "AWS::ECS::TaskDefinition" => {
                // Every volume counts, as in Trivy's adapter (a volume with no EFS
                // configuration has in-transit encryption off).
                for v in p.child("Volumes").items() {
                    let efs = v.child("EFSVolumeConfiguration");
                    aws.efs_volumes.push(EfsVolume {
                        range,
                        transit_encryption: efs.attr("TransitEncryption"),
                    });
                }
            }
            "AWS::ApiGateway::Stage" => aws.api_stages.push(ApiStage {
                range,
                access_logging: p.range("AccessLogSetting"),
                tracing: p.attr("TracingEnabled"),
                v1: true,
            }),
            "AWS::ApiGatewayV2::Stage" => aws.api_stages.push(ApiStage {
                range,
                access_logging: p.range("AccessLogSettings"),
                tracing: None,
                v1: false,
            }),
            "AWS::ApiGateway::Method" => aws.api_methods.push(ApiMethod {
                http_method: p.attr("HttpMethod"),
                authorization: p.attr("AuthorizationType"),
                api_key_required: p.attr("ApiKeyRequired"),
            }),
            "AWS::DynamoDB::Table" => {
                let sse = p.child("SSESpecification");
                aws.tables.push(Table {
                    range,
                    point_in_time_recovery: p
                        .child("PointInTimeRecoverySpecification")
                        .attr("PointInTimeRecoveryEnabled"),
                    kms_key: sse.attr("KMSMasterKeyId"),
                });
            }
            "AWS::KMS::Key" => aws.kms_keys.push(KmsKey {
                range,
                usage: p.attr("KeyUsage"),
                rotation: p.attr("EnableKeyRotation"),
            }),
            "AWS::ECR::Repository" => aws.ecr_repositories.push(EcrRepository {
                range,
                scan_on_push: p.child("ImageScanningConfiguration").attr("ScanOnPush"),
                tag_mutability: p.attr("ImageTagMutability"),
            }),
            "AWS::EKS::Cluster" => {
                let logging = p.path_node(&["Logging", "ClusterLogging"]);
                let log_types = logging.child("EnabledTypes").lines().map(|lines| StrList {
                    items: logging
                        .child("EnabledTypes")
                        .items()
                        .iter()
                        .map(|t| t.attr("Type").and_then(|a| a.str()))
                        .collect(),
                    lines,
                });
                let enc = p.child("EncryptionConfig").items().into_iter().next();
                let encrypted_resources = enc.as_ref().and_then(|e| {
                    let res = e.child("Resources");
                    Some(StrList {
                        items: res
                            .node?
                            .items()
                            .iter()
                            .map(|n| match eval(&ctx, n, 0) {
                                Some(Val::Str(s)) => Some(s),
                                _ => None,
                            })
                            .collect(),
                        lines: e.range("Resources")?,
                    })
                });
                aws.eks_clusters.push(EksCluster {
                    range,
                    log_types,
                    encrypted_resources,
                    kms_key: enc.and_then(|e| e.child("Provider").attr("KeyArn")),
                });
            }
            "AWS::CloudTrail::Trail" => aws.trails.push(Trail {
                range,
                multi_region: p.attr("IsMultiRegionTrail"),
                log_validation: p.attr("EnableLogFileValidation"),
            }),
            _ => {}
        }
    }
    aws
}

fn bucket(p: &Props<'_, '_>, range: Range) -> Bucket {
    let enc = p.child("BucketEncryption");
    let default = enc
        .child("ServerSideEncryptionConfiguration")
        .items()
        .into_iter()
        .map(|r| r.child("ServerSideEncryptionByDefault"))
        .find(Props::present);
    let pab = p.child("PublicAccessBlockConfiguration");
    Bucket {
        range,
        kms_key: default.as_ref().and_then(|d| d.attr("KMSMasterKeyID")),
        logging: p.range("LoggingConfiguration"),
        acl: p.attr("AccessControl").map(|a| Attr {
            v: match &a.v {
                Val::Str(s) => Val::Str(crate::cloud::canned_acl(s)),
                other => other.clone(),
            },
            lines: a.lines,
        }),
        versioning: p.child("VersioningConfiguration").attr("Status"),
        public_access_block: p
            .range("PublicAccessBlockConfiguration")
            .map(|r| PublicAccessBlock {
                range: r,
                block_public_acls: pab.attr("BlockPublicAcls"),
                block_public_policy: pab.attr("BlockPublicPolicy"),
                ignore_public_acls: pab.attr("IgnorePublicAcls"),
                restrict_public_buckets: pab.attr("RestrictPublicBuckets"),
            }),
    }
}

fn sg_rule(p: &Props<'_, '_>, range: Range, egress: bool) -> SgRule {
    SgRule {
        range,
        egress,
        description: p.attr("Description"),
        cidrs: ["CidrIp", "CidrIpv6"]
            .iter()
            .filter_map(|k| p.attr(k))
            .collect(),
        protocol: p.attr("IpProtocol"),
        from_port: p.attr("FromPort"),
        to_port: p.attr("ToPort"),
    }
}
