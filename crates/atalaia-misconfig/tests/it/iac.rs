//! Terraform and CloudFormation: evaluation and the AWS / Google checks on small inputs.

use atalaia_misconfig::{scan_dir, scan_file, FileKind, FileResult, Options};

fn ids_at(r: &FileResult) -> Vec<(String, usize, usize)> {
    r.failures()
        .map(|m| {
            (
                m.id.clone(),
                m.cause_metadata.start_line,
                m.cause_metadata.end_line,
            )
        })
        .collect()
}

fn has(r: &FileResult, id: &str, start: usize, end: usize) -> bool {
    ids_at(r).contains(&(id.to_string(), start, end))
}

#[test]
fn cloudformation_short_tags_parameters_and_conditions() {
    let t = b"AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Cidr:
    Type: String
    Default: 0.0.0.0/0
  UseKey:
    Type: String
    Default: 'no'
Conditions:
  HasKey: !Equals [!Ref UseKey, 'yes']
Resources:
  SG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !Ref Cidr
          Description: ssh
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      KmsKeyId: !If [HasKey, !Ref UseKey, !Ref AWS::NoValue]
  Unknown:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !GetAtt Other.Cidr
          Description: unknown
";
    let r = scan_file("t.yaml", t, &Options::default());
    assert_eq!(r.kind, Some(FileKind::CloudFormation));
    // The parameter's default is public: the CIDR line.
    assert!(has(&r, "AWS-0107", 20, 20), "{:?}", ids_at(&r));
    // The condition is false, so no key: the whole secret.
    assert!(has(&r, "AWS-0098", 22, 25), "{:?}", ids_at(&r));
    // An unknown CIDR never fails.
    assert!(!ids_at(&r)
        .iter()
        .any(|(id, s, _)| id == "AWS-0107" && *s == 34));
    let m = r.failures().find(|m| m.id == "AWS-0107").unwrap();
    assert_eq!(m.severity, atalaia_misconfig::Severity::High);
    assert_eq!(m.cause_metadata.provider, "AWS");
    assert_eq!(m.cause_metadata.service, "ec2");
}

#[test]
fn cloudformation_json_ranges_include_braces() {
    let t = br#"{
  "Resources": {
    "B": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "VersioningConfiguration": { "Status": "Suspended" }
      }
    }
  }
}"#;
    let r = scan_file("t.json", t, &Options::default());
    assert!(has(&r, "AWS-0094", 3, 8), "{:?}", ids_at(&r));
    assert!(has(&r, "AWS-0090", 6, 6), "{:?}", ids_at(&r));
}

#[test]
fn terraform_joins_bucket_resources() {
    let t = br#"
resource "aws_s3_bucket" "b" {
  bucket = "x"
}

resource "aws_s3_bucket_public_access_block" "b" {
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Enabled"
  }
}
"#;
    let r = scan_file("main.tf", t, &Options::default());
    let ids = ids_at(&r);
    assert!(has(&r, "AWS-0087", 9, 9), "{ids:?}");
    for passing in ["AWS-0086", "AWS-0091", "AWS-0093", "AWS-0094", "AWS-0090"] {
        assert!(
            !ids.iter().any(|(id, ..)| id == passing),
            "{passing}: {ids:?}"
        );
    }
}

#[test]
fn terraform_unknown_values_never_fail() {
    let t = br#"
variable "cidrs" {}
resource "aws_security_group_rule" "r" {
  type        = "egress"
  cidr_blocks = var.cidrs
  from_port   = 0
  to_port     = 0
  protocol    = "-1"
  description = "x"
}
resource "aws_security_group_rule" "known" {
  count       = 2
  type        = "egress"
  cidr_blocks = ["0.0.0.0/0"]
  from_port   = 0
  to_port     = 0
  protocol    = "-1"
  description = "x"
}
"#;
    let r = scan_file("main.tf", t, &Options::default());
    let ids = ids_at(&r);
    assert_eq!(
        ids.iter()
            .filter(|(id, ..)| id == "AWS-0104")
            .collect::<Vec<_>>(),
        [&("AWS-0104".to_string(), 14, 14)],
        "{ids:?}"
    );
}

