//! Language packages across analysis: binaries owned by OS packages, manifests beside
//! lockfiles, SBOM files inside images.

use crate::common::scan_ref;

#[test]
fn go_binary_owned_by_a_deb_is_listed_and_marked() {
    // go-fzf: `apt-get install fzf` put /usr/bin/fzf there, so the fzf deb owns it.
    let s = scan_ref("go-fzf");
    let app = s
        .inventory
        .applications
        .iter()
        .find(|a| a.app_type == "gobinary")
        .expect("the fzf Go binary is inventoried");
    assert_eq!(app.file_path, "usr/bin/fzf");
    let owners: Vec<(&str, &str)> = app
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.owned_by.as_str()))
        .collect();
    assert_eq!(
        owners,
        [
            ("github.com/junegunn/fzf", "fzf@0.38.0-1+b1"),
            ("stdlib", "fzf@0.38.0-1+b1")
        ]
    );
    // The gomod application (a lockfile) is not read in image scans, and nothing else is owned.
    for other in s
        .inventory
        .applications
        .iter()
        .filter(|a| a.app_type != "gobinary")
    {
        assert!(
            other.packages.iter().all(|p| p.owned_by.is_empty()),
            "{other:?}"
        );
    }
}

#[test]
fn go_binary_copied_in_is_not_marked() {
    // distroless-like: the same binary COPYed to /usr/local/bin, owned by no package.
    let s = scan_ref("distroless-like");
    let app = s
        .inventory
        .applications
        .iter()
        .find(|a| a.app_type == "gobinary")
        .expect("fzf");
    assert_eq!(app.file_path, "usr/local/bin/fzf");
    assert_eq!(app.packages.len(), 2);
    assert!(app.packages.iter().all(|p| p.owned_by.is_empty()));
}

/// `(name, relationship)` of an application's packages with the given relationship.
fn with_relationship(
    inv: &atalaia_types::Inventory,
    file: &str,
    rel: atalaia_types::Relationship,
) -> Vec<String> {
    let app = inv
        .applications
        .iter()
        .find(|a| a.file_path == file)
        .unwrap_or_else(|| panic!("no application `{file}`"));
    app.packages
        .iter()
        .filter(|p| p.relationship == rel)
        .map(|p| p.name.clone())
        .collect()
}

#[test]
fn manifests_beside_lockfiles_mark_root_and_direct_packages_as_trivy_does() {
    use atalaia_analyze::{analyze_dir, AnalyzeOptions, ScanMode};
    use atalaia_types::Relationship::{Direct, Indirect, Root};
    let inputs = atalaia_test::corpus_dir().join("inputs");
    let inv = analyze_dir(&inputs, ScanMode::Fs, &AnalyzeOptions::default()).unwrap();
    assert!(inv.warnings.is_empty(), "{:?}", inv.warnings);
    // What `trivy fs --format cyclonedx` (0.76.0) makes of the same directories: its
    // application components depend on exactly these packages.
    let poetry_direct = [
        "certifi",
        "django",
        "flask",
        "jinja2",
        "markupsafe",
        "pyyaml",
        "requests",
        "sqlparse",
        "urllib3",
        "werkzeug",
    ];
    assert_eq!(
        with_relationship(&inv, "python/poetry.lock", Direct),
        poetry_direct
    );
    assert_eq!(
        with_relationship(&inv, "python/poetry.lock", Indirect).len(),
        6
    );
    assert_eq!(
        with_relationship(&inv, "rust/Cargo.lock", Root),
        ["corpus-rust-app"]
    );
    let node_direct = [
        "axios",
        "express",
        "jsonwebtoken",
        "lodash",
        "minimist",
        "node-fetch",
    ];
    assert_eq!(
        with_relationship(&inv, "node/yarn.lock", Direct),
        node_direct
    );
    assert_eq!(
        with_relationship(&inv, "node/package-lock.json", Direct),
        node_direct
    );
    let yarn = inv
        .applications
        .iter()
        .find(|a| a.file_path == "node/yarn.lock")
        .unwrap();
    let root: Vec<_> = yarn
        .packages
        .iter()
        .filter(|p| p.relationship == Root)
        .collect();
    assert_eq!(root.len(), 1);
    assert_eq!(root[0].purl.to_string(), "pkg:npm/corpus-node-app@1.0.0");
    assert_eq!(root[0].licenses, ["MIT"]);
    let direct_ids: Vec<&str> = root[0].depends_on.iter().map(String::as_str).collect();
    assert_eq!(direct_ids.len(), 6);
    assert!(direct_ids.iter().all(|id| yarn
        .packages
        .iter()
        .any(|p| p.id == *id && p.relationship == Direct)));
}

