//! VEX documents read from disk.

use atalaia_ignore::{IgnoreError, VexDocument, VexFormat, VexStatus};

use crate::data;

#[test]
fn openvex_file() {
    let d = VexDocument::load(&data("openvex.json")).unwrap();
    assert_eq!(d.format, VexFormat::OpenVex);
    assert_eq!(d.statements.len(), 5);
    assert_eq!(
        d.statements[0].justification,
        "vulnerable_code_not_in_execute_path"
    );
    assert_eq!(
        d.statements[0].impact_statement,
        "inflateGetHeader is never called"
    );
    assert_eq!(d.statements[3].status, VexStatus::Affected);
    assert_eq!(
        d.statements[3].vulnerability_ids,
        [
            "CVE-2023-4911",
            "https://nvd.nist.gov/vuln/detail/CVE-2023-4911"
        ]
    );
}

#[test]
fn cyclonedx_file() {
    let d = VexDocument::load(&data("cyclonedx-vex.json")).unwrap();
    assert_eq!(d.format, VexFormat::CycloneDx);
    let states: Vec<_> = d.statements.iter().map(|s| s.status).collect();
    assert_eq!(
        states,
        [
            VexStatus::NotAffected,
            VexStatus::Affected,
            VexStatus::Fixed,
            VexStatus::UnderInvestigation
        ]
    );
    // The BOM-Link resolved to the component's purl.
    assert_eq!(
        d.statements[0].products[0].component.purls[0].name,
        "jackson-databind"
    );
}

#[test]
fn bad_documents() {
    let e = VexDocument::load(&data("not-json.vex")).unwrap_err();
    assert!(
        matches!(e, IgnoreError::VexJson { line: Some(1), .. }),
        "{e:?}"
    );
    let e = VexDocument::load(&data("csaf.json")).unwrap_err();
    assert!(matches!(e, IgnoreError::UnknownVexFormat { .. }), "{e:?}");
    assert!(e.to_string().contains("csaf.json"));
    let e = VexDocument::load(&data("findings.json")).unwrap_err();
    assert!(e.to_string().contains("findings.json"), "{e}");
    let e = VexDocument::load(&data("absent.json")).unwrap_err();
    assert!(matches!(e, IgnoreError::Read { .. }));
}
