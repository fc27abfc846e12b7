//! The Terraform adapter into the common AWS model: resources of one file, joined with the
//! resources of the whole evaluation that refer to them (a bucket's
//! `aws_s3_bucket_public_access_block`, a VPC's `aws_flow_log`...), as Trivy's adapters do.

use crate::cloud::{
    self, Attr, Aws, BlockDevice, Bucket, DbCluster, DbInstance, Function, Instance, KmsEncrypted,
    LaunchTemplate, Listener, LoadBalancer, NaclRule, PublicAccessBlock, SgRule, Subnet, Val, Vpc,
};
use crate::cloud::{EcrRepository, EksCluster, KmsKey, SecurityGroup, StrList, Trail};
use crate::terraform::{TfBody, TfResource, V};

fn val(v: &V) -> Val {
    match v {
        V::Bool(b) => Val::Bool(*b),
        #[allow(clippy::cast_possible_truncation)]
        V::Num(n) if n.fract() == 0.0 && n.abs() < 9e15 => Val::Int(*n as i64),
        V::Num(n) => Val::Str(n.to_string()),
        V::Str(s) => Val::Str(s.clone()),
        _ => Val::Unknown,
    }
}

fn attr(b: &TfBody, name: &str) -> Option<Attr> {
    b.attr(name).map(|a| Attr {
        v: val(&a.v),
        lines: a.lines,
    })
}

/// Each element of a list attribute (an unknown list gives one unknown element).
fn list_attr(b: &TfBody, name: &str) -> Vec<Attr> {
    match b.attr(name) {
        None => Vec::new(),
        Some(a) => match &a.v {
            V::List(l) => l
                .iter()
                .map(|x| Attr {
                    v: val(x),
                    lines: a.lines,
                })
                .collect(),
            other => vec![Attr {
                v: val(other),
                lines: a.lines,
            }],
        },
    }
}

/// Whether `r` points at `target` through attribute `key` (a reference or the same name).
fn refers(r: &TfResource, key: &str, target: &TfResource) -> bool {
    r.body.attr(key).is_some_and(|a| {
        a.refs.iter().any(|x| *x == target.address())
            || matches!((&a.v, target.body.attr("bucket").map(|b| &b.v)), (V::Str(s), Some(V::Str(t))) if s == t)
    })
}

