//! Malformed input: every parser returns an error value, never panics.

use atalaia_misconfig::{dockerfile, kubernetes, scan_file, yaml, NotEvaluated, Options};

const BAD: &[&[u8]] = &[
    b"",
    b"\xff\xfe\x00",
    b"FROM",
    b"RUN <<EOF\n",
    b"FROM a\nBOGUS x\n",
    b"apiVersion: v1\nkind: Pod\nspec: [\n",
    b"{\"apiVersion\": \"v1\", \"kind\": ",
    b"services:\n  - a\n  b: c\n",
    b"--- !!binary\n...\n...\n",
    b"a: &x [*x]\n",
    b"\t\t- :\n:\n",
];

#[test]
fn parsers_never_panic() {
    for bad in BAD {
        let text = String::from_utf8_lossy(bad);
        let _ = dockerfile::parse(&text);
        let _ = yaml::parse_documents(&text);
        let _ = kubernetes::parse_resources(&text);
        for name in ["Dockerfile", "k.yaml", "compose.yaml", "k.json"] {
            let _ = scan_file(name, bad, &Options::default());
        }
    }
}

#[test]
fn errors_are_reported_as_not_evaluated() {
    let r = scan_file("Dockerfile", b"FROM a\nBOGUS x\n", &Options::default());
    assert!(matches!(
        r.not_evaluated,
        Some(NotEvaluated::ParseError { .. })
    ));
    let r = scan_file("k.yaml", b"kind: [", &Options::default());
    assert!(matches!(
        r.not_evaluated,
        Some(NotEvaluated::ParseError { .. })
    ));
    let r = scan_file("t.yaml", b"kind: {{ .Values.kind }\n", &Options::default());
    assert!(matches!(r.not_evaluated, Some(NotEvaluated::Template)));
    let r = scan_file("k.yaml", b"\xff\xfe", &Options::default());
    assert_eq!(r.not_evaluated, Some(NotEvaluated::NotText));
    let big = vec![b'#'; 100];
    let opts = Options {
        max_file_bytes: 10,
        ..Options::default()
    };
    let r = scan_file("Dockerfile", &big, &opts);
    assert_eq!(r.not_evaluated, Some(NotEvaluated::TooLarge { size: 100 }));
}

const BAD_IAC: &[&[u8]] = &[
    b"resource \"aws_s3_bucket\" \"b\" {",
    b"resource \"a\" \"b\" { x = ",
    b"locals { a = local.a }\nresource \"x\" \"y\" { v = local.a }\n",
    b"variable \"v\" { default = [for x in var.v : x] }\nresource \"x\" \"y\" { count = var.v }\n",
    b"resource \"x\" \"y\" { count = 1e300 }\n",
    b"resource \"x\" \"y\" { for_each = \"str\"\n dynamic \"d\" { for_each = 3 }\n}\n",
    b"x = \"${\"\n",
    b"AWSTemplateFormatVersion: x\nResources: [\n",
    b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: !If [c, !Ref X\n",
    b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub\n",
    b"{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": 3}}}",
    b"Conditions:\n  A: !Condition A\nResources:\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      KmsMasterKeyId: !If [A, x, y]\n",
];

#[test]
fn iac_parsers_never_panic() {
    let deep = format!("x = {}", "[".repeat(50_000));
    let deep_cfn = format!(
        "Resources:\n  B:\n    Type: T\n    Properties: {}",
        "[".repeat(50_000)
    );
    let mut inputs: Vec<&[u8]> = BAD_IAC.to_vec();
    inputs.push(deep.as_bytes());
    inputs.push(deep_cfn.as_bytes());
    for bad in inputs {
        let text = String::from_utf8_lossy(bad);
        let _ = atalaia_misconfig::cloudformation::parse(&text);
        let mut m = atalaia_misconfig::terraform::Module::default();
        if m.add_file("x.tf", &text).is_ok() {
            let _ = m.resources();
        }
        for name in ["main.tf", "t.yaml", "t.json", "terraform.tfvars"] {
            let _ = scan_file(name, bad, &Options::default());
        }
    }
}

#[test]
fn iac_errors_are_reported_as_not_evaluated() {
    let r = scan_file("main.tf", b"resource \"a\" {", &Options::default());
    assert!(
        matches!(&r.not_evaluated, Some(NotEvaluated::ParseError { kind, .. }) if *kind == atalaia_misconfig::FileKind::Terraform),
        "{r:?}"
    );
    let r = scan_file(
        "t.yaml",
        b"AWSTemplateFormatVersion: x\nResources: [\n",
        &Options::default(),
    );
    assert!(
        matches!(r.not_evaluated, Some(NotEvaluated::ParseError { .. })),
        "{r:?}"
    );
}

#[test]
fn terraform_evaluation_is_bounded() {
    // Nested `for` expressions over a long list: unknown values, quickly.
    let long = "x".repeat(100_000);
    let text = format!(
        "locals {{\n  l = split(\"\", \"{long}\")\n  p = [for a in local.l : [for b in local.l : [for c in local.l : c]]]\n}}\nresource \"aws_s3_bucket\" \"b\" {{\n  bucket = length(local.p)\n}}\n"
    );
    let start = std::time::Instant::now();
    let r = scan_file("main.tf", text.as_bytes(), &Options::default());
    assert!(r.not_evaluated.is_none(), "{r:?}");
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
}
