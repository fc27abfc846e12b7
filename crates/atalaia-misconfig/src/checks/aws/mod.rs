//! AWS checks (`AWS-…`), one file each, over the common [`cloud`](crate::cloud) model, so that
//! one check serves CloudFormation and Terraform alike.

use crate::checks::CloudCheck;

pub(crate) mod aws0001_apigateway_access_logging;
pub(crate) mod aws0003_apigateway_tracing;
pub(crate) mod aws0004_apigateway_method_authorization;
pub(crate) mod aws0010_cloudfront_logging;
pub(crate) mod aws0011_cloudfront_waf;
pub(crate) mod aws0012_cloudfront_https_only;
pub(crate) mod aws0013_cloudfront_tls_version;
pub(crate) mod aws0014_cloudtrail_all_regions;
pub(crate) mod aws0016_cloudtrail_log_validation;
pub(crate) mod aws0017_log_group_customer_key;
pub(crate) mod aws0024_dynamodb_point_in_time_recovery;
pub(crate) mod aws0025_dynamodb_customer_key;
pub(crate) mod aws0026_ebs_volume_encryption;
pub(crate) mod aws0027_ebs_volume_customer_key;
pub(crate) mod aws0028_instance_imds_tokens;
pub(crate) mod aws0030_ecr_image_scans;
pub(crate) mod aws0031_ecr_immutable_tags;
pub(crate) mod aws0034_ecs_container_insights;
pub(crate) mod aws0035_ecs_efs_transit_encryption;
pub(crate) mod aws0038_eks_control_plane_logging;
pub(crate) mod aws0039_eks_encrypt_secrets;
pub(crate) mod aws0047_lb_outdated_tls_policy;
pub(crate) mod aws0052_alb_drop_invalid_headers;
pub(crate) mod aws0053_lb_not_public;
pub(crate) mod aws0054_alb_listener_https;
pub(crate) mod aws0065_kms_key_rotation;
pub(crate) mod aws0066_lambda_tracing;
pub(crate) mod aws0067_lambda_permission_source_arn;
pub(crate) mod aws0079_rds_cluster_encryption;
pub(crate) mod aws0086_s3_block_public_acls;
pub(crate) mod aws0087_s3_block_public_policy;
pub(crate) mod aws0089_s3_logging;
pub(crate) mod aws0090_s3_versioning;
pub(crate) mod aws0091_s3_ignore_public_acls;
pub(crate) mod aws0092_s3_no_public_acl;
pub(crate) mod aws0093_s3_restrict_public_buckets;
pub(crate) mod aws0094_s3_specify_public_access_block;
pub(crate) mod aws0095_sns_encryption;
pub(crate) mod aws0098_secret_customer_key;
pub(crate) mod aws0099_sg_description;
pub(crate) mod aws0101_default_vpc;
pub(crate) mod aws0102_nacl_no_all_ports;
pub(crate) mod aws0104_sg_no_public_egress;
pub(crate) mod aws0105_nacl_no_public_ingress_ssh_rdp;
pub(crate) mod aws0107_sg_no_public_ingress_ssh_rdp;
pub(crate) mod aws0124_sg_rule_description;
pub(crate) mod aws0125_sam_function_tracing;
pub(crate) mod aws0130_launch_template_imds_tokens;
pub(crate) mod aws0131_instance_block_device_encryption;
pub(crate) mod aws0132_s3_customer_key;
pub(crate) mod aws0133_rds_performance_insights;
pub(crate) mod aws0135_sqs_customer_key;
pub(crate) mod aws0164_subnet_no_public_ip;
pub(crate) mod aws0177_rds_instance_deletion_protection;
pub(crate) mod aws0178_vpc_flow_logs;
pub(crate) mod aws0343_rds_cluster_deletion_protection;

