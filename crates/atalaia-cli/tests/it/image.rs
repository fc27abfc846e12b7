//! Scanning corpus images through the binary, in every output format.

use serde_json::Value;

use crate::{atalaia, stderr};

fn corpus(rel: &str) -> String {
    atalaia_test::corpus_dir()
        .join(rel)
        .to_str()
        .unwrap()
        .to_owned()
}

fn json_report(input: &str) -> Value {
    let out = atalaia(&["image", "--input", input, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

fn os_pkgs(report: &Value) -> Vec<&Value> {
    report["Results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["Class"] == "os-pkgs")
        .flat_map(|r| r["Packages"].as_array().unwrap())
        .collect()
}

#[test]
fn oci_layout_by_ref_gives_trivy_shaped_json() {
    let report = json_report(&format!("{}:alpine-3.20.3", corpus("oci")));
    assert_eq!(report["SchemaVersion"], 2);
    assert_eq!(report["ArtifactType"], "container_image");
    assert_eq!(report["Metadata"]["OS"]["Family"], "alpine");
    assert_eq!(report["Metadata"]["OS"]["Name"], "3.20.3");
    assert!(report["Metadata"]["ImageID"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    let pkgs = os_pkgs(&report);
    assert_eq!(pkgs.len(), 14);
    let musl = pkgs.iter().find(|p| p["Name"] == "musl").unwrap();
    assert_eq!(musl["Version"], "1.2.5-r0");
    assert_eq!(
        musl["Identifier"]["PURL"],
        "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=3.20.3"
    );
    assert!(musl["Layer"]["DiffID"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
}

#[test]
fn docker_archive_and_layout_agree() {
    let from_layout = json_report(&format!("{}:tricky-layers", corpus("oci")));
    let from_tar = json_report(&corpus("docker-archive/tricky-layers.tar"));
    let names = |r: &Value| {
        let mut v: Vec<String> = os_pkgs(r)
            .iter()
            .map(|p| format!("{}@{}", p["Name"], p["Version"]))
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&from_layout), names(&from_tar));
    assert_eq!(
        names(&from_tar).len(),
        13,
        "ssl_client was removed in an upper layer"
    );
    assert_eq!(
        from_layout["Metadata"]["DiffIDs"],
        from_tar["Metadata"]["DiffIDs"]
    );
}

#[test]
fn cyclonedx_and_spdx_to_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = format!("{}:debian-bookworm-minbase", corpus("oci"));
    for (format, name) in [
        ("cyclonedx", "bom.cdx.json"),
        ("spdx-json", "bom.spdx.json"),
    ] {
        let path = dir.path().join(name);
        let out = atalaia(&[
            "image",
            "--input",
            &input,
            "-f",
            format,
            "-o",
            path.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(out.stdout.is_empty(), "data goes to the file, not stdout");
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let text = doc.to_string();
        assert!(text.contains("pkg:deb/debian/libc6@"), "{format}");
        if format == "cyclonedx" {
            assert_eq!(doc["specVersion"], "1.6");
        } else {
            assert_eq!(doc["spdxVersion"], "SPDX-2.3");
        }
    }
}

#[test]
fn table_lists_packages_without_vulnerability_scanning() {
    let out = atalaia(&[
        "image",
        "--input",
        &format!("{}:alpine-3.10.9", corpus("oci")),
        "--scanners",
        "secret",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("alpine 3.10.9"), "{text}");
    assert!(text.contains("musl"), "{text}");
}

#[test]
fn rootfs_reads_os_packages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::create_dir_all(root.join("lib/apk/db")).unwrap();
    std::fs::write(
        root.join("etc/os-release"),
        "ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n",
    )
    .unwrap();
    std::fs::write(root.join("etc/alpine-release"), "3.19.1\n").unwrap();
    std::fs::write(
        root.join("lib/apk/db/installed"),
        "C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\nL:MIT\n\n",
    )
    .unwrap();
    let out = atalaia(&["rootfs", root.to_str().unwrap(), "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["Metadata"]["OS"]["Family"], "alpine");
    let pkgs = os_pkgs(&report);
    assert_eq!(pkgs.len(), 1);
    assert_eq!(pkgs[0]["Name"], "musl");
}
