//! The planted secrets of the tricky corpus image are found with the right rule in their source
//! files (`corpus/inputs/tricky`), and the cleaned credentials file gives nothing.

use crate::scanner;

/// `(input file, path in the image, rule, the secret's first line as it is in the file)`.
const PLANTED: &[(&str, &str, &str)] = &[
    (
        "aws-credentials",
        "root/.aws/credentials",
        "aws-access-key-id",
    ),
    (
        "aws-credentials",
        "root/.aws/credentials",
        "aws-secret-access-key",
    ),
    ("git-credentials", "root/.git-credentials", "github-pat"),
    (
        "deploy-key.pem",
        "opt/data/old-deploy-key.pem",
        "private-key",
    ),
    ("app.env", "app/.env", "github-pat"),
    ("server.key", "app/certs/server.key", "private-key"),
];

fn expected() -> serde_json::Value {
    let path = atalaia_test::corpus_dir().join("expected/planted-secrets.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("planted-secrets.json"))
        .expect("valid JSON")
}

#[test]
fn planted_secrets_are_found() {
    let inputs = atalaia_test::corpus_dir().join("inputs/tricky");
    let scanner = scanner();
    let expected = expected();
    let planted = expected.as_array().expect("array");
    for entry in planted.iter().filter(|e| e["image"] == "tricky-layers") {
        let image_path = entry["path"].as_str().unwrap().trim_start_matches('/');
        let kind = entry["kind"].as_str().unwrap();
        let rule = kind.split(' ').next().unwrap();
        let secret = entry["match"].as_str().unwrap();
        let (file, _, _) = PLANTED
            .iter()
            .find(|(_, p, r)| *p == image_path && *r == rule)
            .unwrap_or_else(|| panic!("no input mapped for {image_path} {rule}"));
        let bytes = std::fs::read(inputs.join(file)).expect("planted input");
        // Scan under the path the file has in the image, with and without the leading `/`.
        for path in [image_path.to_owned(), format!("/{image_path}")] {
            let findings = scanner.scan(&path, &bytes);
            let hit = findings.iter().find(|f| f.rule_id == rule);
            let hit = hit.unwrap_or_else(|| panic!("{path}: {rule} not found in {findings:?}"));
            // The line of the planted match is the finding's (first) line, and nothing of the
            // secret is left in the finding.
            let text = String::from_utf8_lossy(&bytes);
            let line = text
                .lines()
                .position(|l| l.contains(secret))
                .expect("secret in input")
                + 1;
            let secret_line = if rule == "private-key" {
                line + 1
            } else {
                line
            };
            assert_eq!(hit.start_line, secret_line, "{path} {rule}");
            let json = serde_json::to_string(&findings).unwrap();
            if rule != "private-key" {
                assert!(!json.contains(secret), "{path}: secret leaked into {json}");
            }
        }
    }
    assert_eq!(
        planted
            .iter()
            .filter(|e| e["image"] == "tricky-layers")
            .count(),
        6
    );
}

#[test]
fn private_key_bodies_never_leak() {
    let inputs = atalaia_test::corpus_dir().join("inputs/tricky");
    let scanner = scanner();
    for file in ["deploy-key.pem", "server.key"] {
        let bytes = std::fs::read(inputs.join(file)).unwrap();
        let findings = scanner.scan(file, &bytes);
        assert_eq!(findings.len(), 1, "{file}: {findings:?}");
        let json = serde_json::to_string(&findings).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for body_line in text
            .lines()
            .filter(|l| !l.starts_with("-----") && l.len() > 8)
        {
            assert!(!json.contains(body_line), "{file}: key line leaked");
        }
    }
}

#[test]
fn cleaned_credentials_give_nothing() {
    let bytes =
        std::fs::read(atalaia_test::corpus_dir().join("inputs/tricky/aws-credentials.clean"))
            .unwrap();
    assert!(scanner().scan("root/.aws/credentials", &bytes).is_empty());
}