/// Adapt the resources of one file (`mine`), joining with `all`.
pub(crate) fn adapt(mine: &[&TfResource], all: &[TfResource]) -> Aws {
    let mut aws = Aws::default();
    for r in mine {
        let b = &r.body;
        let range = r.lines;
        match r.rtype.as_str() {
            "aws_s3_bucket" => aws.buckets.push(bucket(r, all)),
            "aws_security_group" => {
                aws.security_groups.push(SecurityGroup {
                    range,
                    description: attr(b, "description"),
                });
                for (kind, egress) in [("ingress", false), ("egress", true)] {
                    for blk in b.blocks(kind) {
                        aws.sg_rules.push(sg_rule(&blk.body, blk.lines, egress));
                    }
                }
            }
            "aws_security_group_rule" => {
                let egress = b
                    .attr("type")
                    .and_then(|t| t.v.text())
                    .is_some_and(|t| t == "egress");
                let ty_known = b.attr("type").is_some_and(|t| t.v.text().is_some());
                if ty_known {
                    aws.sg_rules.push(sg_rule(b, range, egress));
                }
            }
            "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
                let mut rule = sg_rule(b, range, r.rtype.ends_with("egress_rule"));
                rule.cidrs = ["cidr_ipv4", "cidr_ipv6"]
                    .iter()
                    .filter_map(|k| attr(b, k))
                    .collect();
                rule.protocol = attr(b, "ip_protocol");
                aws.sg_rules.push(rule);
            }
            "aws_vpc" => aws.vpcs.push(Vpc {
                range,
                flow_logs: all
                    .iter()
                    .any(|f| f.rtype == "aws_flow_log" && refers(f, "vpc_id", r)),
            }),
            "aws_default_vpc" => {
                aws.default_vpcs.push(range);
                aws.vpcs.push(Vpc {
                    range,
                    flow_logs: all
                        .iter()
                        .any(|f| f.rtype == "aws_flow_log" && refers(f, "vpc_id", r)),
                });
            }
            "aws_network_acl_rule" if !b.attr("egress").is_some_and(|e| e.v.is_true()) => {
                aws.nacl_rules.push(nacl_rule(b, range));
            }
            "aws_network_acl" => {
                for blk in b.blocks("ingress") {
                    aws.nacl_rules.push(nacl_rule(&blk.body, blk.lines));
                }
            }
            "aws_cloudwatch_log_group" => aws.log_groups.push(KmsEncrypted {
                range,
                enabled: None,
                kms_key: attr(b, "kms_key_id"),
            }),
            "aws_subnet" => aws.subnets.push(Subnet {
                map_public_ip: attr(b, "map_public_ip_on_launch"),
            }),
            "aws_instance" => {
                let md = b.block("metadata_options").map(|m| &m.body);
                let mut devices = Vec::new();
                match b.block("root_block_device") {
                    Some(rb) => devices.push(BlockDevice {
                        range: rb.lines,
                        encrypted: attr(&rb.body, "encrypted"),
                    }),
                    None => devices.push(BlockDevice {
                        range,
                        encrypted: None,
                    }),
                }
                for eb in b.blocks("ebs_block_device") {
                    devices.push(BlockDevice {
                        range: eb.lines,
                        encrypted: attr(&eb.body, "encrypted"),
                    });
                }
                aws.instances.push(Instance {
                    range,
                    http_tokens: md.and_then(|m| attr(m, "http_tokens")),
                    http_endpoint: md.and_then(|m| attr(m, "http_endpoint")),
                    block_devices: devices,
                });
            }
            "aws_launch_template" | "aws_launch_configuration" => {
                let md = b.block("metadata_options").map(|m| &m.body);
                aws.launch_templates.push(LaunchTemplate {
                    range,
                    http_tokens: md.and_then(|m| attr(m, "http_tokens")),
                    http_endpoint: md.and_then(|m| attr(m, "http_endpoint")),
                });
            }
            "aws_lambda_function" => aws.functions.push(Function {
                range,
                tracing_mode: b
                    .block("tracing_config")
                    .and_then(|t| attr(&t.body, "mode")),
            }),
            "aws_db_instance" => aws.db_instances.push(DbInstance {
                range,
                performance_insights: attr(b, "performance_insights_enabled"),
                deletion_protection: attr(b, "deletion_protection"),
            }),
            "aws_rds_cluster" => aws.db_clusters.push(DbCluster {
                range,
                kms_key: attr(b, "kms_key_id"),
                storage_encrypted: attr(b, "storage_encrypted"),
                deletion_protection: attr(b, "deletion_protection"),
            }),
            "aws_secretsmanager_secret" => aws.secrets.push(KmsEncrypted {
                range,
                enabled: None,
                kms_key: attr(b, "kms_key_id"),
            }),
            "aws_sqs_queue" => aws.queues.push(KmsEncrypted {
                range,
                enabled: attr(b, "sqs_managed_sse_enabled"),
                kms_key: attr(b, "kms_master_key_id"),
            }),
            "aws_sns_topic" => aws.topics.push(KmsEncrypted {
                range,
                enabled: None,
                kms_key: attr(b, "kms_master_key_id"),
            }),
            "aws_ebs_volume" => aws.volumes.push(KmsEncrypted {
                range,
                enabled: attr(b, "encrypted"),
                kms_key: attr(b, "kms_key_id"),
            }),
            "aws_lb" | "aws_alb" => aws.load_balancers.push(LoadBalancer {
                range,
                lb_type: attr(b, "load_balancer_type"),
                internal: attr(b, "internal"),
                drop_invalid_headers: attr(b, "drop_invalid_header_fields"),
            }),
            "aws_lb_listener" | "aws_alb_listener" => {
                let redirects_to_https = b.blocks("default_action").any(|a| {
                    a.body.attr("type").and_then(|t| t.v.text()).as_deref() == Some("redirect")
                        && a.body.block("redirect").is_some_and(|rd| {
                            rd.body.attr("protocol").and_then(|p| p.v.text()).as_deref()
                                == Some("HTTPS")
                        })
                });
                let lb_type = all
                    .iter()
                    .find(|lb| {
                        matches!(lb.rtype.as_str(), "aws_lb" | "aws_alb")
                            && refers(r, "load_balancer_arn", lb)
                    })
                    .map(|lb| {
                        lb.body
                            .attr("load_balancer_type")
                            .and_then(|t| t.v.text())
                            .unwrap_or_else(|| "application".into())
                    });
                aws.listeners.push(Listener {
                    range,
                    protocol: attr(b, "protocol"),
                    ssl_policy: attr(b, "ssl_policy"),
                    redirects_to_https,
                    lb_type,
                });
            }
            "aws_kms_key" => aws.kms_keys.push(KmsKey {
                range,
                usage: attr(b, "key_usage"),
                rotation: attr(b, "enable_key_rotation"),
            }),
            "aws_ecr_repository" => aws.ecr_repositories.push(EcrRepository {
                range,
                scan_on_push: b
                    .block("image_scanning_configuration")
                    .and_then(|c| attr(&c.body, "scan_on_push")),
                tag_mutability: attr(b, "image_tag_mutability"),
            }),
            "aws_eks_cluster" => {
                let enc = b.block("encryption_config");
                aws.eks_clusters.push(EksCluster {
                    range,
                    log_types: str_list(b, "enabled_cluster_log_types"),
                    encrypted_resources: enc.and_then(|e| str_list(&e.body, "resources")),
                    kms_key: enc
                        .and_then(|e| e.body.block("provider"))
                        .and_then(|p| attr(&p.body, "key_arn")),
                });
            }
            "aws_cloudtrail" => aws.trails.push(Trail {
                range,
                multi_region: attr(b, "is_multi_region_trail"),
                log_validation: attr(b, "enable_log_file_validation"),
            }),
            _ => {}
        }
    }
    aws
}

