//! Policies applied to Trivy-shaped findings: alias-aware ignoring, expiry, VEX, all kinds.

use atalaia_ignore::{
    FindingStatus, FindingType, IgnoreFile, Origin, Policy, Subject, VexContext, VexDocument,
};
use atalaia_secret::SecretFinding;
use time::macros::date;

use crate::{data, findings, ids};

const TARGET: &str = "registry.example.com/team/app:1.0 (debian 11.4)";

fn plain() -> IgnoreFile {
    IgnoreFile::load(&data("crlf.trivyignore")).unwrap()
}

fn yaml() -> IgnoreFile {
    IgnoreFile::load(&data("trivyignore.yaml")).unwrap()
}

fn image() -> VexContext {
    VexContext {
        products: vec![
            "pkg:oci/app@sha256%3A1234?arch=amd64&repository_url=registry.example.com%2Fteam%2Fapp"
                .to_owned(),
        ],
    }
}

#[test]
fn plain_ignore_is_alias_aware_and_expires() {
    let policy = Policy::new(date!(2025 - 01 - 01)).with_ignore_file(plain());
    let out = policy.apply_vulnerabilities(TARGET, findings(), &VexContext::default());
    assert_eq!(
        ids(&out.suppressed, |m| &m.finding.vulnerability_id),
        ["GHSA-p6mc-m468-83gw", "CVE-2022-37434"]
    );
    assert_eq!(
        ids(&out.kept, |v| &v.vulnerability_id),
        [
            "CVE-2021-44228",
            "CVE-2023-4911",
            "PYSEC-2023-74",
            "CVE-2022-42003",
            "CVE-2024-0001"
        ]
    );
    // Why: the entry's ID is an alias of the GHSA finding, a vendor ID of the Debian one.
    match out.suppressed[0].origin.as_ref().unwrap() {
        Origin::IgnoreFile {
            line,
            id,
            matched_id,
            ..
        } => {
            assert_eq!(*line, 4);
            assert_eq!(id.as_deref(), Some("CVE-2020-8203"));
            assert_eq!(matched_id, "CVE-2020-8203");
        }
        other => panic!("{other:?}"),
    }
    match out.suppressed[1].origin.as_ref().unwrap() {
        Origin::IgnoreFile {
            line, matched_id, ..
        } => {
            assert_eq!(*line, 7);
            assert_eq!(matched_id, "DSA-5218-1");
        }
        other => panic!("{other:?}"),
    }
    assert!(out
        .suppressed
        .iter()
        .all(|m| m.status == FindingStatus::Ignored && m.statement.is_empty()));
    assert!(out.suppressed[0]
        .source
        .ends_with("tests/data/crlf.trivyignore"));
    // The glibc entry expired on 2024-06-30: the finding is kept and the entry reported.
    assert_eq!(out.expired.len(), 1);
    assert_eq!(out.expired[0].finding_id, "CVE-2023-4911");
    assert_eq!(out.expired[0].line, 10);
    assert_eq!(out.expired[0].expired_at.to_string(), "2024-06-30");
    assert_eq!(policy.expired_rules().len(), 1);

    // Before its expiry the glibc entry applies.
    let before = Policy::new(date!(2024 - 06 - 29)).with_ignore_file(plain());
    let out = before.apply_vulnerabilities(TARGET, findings(), &VexContext::default());
    assert!(out
        .suppressed
        .iter()
        .any(|m| m.finding.vulnerability_id == "CVE-2023-4911"));
    assert!(out.expired.is_empty());
}

#[test]
fn trivy_exact_mode_ignores_only_primary_ids() {
    let policy = Policy::new(date!(2025 - 01 - 01))
        .with_ignore_file(plain())
        .alias_aware(false);
    let out = policy.apply_vulnerabilities(TARGET, findings(), &VexContext::default());
    assert!(
        out.suppressed.is_empty(),
        "{:?}",
        ids(&out.suppressed, |m| &m.finding.vulnerability_id)
    );
    assert_eq!(out.kept.len(), 7);
}

