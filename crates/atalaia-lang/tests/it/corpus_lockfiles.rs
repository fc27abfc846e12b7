//! The lockfiles in `corpus/inputs`, parsed in place, against `corpus/expected`.

use atalaia_lang::{classify, parse, LangFile};
use atalaia_types::Relationship;

use crate::expected::{corpus_type, rows, Row};

/// Parses `inputs/<rel>` as if it were at `image_path` and returns its rows.
fn parse_input(rel: &str, image_path: &str) -> (Vec<Row>, atalaia_types::Application) {
    let file = atalaia_test::corpus_dir().join("inputs").join(rel);
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
    let rel_path = image_path.trim_start_matches('/');
    let kind = classify(rel_path, bytes.len() as u64, 0o644)
        .unwrap_or_else(|| panic!("{rel_path} is not classified"));
    assert!(
        kind.lockfile(),
        "{rel_path}: {kind:?} should be a lockfile kind"
    );
    let app = parse(kind, rel_path, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let ty = corpus_type(&app.app_type);
    let mut got: Vec<Row> = app
        .packages
        .iter()
        .map(|p| {
            (
                ty.to_owned(),
                p.name.clone(),
                p.version.clone(),
                image_path.to_owned(),
            )
        })
        .collect();
    got.sort();
    (got, app)
}

fn check(image: &str, rel: &str, image_path: &str, ty: &str) -> atalaia_types::Application {
    let (got, app) = parse_input(rel, image_path);
    let expected: Vec<Row> = rows(image)
        .remove(ty)
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.3 == image_path)
        .collect();
    assert!(
        !expected.is_empty(),
        "{image}: no expected {ty} rows for {image_path}"
    );
    assert_eq!(got, expected, "{image}: {ty} of {image_path}");
    app
}

#[test]
fn python_poetry_lock() {
    let app = check(
        "python-app",
        "python/poetry.lock",
        "/app/poetry.lock",
        "poetry-lock",
    );
    assert_eq!(app.app_type, "poetry");
    let requests = app.packages.iter().find(|p| p.name == "requests").unwrap();
    assert_eq!(requests.purl.to_string(), "pkg:pypi/requests@2.19.1");
    assert!(
        requests.depends_on.contains(&"urllib3@1.23".to_owned()),
        "{:?}",
        requests.depends_on
    );
    assert!(app.packages.iter().all(|p| p.locations.len() == 1));
}

#[test]
fn python_requirements() {
    let app = check(
        "python-app",
        "python/requirements.txt",
        "/app/requirements.txt",
        "pip-requirements",
    );
    let django = app.packages.iter().find(|p| p.name == "django").unwrap();
    assert_eq!(django.locations[0].start_line, 5);
}

#[test]
fn node_package_lock_v3() {
    let app = check(
        "node-app",
        "node/package-lock.json",
        "/app/package-lock.json",
        "npm-lock",
    );
    let express = app.packages.iter().find(|p| p.name == "express").unwrap();
    assert_eq!(express.relationship, Relationship::Direct);
    assert!(express.depends_on.contains(&"safe-buffer@5.1.1".to_owned()));
    // raw-body's nested http-errors 1.6.2 resolves depd to the nested 1.1.1, not the top-level 1.1.2.
    let http_errors = app
        .packages
        .iter()
        .find(|p| p.id == "http-errors@1.6.2")
        .unwrap();
    assert!(
        http_errors.depends_on.contains(&"depd@1.1.1".to_owned()),
        "{:?}",
        http_errors.depends_on
    );
    assert!(app.packages.iter().all(|p| !p.locations.is_empty()));
}

#[test]
fn node_yarn_lock_v1() {
    let app = check("node-app", "node/yarn.lock", "/app/yarn.lock", "yarn-lock");
    let jws = app.packages.iter().find(|p| p.name == "jws").unwrap();
    assert!(
        jws.depends_on.contains(&"safe-buffer@5.2.1".to_owned()),
        "{:?}",
        jws.depends_on
    );
}

#[test]
fn rust_cargo_lock_v4() {
    let app = check(
        "rust-app",
        "rust/Cargo.lock",
        "/app/Cargo.lock",
        "cargo-lock",
    );
    let chrono = app.packages.iter().find(|p| p.name == "chrono").unwrap();
    assert!(chrono.depends_on.contains(&"time@0.1.43".to_owned()));
    assert_eq!(chrono.purl.to_string(), "pkg:cargo/chrono@0.4.19");
}

#[test]
fn app_package_json_is_root() {
    let file = atalaia_test::corpus_dir().join("inputs/node/package.json");
    let bytes = std::fs::read(file).unwrap();
    let kind = classify("app/package.json", bytes.len() as u64, 0o644).unwrap();
    assert_eq!(kind, LangFile::NodePkg);
    let app = parse(kind, "app/package.json", &bytes).unwrap();
    assert_eq!(app.packages.len(), 1);
    assert_eq!(app.packages[0].relationship, Relationship::Root);
    assert_eq!(
        app.packages[0].purl.to_string(),
        "pkg:npm/corpus-node-app@1.0.0"
    );
}

#[test]
fn poetry_lock_with_pyproject() {
    let (_, mut app) = parse_input("python/poetry.lock", "/app/poetry.lock");
    assert_eq!(LangFile::PoetryLock.manifest_name(), Some("pyproject.toml"));
    let manifest =
        std::fs::read(atalaia_test::corpus_dir().join("inputs/python/pyproject.toml")).unwrap();
    let deps = atalaia_lang::parse_manifest("app/pyproject.toml", &manifest).unwrap();
    atalaia_lang::apply_manifest(&mut app, &deps);
    let direct: Vec<&str> = app
        .packages
        .iter()
        .filter(|p| p.relationship == Relationship::Direct)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        direct,
        [
            "certifi",
            "django",
            "flask",
            "jinja2",
            "markupsafe",
            "pyyaml",
            "requests",
            "sqlparse",
            "urllib3",
            "werkzeug"
        ]
    );
    let indirect = app
        .packages
        .iter()
        .filter(|p| p.relationship == Relationship::Indirect)
        .count();
    assert_eq!(indirect, 6);
}

#[test]
fn cargo_lock_with_cargo_toml() {
    let (_, mut app) = parse_input("rust/Cargo.lock", "/app/Cargo.lock");
    let manifest =
        std::fs::read(atalaia_test::corpus_dir().join("inputs/rust/Cargo.toml")).unwrap();
    let deps = atalaia_lang::parse_manifest("app/Cargo.toml", &manifest).unwrap();
    atalaia_lang::apply_manifest(&mut app, &deps);
    let by = |r: Relationship| -> Vec<&str> {
        app.packages
            .iter()
            .filter(|p| p.relationship == r)
            .map(|p| p.name.as_str())
            .collect()
    };
    assert_eq!(by(Relationship::Root), ["corpus-rust-app"]);
    assert_eq!(
        by(Relationship::Direct),
        ["chrono", "regex", "smallvec", "time"]
    );
    assert_eq!(by(Relationship::Indirect).len(), 11);
}
