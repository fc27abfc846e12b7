//! Language packages an OS package installed (issue 4: "marked with the owning package") keep
//! the mark through both formats, and the dependency graph survives the round trip.

use atalaia_sbom::{cyclonedx, spdx};
use atalaia_types::{Application, ArtifactKind, Ecosystem, Inventory, Package, Purl, Relationship};

use crate::fixture;

fn inventory() -> Inventory {
    let go = |name: &str, ns: &str, short: &str, v: &str| {
        let mut p = Package::new(Ecosystem::Go, name, v, Purl::new("golang", ns, short, v));
        p.owned_by = "fzf@0.38.0-1+b1".into();
        p
    };
    let mut main = go(
        "github.com/junegunn/fzf",
        "github.com/junegunn",
        "fzf",
        "v0.38.0",
    );
    main.relationship = Relationship::Root;
    main.depends_on = vec!["stdlib@v1.19.8".into()];
    let stdlib = go("stdlib", "", "stdlib", "v1.19.8");
    Inventory {
        applications: vec![Application {
            app_type: "gobinary".into(),
            file_path: "usr/bin/fzf".into(),
            packages: vec![main, stdlib],
        }],
        ..Inventory::default()
    }
}

fn check(back: &Inventory) {
    let app = &back.applications[0];
    assert_eq!(app.app_type, "gobinary");
    let got: Vec<(&str, &str, Vec<&str>)> = app
        .packages
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.owned_by.as_str(),
                p.depends_on.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "github.com/junegunn/fzf",
                "fzf@0.38.0-1+b1",
                vec!["stdlib@v1.19.8"]
            ),
            ("stdlib", "fzf@0.38.0-1+b1", vec![]),
        ]
    );
}

#[test]
fn cyclonedx_carries_owned_by_and_depends_on() {
    let mut out = Vec::new();
    let inv = inventory();
    cyclonedx::write(
        "img",
        ArtifactKind::ContainerImage,
        &fixture::metadata(),
        &inv,
        &fixture::options(),
        &mut out,
    )
    .unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.contains("\"atalaia:OwnedBy\""), "{text}");
    check(&cyclonedx::read(&out, "img.cdx.json").unwrap().inventory);
}

#[test]
fn spdx_carries_owned_by_and_depends_on() {
    let mut out = Vec::new();
    let inv = inventory();
    spdx::write(
        "img",
        ArtifactKind::ContainerImage,
        &fixture::metadata(),
        &inv,
        &fixture::options(),
        &mut out,
    )
    .unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.contains("DEPENDS_ON"), "{text}");
    check(&spdx::read(&out, "img.spdx.json").unwrap().inventory);
}