#[test]
fn yaml_ignore_paths_purls_and_expiry() {
    let policy = Policy::new(date!(2025 - 03 - 01)).with_ignore_file(yaml());
    let out = policy.apply_vulnerabilities(TARGET, findings(), &VexContext::default());
    assert_eq!(
        ids(&out.suppressed, |m| &m.finding.vulnerability_id),
        ["CVE-2021-44228", "PYSEC-2023-74", "CVE-2024-0001"]
    );
    let statements: Vec<_> = out
        .suppressed
        .iter()
        .map(|m| m.statement.as_str())
        .collect();
    assert_eq!(
        statements,
        [
            "log4j is never given user input",
            "proxies are not used",
            "bash is not reachable"
        ]
    );
    // CVE-2023-4911's entry expires on 2025-03-01, which is today.
    assert_eq!(ids(&out.expired, |e| &e.finding_id), ["CVE-2023-4911"]);
    assert_eq!(out.expired[0].line, 14);
    assert!(out
        .kept
        .iter()
        .any(|v| v.vulnerability_id == "CVE-2023-4911"));

    // The log4j entry is scoped to `app/lib/**`: elsewhere it does not apply.
    let mut moved = findings();
    moved[0].pkg_path = "opt/other/log4j-core-2.14.1.jar".to_owned().into();
    let out = policy.apply_vulnerabilities(TARGET, moved, &VexContext::default());
    assert!(out
        .kept
        .iter()
        .any(|v| v.vulnerability_id == "CVE-2021-44228"));
    // …but the result target counts too.
    let mut moved = findings();
    moved[0].pkg_path = Default::default();
    let out = policy.apply_vulnerabilities("app/lib/bundle.jar", moved, &VexContext::default());
    assert!(out
        .suppressed
        .iter()
        .any(|m| m.finding.vulnerability_id == "CVE-2021-44228"));

    // The requests entry is scoped to its purl: another package with the same CVE stays.
    let mut other = findings();
    std::sync::Arc::make_mut(&mut other[4].pkg_identifier).purl =
        "pkg:pypi/requests-toolbelt@0.9.1".to_owned();
    let out = policy.apply_vulnerabilities(TARGET, other, &VexContext::default());
    assert!(out
        .kept
        .iter()
        .any(|v| v.vulnerability_id == "PYSEC-2023-74"));

    // The id-less bash entry is scoped to the arch qualifier.
    let mut arm = findings();
    std::sync::Arc::make_mut(&mut arm[6].pkg_identifier).purl =
        "pkg:deb/debian/bash@5.1-2+deb11u1?arch=arm64&distro=debian-11.4".to_owned();
    let out = policy.apply_vulnerabilities(TARGET, arm, &VexContext::default());
    assert!(out
        .kept
        .iter()
        .any(|v| v.vulnerability_id == "CVE-2024-0001"));
}

fn secret(rule: &str) -> SecretFinding {
    serde_json::from_value(serde_json::json!({
        "RuleID": rule, "Category": "AWS", "Severity": "CRITICAL", "Title": "AWS Access Key ID",
        "StartLine": 1, "EndLine": 1, "Code": {"Lines": []}, "Match": "AWS_ACCESS_KEY_ID=****"
    }))
    .unwrap()
}

#[test]
fn secrets() {
    let yaml = Policy::new(date!(2025 - 01 - 01)).with_ignore_file(yaml());
    let out = yaml.apply_secrets(
        "tests/fixtures/dev.env",
        vec![secret("aws-access-key-id"), secret("github-pat")],
    );
    assert_eq!(
        ids(&out.suppressed, |m| &m.finding.rule_id),
        ["aws-access-key-id"]
    );
    assert_eq!(out.suppressed[0].finding_type, FindingType::Secret);
    assert_eq!(out.suppressed[0].statement, "test credentials");
    let out = yaml.apply_secrets("src/dev.env", vec![secret("aws-access-key-id")]);
    assert!(out.suppressed.is_empty());
    // Plain entries apply to secrets too, anywhere.
    let plain = Policy::new(date!(2025 - 01 - 01)).with_ignore_file(plain());
    let out = plain.apply_secrets("src/dev.env", vec![secret("aws-access-key-id")]);
    assert_eq!(out.suppressed.len(), 1);
}

struct Misconf {
    id: &'static str,
    avd_id: &'static str,
}

impl atalaia_ignore::Finding for Misconf {
    fn subject<'a>(&'a self, target: &'a str) -> Subject<'a> {
        Subject::Misconfiguration {
            id: self.id,
            avd_id: self.avd_id,
            target,
        }
    }
}

struct License(&'static str, &'static str);

impl atalaia_ignore::Finding for License {
    fn subject<'a>(&'a self, _target: &'a str) -> Subject<'a> {
        Subject::License {
            name: self.0,
            file_path: self.1,
        }
    }
}