fn str_list(b: &TfBody, name: &str) -> Option<StrList> {
    let a = b.attr(name)?;
    Some(StrList {
        items: match &a.v {
            V::List(l) => l.iter().map(V::text).collect(),
            _ => None,
        },
        lines: a.lines,
    })
}

fn bucket(r: &TfResource, all: &[TfResource]) -> Bucket {
    let b = &r.body;
    let related = |ty: &str| {
        all.iter()
            .find(move |x| x.rtype == ty && refers(x, "bucket", r))
    };
    // Server-side encryption: inline (older provider) or its own resource.
    let sse_rule = b
        .block("server_side_encryption_configuration")
        .map(|c| &c.body)
        .or_else(|| related("aws_s3_bucket_server_side_encryption_configuration").map(|x| &x.body))
        .and_then(|c| c.block("rule"))
        .and_then(|rule| rule.body.block("apply_server_side_encryption_by_default"));
    let versioning = b
        .block("versioning")
        .and_then(|v| attr(&v.body, "enabled"))
        .map(|a| Attr {
            v: match a.v {
                Val::Bool(true) => Val::Str("Enabled".into()),
                Val::Bool(false) => Val::Str("Suspended".into()),
                other => other,
            },
            lines: a.lines,
        })
        .or_else(|| {
            related("aws_s3_bucket_versioning")
                .and_then(|v| v.body.block("versioning_configuration"))
                .and_then(|c| attr(&c.body, "status"))
        });
    let logging = b
        .block("logging")
        .map(|l| l.lines)
        .or_else(|| related("aws_s3_bucket_logging").map(|l| l.lines));
    let public_access_block =
        related("aws_s3_bucket_public_access_block").map(|p| PublicAccessBlock {
            range: p.lines,
            block_public_acls: attr(&p.body, "block_public_acls"),
            block_public_policy: attr(&p.body, "block_public_policy"),
            ignore_public_acls: attr(&p.body, "ignore_public_acls"),
            restrict_public_buckets: attr(&p.body, "restrict_public_buckets"),
        });
    Bucket {
        range: r.lines,
        kms_key: sse_rule.and_then(|s| attr(&s.body, "kms_master_key_id")),
        logging,
        acl: attr(b, "acl")
            .or_else(|| related("aws_s3_bucket_acl").and_then(|a| attr(&a.body, "acl"))),
        versioning,
        public_access_block,
    }
}

fn sg_rule(b: &TfBody, range: cloud::Range, egress: bool) -> SgRule {
    let mut cidrs = list_attr(b, "cidr_blocks");
    cidrs.extend(list_attr(b, "ipv6_cidr_blocks"));
    SgRule {
        range,
        egress,
        description: attr(b, "description"),
        cidrs,
        protocol: attr(b, "protocol"),
        from_port: attr(b, "from_port"),
        to_port: attr(b, "to_port"),
    }
}

fn nacl_rule(b: &TfBody, range: cloud::Range) -> NaclRule {
    NaclRule {
        range,
        action: attr(b, "rule_action").or_else(|| attr(b, "action")),
        protocol: attr(b, "protocol"),
        cidrs: ["cidr_block", "ipv6_cidr_block"]
            .iter()
            .filter_map(|k| attr(b, k))
            .collect(),
        from_port: attr(b, "from_port"),
        to_port: attr(b, "to_port"),
    }
}