#[test]
fn terraform_local_modules_get_their_arguments() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tfmodule");
    let scan = scan_dir(&dir, &Options::default()).unwrap();
    let module = scan
        .results
        .iter()
        .find(|r| r.target == "modules/sg/main.tf")
        .expect("module file evaluated");
    // As a root module, the rule has no CIDR; called from the root with a public one, it
    // fails on the attribute's line.
    assert!(has(module, "AWS-0104", 5, 5), "{:?}", ids_at(module));
    assert!(scan
        .coverage
        .not_evaluated
        .iter()
        .any(|s| s.path == "other.tfvars"));
}

#[test]
fn google_checks_on_literals() {
    let t = br#"
resource "google_compute_instance" "i" {
  can_ip_forward = true
  network_interface {
    access_config {}
  }
  boot_disk {}
}
"#;
    let r = scan_file("main.tf", t, &Options::default());
    assert!(has(&r, "GCP-0043", 3, 3), "{:?}", ids_at(&r));
    assert!(has(&r, "GCP-0031", 5, 5), "{:?}", ids_at(&r));
    assert!(has(&r, "GCP-0033", 7, 7), "{:?}", ids_at(&r));
    assert!(has(&r, "GCP-0067", 2, 8), "{:?}", ids_at(&r));
}

#[test]
fn kms_ecr_eks_cloudtrail_in_both_languages() {
    let tf = br#"
resource "aws_kms_key" "k" {
  enable_key_rotation = false
}
resource "aws_ecr_repository" "r" {
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
}
resource "aws_eks_cluster" "c" {
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager"]
}
resource "aws_cloudtrail" "t" {
  is_multi_region_trail      = true
  enable_log_file_validation = true
}
"#;
    let r = scan_file("main.tf", tf, &Options::default());
    let ids = ids_at(&r);
    assert!(has(&r, "AWS-0065", 3, 3), "{ids:?}");
    assert!(has(&r, "AWS-0038", 12, 12), "{ids:?}");
    assert!(has(&r, "AWS-0039", 11, 13), "{ids:?}");
    for passing in ["AWS-0030", "AWS-0031", "AWS-0014", "AWS-0016"] {
        assert!(
            !ids.iter().any(|(id, ..)| id == passing),
            "{passing}: {ids:?}"
        );
    }
    let m = r
        .failures()
        .find(|m| m.id == "AWS-0038")
        .expect("logging finding");
    assert_eq!(m.message, "Control plane scheduler logging is not enabled.");

    let cfn = b"Resources:
  Repo:
    Type: AWS::ECR::Repository
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsMultiRegionTrail: false
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      EncryptionConfig:
        - Resources: [secrets]
          Provider:
            KeyArn: arn:aws:kms:k
";
    let r = scan_file("t.yaml", cfn, &Options::default());
    let ids = ids_at(&r);
    assert!(has(&r, "AWS-0030", 2, 3), "{ids:?}");
    assert!(has(&r, "AWS-0031", 2, 3), "{ids:?}");
    assert!(has(&r, "AWS-0014", 7, 7), "{ids:?}");
    assert!(has(&r, "AWS-0016", 4, 7), "{ids:?}");
    assert!(!ids.iter().any(|(id, ..)| id == "AWS-0039"), "{ids:?}");
}

#[test]
fn public_bucket_acl_and_group_description() {
    let cfn = b"Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ''
";
    let r = scan_file("t.yaml", cfn, &Options::default());
    assert!(has(&r, "AWS-0092", 5, 5), "{:?}", ids_at(&r));
    assert!(has(&r, "AWS-0099", 9, 9), "{:?}", ids_at(&r));
    let m = r.failures().find(|m| m.id == "AWS-0092").unwrap();
    assert_eq!(m.message, "Bucket has a public ACL: \"public-read\"");
    let tf = br#"
resource "aws_s3_bucket" "b" {
  acl = "private"
}
resource "aws_security_group" "g" {
  description = "Managed by Terraform"
}
"#;
    let r = scan_file("main.tf", tf, &Options::default());
    assert!(!ids_at(&r).iter().any(|(id, ..)| id == "AWS-0092"));
    assert!(has(&r, "AWS-0099", 6, 6), "{:?}", ids_at(&r));
}