#[test]
fn misconfigurations_and_licenses() {
    let policy = Policy::new(date!(2025 - 01 - 01)).with_ignore_file(yaml());
    let none = VexContext::default();
    let m = || {
        vec![
            Misconf {
                id: "DS-0002",
                avd_id: "AVD-DS-0002",
            },
            Misconf {
                id: "DS-0001",
                avd_id: "AVD-DS-0001",
            },
        ]
    };
    let out = policy.apply("docker/Dockerfile", m(), &none);
    assert_eq!(ids(&out.suppressed, |x| x.finding.id), ["DS-0002"]);
    assert_eq!(
        out.suppressed[0].finding_type,
        FindingType::Misconfiguration
    );
    assert!(policy.apply("Dockerfile", m(), &none).suppressed.is_empty());

    let licenses = vec![
        License("GPL-3.0-only AND MIT", "usr/share/doc/x/copyright"),
        License("Apache-2.0 OR MIT", "usr/share/doc/y/copyright"),
        License("MIT", "node_modules/z/package.json"),
    ];
    let out = policy.apply("", licenses, &none);
    assert_eq!(
        ids(&out.suppressed, |x| x.finding.0),
        ["GPL-3.0-only AND MIT", "MIT"]
    );
    assert_eq!(
        out.suppressed[0].statement,
        "All license components are individually ignored"
    );
    assert!(
        matches!(out.suppressed[0].origin, Some(Origin::LicenseComponents { ref lines, .. }) if lines.len() == 2)
    );
    assert_eq!(ids(&out.kept, |x| x.0), ["Apache-2.0 OR MIT"]);
}

#[test]
fn openvex_statements() {
    let vex = VexDocument::load(&data("openvex.json")).unwrap();
    let policy = Policy::new(date!(2025 - 01 - 01)).with_vex(vex.clone());
    let out = policy.apply_vulnerabilities(TARGET, findings(), &image());
    assert_eq!(
        ids(&out.suppressed, |m| &m.finding.vulnerability_id),
        ["GHSA-p6mc-m468-83gw", "CVE-2022-37434", "PYSEC-2023-74"]
    );
    let by_id = |id: &str| {
        out.suppressed
            .iter()
            .find(|m| m.finding.vulnerability_id == id)
            .unwrap()
    };
    let zlib = by_id("CVE-2022-37434");
    assert_eq!(zlib.status, FindingStatus::NotAffected);
    assert_eq!(zlib.statement, "vulnerable_code_not_in_execute_path");
    assert!(zlib.source.ends_with("tests/data/openvex.json"));
    match zlib.origin.as_ref().unwrap() {
        Origin::Vex {
            statement,
            product,
            impact_statement,
            ..
        } => {
            assert_eq!(*statement, 0);
            assert_eq!(product, &image().products[0]);
            assert_eq!(impact_statement, "inflateGetHeader is never called");
        }
        other => panic!("{other:?}"),
    }
    // The newest of two statements about requests (`fixed`) decides; matched through an alias.
    let requests = by_id("PYSEC-2023-74");
    assert_eq!(requests.status, FindingStatus::Fixed);
    assert!(matches!(
        requests.origin,
        Some(Origin::Vex { statement: 1, .. })
    ));

    // Without the image context, the subcomponent statement does not apply.
    let out = policy.apply_vulnerabilities(TARGET, findings(), &VexContext::default());
    assert!(out
        .kept
        .iter()
        .any(|v| v.vulnerability_id == "CVE-2022-37434"));
    // Trivy's exact IDs: the requests statement names the CVE, the finding is PYSEC.
    let exact = Policy::new(date!(2025 - 01 - 01))
        .with_vex(vex)
        .alias_aware(false);
    let out = exact.apply_vulnerabilities(TARGET, findings(), &image());
    assert!(out
        .kept
        .iter()
        .any(|v| v.vulnerability_id == "PYSEC-2023-74"));
}

#[test]
fn cyclonedx_statements() {
    let vex = VexDocument::load(&data("cyclonedx-vex.json")).unwrap();
    let policy = Policy::new(date!(2025 - 01 - 01)).with_vex(vex);
    let out = policy.apply_vulnerabilities(TARGET, findings(), &VexContext::default());
    assert_eq!(
        ids(&out.suppressed, |m| &m.finding.vulnerability_id),
        ["CVE-2023-4911", "CVE-2022-42003"]
    );
    assert!(out.suppressed.iter().all(|m| m.source == "CycloneDX VEX"));
    assert_eq!(out.suppressed[0].status, FindingStatus::Fixed);
    assert_eq!(out.suppressed[1].status, FindingStatus::NotAffected);
    assert_eq!(out.suppressed[1].statement, "code_not_reachable");
}