#[test]
fn malformed_manifest_is_a_warning_naming_it_and_the_lockfile_still_counts() {
    use atalaia_analyze::{analyze_dir, AnalyzeOptions, ScanMode};
    let dir = tempfile::tempdir().unwrap();
    let lock = std::fs::read(atalaia_test::corpus_dir().join("inputs/python/poetry.lock")).unwrap();
    std::fs::write(dir.path().join("poetry.lock"), lock).unwrap();
    std::fs::write(dir.path().join("pyproject.toml"), "[project\nname = ").unwrap();
    let inv = analyze_dir(dir.path(), ScanMode::Fs, &AnalyzeOptions::default()).unwrap();
    assert_eq!(inv.applications.len(), 1);
    assert_eq!(inv.applications[0].packages.len(), 16);
    assert_eq!(inv.warnings.len(), 1, "{:?}", inv.warnings);
    assert!(
        inv.warnings[0].message.contains("pyproject.toml"),
        "{:?}",
        inv.warnings
    );
}

#[test]
fn which_manifests_each_mode_reads() {
    use atalaia_analyze::{Analyzer, LangAnalyzer, ScanMode};
    let fs = LangAnalyzer::for_mode(ScanMode::Fs);
    assert!(fs.wants("app/package.json", 10, 0o644));
    assert!(fs.wants("pyproject.toml", 10, 0o644));
    // Installed copies: read for licenses only (see the node_modules test below).
    assert!(fs.wants("app/node_modules/x/package.json", 10, 0o644));
    assert!(fs.wants("node_modules/x/package.json", 10, 0o644));
    assert!(!fs.wants("app/vendor/a/b/composer.json", 10, 0o644));
    assert!(!fs.wants("app/bom.cdx.json", 10, 0o644));
    let image = LangAnalyzer::for_mode(ScanMode::Image);
    assert!(image.wants("app/Cargo.toml", 10, 0o644));
    assert!(!image.wants("app/pyproject.toml", 10, 0o644));
}

#[test]
fn sbom_documents_inside_a_rootfs_become_applications() {
    use atalaia_analyze::{analyze_dir, AnalyzeOptions, ScanMode};
    let peers = atalaia_test::corpus_dir().join("peers");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("srv/sbom")).unwrap();
    // Trivy's and Syft's SBOMs of the python-app image, shipped inside another image.
    for (from, to) in [
        ("python-app.trivy.cdx.json", "srv/sbom/trivy.cdx.json"),
        ("rust-app.syft.cdx.json", "srv/sbom/syft.cdx.json"),
    ] {
        std::fs::copy(peers.join(from), root.join(to)).unwrap();
    }
    std::fs::write(root.join("srv/sbom/broken.spdx.json"), "{\"spdxVersion\": ").unwrap();
    let inv = analyze_dir(root, ScanMode::Rootfs, &AnalyzeOptions::default()).unwrap();
    assert!(
        inv.os_packages.is_empty(),
        "OS packages of an SBOM are not the image's"
    );
    let apps: Vec<(&str, usize)> = inv
        .applications
        .iter()
        .map(|a| (a.app_type.as_str(), a.packages.len()))
        .collect();
    let python = inv
        .applications
        .iter()
        .find(|a| a.app_type == "python-pkg")
        .expect("python packages");
    assert_eq!(python.packages.len(), 16, "{apps:?}");
    // Trivy's SBOM records each package's METADATA file; those paths are kept as written.
    assert!(python.packages.iter().all(|p| p
        .file_path
        .starts_with("usr/local/lib/python3.11/site-packages/")));
    // Syft's: the 12 crates of the cargo-auditable binary, typed from the ecosystem.
    assert!(apps.contains(&("rustbinary", 12)), "{apps:?}");
    let broken: Vec<_> = inv
        .warnings
        .iter()
        .filter(|w| w.file_path == "/srv/sbom/broken.spdx.json")
        .collect();
    assert_eq!(broken.len(), 1, "{:?}", inv.warnings);
    // A project tree does not read SBOM files (Trivy reads them in image and rootfs scans).
    let fs = analyze_dir(root, ScanMode::Fs, &AnalyzeOptions::default()).unwrap();
    assert!(fs.applications.is_empty());
}