/// Every AWS check, in ID order.
pub(crate) static CHECKS: &[CloudCheck] = &[
    CloudCheck {
        meta: &aws0001_apigateway_access_logging::META,
        run: aws0001_apigateway_access_logging::run,
    },
    CloudCheck {
        meta: &aws0003_apigateway_tracing::META,
        run: aws0003_apigateway_tracing::run,
    },
    CloudCheck {
        meta: &aws0004_apigateway_method_authorization::META,
        run: aws0004_apigateway_method_authorization::run,
    },
    CloudCheck {
        meta: &aws0010_cloudfront_logging::META,
        run: aws0010_cloudfront_logging::run,
    },
    CloudCheck {
        meta: &aws0011_cloudfront_waf::META,
        run: aws0011_cloudfront_waf::run,
    },
    CloudCheck {
        meta: &aws0012_cloudfront_https_only::META,
        run: aws0012_cloudfront_https_only::run,
    },
    CloudCheck {
        meta: &aws0013_cloudfront_tls_version::META,
        run: aws0013_cloudfront_tls_version::run,
    },
    CloudCheck {
        meta: &aws0014_cloudtrail_all_regions::META,
        run: aws0014_cloudtrail_all_regions::run,
    },
    CloudCheck {
        meta: &aws0016_cloudtrail_log_validation::META,
        run: aws0016_cloudtrail_log_validation::run,
    },
    CloudCheck {
        meta: &aws0017_log_group_customer_key::META,
        run: aws0017_log_group_customer_key::run,
    },
    CloudCheck {
        meta: &aws0024_dynamodb_point_in_time_recovery::META,
        run: aws0024_dynamodb_point_in_time_recovery::run,
    },
    CloudCheck {
        meta: &aws0025_dynamodb_customer_key::META,
        run: aws0025_dynamodb_customer_key::run,
    },
    CloudCheck {
        meta: &aws0026_ebs_volume_encryption::META,
        run: aws0026_ebs_volume_encryption::run,
    },
    CloudCheck {
        meta: &aws0027_ebs_volume_customer_key::META,
        run: aws0027_ebs_volume_customer_key::run,
    },
    CloudCheck {
        meta: &aws0028_instance_imds_tokens::META,
        run: aws0028_instance_imds_tokens::run,
    },
    CloudCheck {
        meta: &aws0030_ecr_image_scans::META,
        run: aws0030_ecr_image_scans::run,
    },
    CloudCheck {
        meta: &aws0031_ecr_immutable_tags::META,
        run: aws0031_ecr_immutable_tags::run,
    },
    CloudCheck {
        meta: &aws0034_ecs_container_insights::META,
        run: aws0034_ecs_container_insights::run,
    },
    CloudCheck {
        meta: &aws0035_ecs_efs_transit_encryption::META,
        run: aws0035_ecs_efs_transit_encryption::run,
    },
    CloudCheck {
        meta: &aws0038_eks_control_plane_logging::META,
        run: aws0038_eks_control_plane_logging::run,
    },
    CloudCheck {
        meta: &aws0039_eks_encrypt_secrets::META,
        run: aws0039_eks_encrypt_secrets::run,
    },
    CloudCheck {
        meta: &aws0047_lb_outdated_tls_policy::META,
        run: aws0047_lb_outdated_tls_policy::run,
    },
    CloudCheck {
        meta: &aws0052_alb_drop_invalid_headers::META,
        run: aws0052_alb_drop_invalid_headers::run,
    },
    CloudCheck {
        meta: &aws0053_lb_not_public::META,
        run: aws0053_lb_not_public::run,
    },
    CloudCheck {
        meta: &aws0054_alb_listener_https::META,
        run: aws0054_alb_listener_https::run,
    },
    CloudCheck {
        meta: &aws0065_kms_key_rotation::META,
        run: aws0065_kms_key_rotation::run,
    },
    CloudCheck {
        meta: &aws0066_lambda_tracing::META,
        run: aws0066_lambda_tracing::run,
    },
    CloudCheck {
        meta: &aws0067_lambda_permission_source_arn::META,
        run: aws0067_lambda_permission_source_arn::run,
    },
    CloudCheck {
        meta: &aws0079_rds_cluster_encryption::META,
        run: aws0079_rds_cluster_encryption::run,
    },
    CloudCheck {
        meta: &aws0086_s3_block_public_acls::META,
        run: aws0086_s3_block_public_acls::run,
    },
    CloudCheck {
        meta: &aws0087_s3_block_public_policy::META,
        run: aws0087_s3_block_public_policy::run,
    },
    CloudCheck {
        meta: &aws0089_s3_logging::META,
        run: aws0089_s3_logging::run,
    },
    CloudCheck {
        meta: &aws0090_s3_versioning::META,
        run: aws0090_s3_versioning::run,
    },
    CloudCheck {
        meta: &aws0091_s3_ignore_public_acls::META,
        run: aws0091_s3_ignore_public_acls::run,
    },
    CloudCheck {
        meta: &aws0092_s3_no_public_acl::META,
        run: aws0092_s3_no_public_acl::run,
    },
    CloudCheck {
        meta: &aws0093_s3_restrict_public_buckets::META,
        run: aws0093_s3_restrict_public_buckets::run,
    },
    CloudCheck {
        meta: &aws0094_s3_specify_public_access_block::META,
        run: aws0094_s3_specify_public_access_block::run,
    },
    CloudCheck {
        meta: &aws0095_sns_encryption::META,
        run: aws0095_sns_encryption::run,
    },
    CloudCheck {
        meta: &aws0098_secret_customer_key::META,
        run: aws0098_secret_customer_key::run,
    },
    CloudCheck {
        meta: &aws0099_sg_description::META,
        run: aws0099_sg_description::run,
    },
    CloudCheck {
        meta: &aws0101_default_vpc::META,
        run: aws0101_default_vpc::run,
    },
    CloudCheck {
        meta: &aws0102_nacl_no_all_ports::META,
        run: aws0102_nacl_no_all_ports::run,
    },
    CloudCheck {
        meta: &aws0104_sg_no_public_egress::META,
        run: aws0104_sg_no_public_egress::run,
    },
    CloudCheck {
        meta: &aws0105_nacl_no_public_ingress_ssh_rdp::META,
        run: aws0105_nacl_no_public_ingress_ssh_rdp::run,
    },
    CloudCheck {
        meta: &aws0107_sg_no_public_ingress_ssh_rdp::META,
        run: aws0107_sg_no_public_ingress_ssh_rdp::run,
    },
    CloudCheck {
        meta: &aws0124_sg_rule_description::META,
        run: aws0124_sg_rule_description::run,
    },
    CloudCheck {
        meta: &aws0125_sam_function_tracing::META,
        run: aws0125_sam_function_tracing::run,
    },
    CloudCheck {
        meta: &aws0130_launch_template_imds_tokens::META,
        run: aws0130_launch_template_imds_tokens::run,
    },
    CloudCheck {
        meta: &aws0131_instance_block_device_encryption::META,
        run: aws0131_instance_block_device_encryption::run,
    },
    CloudCheck {
        meta: &aws0132_s3_customer_key::META,
        run: aws0132_s3_customer_key::run,
    },
    CloudCheck {
        meta: &aws0133_rds_performance_insights::META,
        run: aws0133_rds_performance_insights::run,
    },
    CloudCheck {
        meta: &aws0135_sqs_customer_key::META,
        run: aws0135_sqs_customer_key::run,
    },
    CloudCheck {
        meta: &aws0164_subnet_no_public_ip::META,
        run: aws0164_subnet_no_public_ip::run,
    },
    CloudCheck {
        meta: &aws0177_rds_instance_deletion_protection::META,
        run: aws0177_rds_instance_deletion_protection::run,
    },
    CloudCheck {
        meta: &aws0178_vpc_flow_logs::META,
        run: aws0178_vpc_flow_logs::run,
    },
    CloudCheck {
        meta: &aws0343_rds_cluster_deletion_protection::META,
        run: aws0343_rds_cluster_deletion_protection::run,
    },
];