#[test]
fn ignore_files_come_before_vex_and_serialise_like_trivy() {
    let policy = Policy::new(date!(2025 - 01 - 01))
        .with_ignore_file(yaml())
        .with_vex(VexDocument::load(&data("openvex.json")).unwrap())
        .with_vex(VexDocument::load(&data("cyclonedx-vex.json")).unwrap());
    let out = policy.apply_vulnerabilities(TARGET, findings(), &image());
    // requests is both ignored (YAML) and fixed (OpenVEX): the ignore file wins.
    let requests = out
        .suppressed
        .iter()
        .find(|m| m.finding.vulnerability_id == "PYSEC-2023-74")
        .unwrap();
    assert_eq!(requests.status, FindingStatus::Ignored);
    // Everything but log4j (exploitable per CycloneDX; ignored by YAML anyway)… is suppressed.
    assert_eq!(
        out.kept.len(),
        0,
        "{:?}",
        ids(&out.kept, |v| &v.vulnerability_id)
    );
    assert_eq!(out.suppressed.len(), 7);

    let json = serde_json::to_value(&out.suppressed[0]).unwrap();
    let mut keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["Finding", "Source", "Statement", "Status", "Type"]);
    assert_eq!(json["Type"], "vulnerability");
    assert_eq!(json["Status"], "ignored");
    assert_eq!(json["Finding"]["VulnerabilityID"], "CVE-2021-44228");
    // And back.
    let back: atalaia_ignore::ModifiedFinding<atalaia_detect::DetectedVulnerability> =
        serde_json::from_value(json).unwrap();
    assert_eq!(back.finding.vulnerability_id, "CVE-2021-44228");
}

#[test]
fn openvex_statements_about_other_products_do_not_suppress() {
    let vex = VexDocument::load(&data("openvex-other-products.json")).unwrap();
    let policy = Policy::new(date!(2025 - 01 - 01)).with_vex(vex);
    // In the image `app`: only the statement whose product is `app` and whose subcomponent is
    // the package applies. Another image, another subcomponent, another version of the
    // package and another package of the same group leave their findings.
    let out = policy.apply_vulnerabilities(TARGET, findings(), &image());
    assert_eq!(
        ids(&out.suppressed, |m| &m.finding.vulnerability_id),
        ["GHSA-p6mc-m468-83gw"]
    );
    assert_eq!(
        out.suppressed[0].statement,
        "inline_mitigations_already_exist"
    );
    for kept in [
        "CVE-2022-37434",
        "CVE-2023-4911",
        "CVE-2024-0001",
        "CVE-2021-44228",
    ] {
        assert!(
            out.kept.iter().any(|v| v.vulnerability_id == kept),
            "{kept} must be kept"
        );
    }
    // Without a product context the subcomponent statements apply to nothing.
    let out = policy.apply_vulnerabilities(TARGET, findings(), &VexContext::default());
    assert!(out.suppressed.is_empty(), "{:?}", out.suppressed);
    // Scanning the other image: its statement applies, `app`'s does not.
    let other = VexContext {
        products: vec![
            "pkg:oci/other@sha256%3A5678?arch=amd64&repository_url=registry.example.com%2Fteam%2Fother"
                .to_owned(),
        ],
    };
    let out = policy.apply_vulnerabilities(TARGET, findings(), &other);
    assert_eq!(
        ids(&out.suppressed, |m| &m.finding.vulnerability_id),
        ["CVE-2022-37434"]
    );
    match out.suppressed[0].origin.as_ref().unwrap() {
        Origin::Vex { product, .. } => assert_eq!(product, &other.products[0]),
        o => panic!("{o:?}"),
    }
}

#[test]
fn cyclonedx_affects_resolve_to_their_own_components() {
    let vex = VexDocument::load(&data("cyclonedx-vex-other-components.json")).unwrap();
    let policy = Policy::new(date!(2025 - 01 - 01)).with_vex(vex);
    let out = policy.apply_vulnerabilities(TARGET, findings(), &image());
    // `requests` (a bom-ref naming the package's purl, matched through the CVE alias) is
    // suppressed; jackson-core is not jackson-databind, and zlib1g is another version.
    assert_eq!(
        ids(&out.suppressed, |m| &m.finding.vulnerability_id),
        ["PYSEC-2023-74"]
    );
    assert_eq!(out.suppressed[0].status, FindingStatus::NotAffected);
    assert_eq!(out.suppressed[0].statement, "proxies are not used");
    assert_eq!(out.suppressed[0].source, "CycloneDX VEX");
    for kept in ["CVE-2022-42003", "CVE-2022-37434"] {
        assert!(
            out.kept.iter().any(|v| v.vulnerability_id == kept),
            "{kept}"
        );
    }
}