#[test]
fn project_trees_take_licenses_from_node_modules_package_json() {
    use atalaia_analyze::{analyze_dir, AnalyzeOptions, ScanMode};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |p: &str, s: &str| {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    write(
        "web/package.json",
        r#"{"name": "web", "version": "2.0.0", "dependencies": {"a": "^1"}}"#,
    );
    write(
        "web/yarn.lock",
        "# yarn lockfile v1\n\n\na@^1:\n  version \"1.0.0\"\n  dependencies:\n    \"@s/b\" \"^2\"\n\n\"@s/b@^2\":\n  version \"2.1.0\"\n\nc@^3:\n  version \"3.0.0\"\n",
    );
    write(
        "web/node_modules/a/package.json",
        r#"{"name": "a", "version": "1.0.0", "license": "MIT"}"#,
    );
    write(
        "web/node_modules/a/node_modules/@s/b/package.json",
        r#"{"name": "@s/b", "version": "2.1.0", "licenses": [{"type": "ISC"}]}"#,
    );
    // Another version than the lockfile's, a broken fixture, and another project's tree.
    write(
        "web/node_modules/c/package.json",
        r#"{"name": "c", "version": "9.9.9", "license": "GPL-3.0"}"#,
    );
    write("web/node_modules/a/test/package.json", "{ not json");
    write(
        "other/node_modules/c/package.json",
        r#"{"name": "c", "version": "3.0.0", "license": "BSD-3-Clause"}"#,
    );
    let inv = analyze_dir(root, ScanMode::Fs, &AnalyzeOptions::default()).unwrap();
    assert!(inv.warnings.is_empty(), "{:?}", inv.warnings);
    assert_eq!(
        inv.applications.len(),
        1,
        "node_modules are not applications in fs scans"
    );
    let got: Vec<(&str, Vec<&str>)> = inv.applications[0]
        .packages
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                p.licenses.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("@s/b@2.1.0", vec!["ISC"]),
            ("a@1.0.0", vec!["MIT"]),
            ("c@3.0.0", vec![]),
            ("web@2.0.0", vec![]),
        ]
    );
}

#[test]
fn maven_modules_inherit_from_local_parent_poms() {
    use atalaia_analyze::{analyze_dir, AnalyzeOptions, ScanMode};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |p: &str, s: &str| {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    write(
        "pom.xml",
        "<project><groupId>org.acme</groupId><artifactId>acme-parent</artifactId><version>3.0.0</version>\
         <properties><log.version>2.0.9</log.version></properties>\
         <dependencyManagement><dependencies><dependency><groupId>org.slf4j</groupId>\
         <artifactId>slf4j-api</artifactId><version>${log.version}</version></dependency>\
         </dependencies></dependencyManagement></project>",
    );
    // Default relativePath (../pom.xml).
    write(
        "core/pom.xml",
        "<project><parent><groupId>org.acme</groupId><artifactId>acme-parent</artifactId>\
         <version>3.0.0</version></parent><artifactId>core</artifactId>\
         <dependencies><dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId>\
         </dependency></dependencies></project>",
    );
    // A relativePath naming a directory, two levels up; and a parent that is not the one
    // there (another artifactId): not inherited, so the version stays unknown.
    write(
        "apps/web/pom.xml",
        "<project><parent><groupId>org.acme</groupId><artifactId>acme-parent</artifactId>\
         <version>3.0.0</version><relativePath>../..</relativePath></parent><artifactId>web</artifactId>\
         <dependencies><dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId>\
         </dependency></dependencies></project>",
    );
    write(
        "other/pom.xml",
        "<project><parent><groupId>org.other</groupId><artifactId>other-parent</artifactId>\
         <version>1</version></parent><artifactId>other</artifactId>\
         <dependencies><dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId>\
         </dependency></dependencies></project>",
    );
    let inv = analyze_dir(root, ScanMode::Fs, &AnalyzeOptions::default()).unwrap();
    let ids = |file: &str| -> Vec<String> {
        inv.applications
            .iter()
            .find(|a| a.file_path == file)
            .map(|a| a.packages.iter().map(|p| p.id.clone()).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        ids("core/pom.xml"),
        ["org.acme:core@3.0.0", "org.slf4j:slf4j-api@2.0.9"]
    );
    assert_eq!(
        ids("apps/web/pom.xml"),
        ["org.acme:web@3.0.0", "org.slf4j:slf4j-api@2.0.9"]
    );
    assert_eq!(ids("other/pom.xml"), ["org.other:other@1"]);
    assert_eq!(ids("pom.xml"), ["org.acme:acme-parent@3.0.0"]);
    let warned: Vec<&str> = inv.warnings.iter().map(|w| w.file_path.as_str()).collect();
    assert_eq!(warned, ["/other/pom.xml"], "{:?}", inv.warnings);
    assert!(inv.warnings[0].message.contains("org.slf4j:slf4j-api"));
}
