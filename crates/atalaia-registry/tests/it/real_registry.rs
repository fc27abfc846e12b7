//! Push and pull against `docker-registry` with TLS from a test CA and htpasswd auth.

use atalaia_registry::{
    Client, Credentials, Descriptor, ImageIndex, ImageManifest, ManifestContent, Platform,
    Reference, RegistryError, OCI_EMPTY, OCI_INDEX, OCI_MANIFEST,
};
use atalaia_test::registry::TestRegistry;

fn client(reg: &TestRegistry) -> Client {
    Client::builder()
        .use_docker_config(false)
        .ca_file(&reg.ca_file)
        .credentials(Some(Credentials::new(&reg.username, &reg.password)))
        .build()
        .unwrap()
}

fn reference(reg: &TestRegistry, repo_tag: &str) -> Reference {
    format!("{}/{repo_tag}", reg.host).parse().unwrap()
}

/// Pushes an artifact with one layer; returns the layer's descriptor and the manifest digest.
fn push_artifact(c: &Client, r: &Reference, layer: &[u8]) -> (Descriptor, ImageManifest) {
    let config = c.push_blob_bytes(r, OCI_EMPTY, b"{}").unwrap();
    let layer = c
        .push_blob_bytes(r, "application/vnd.atalaia.test.layer", layer)
        .unwrap();
    let manifest = ImageManifest {
        schema_version: 2,
        media_type: Some(OCI_MANIFEST.to_owned()),
        artifact_type: Some("application/vnd.atalaia.test".to_owned()),
        config,
        layers: vec![layer.clone()],
        annotations: Default::default(),
    };
    let bytes = serde_json::to_vec(&manifest).unwrap();
    c.push_manifest(r, OCI_MANIFEST, &bytes).unwrap();
    (layer, manifest)
}

#[test]
fn push_pull_round_trip_with_ca_and_basic_auth() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let c = client(&reg);
    let r = reference(&reg, "atalaia/test:v1");
    let payload: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let (layer, manifest) = push_artifact(&c, &r, &payload);

    let fetched = c.manifest(&r).unwrap();
    assert_eq!(fetched.media_type, OCI_MANIFEST);
    let ManifestContent::Image(m) = &fetched.content else {
        panic!("not an image manifest")
    };
    assert_eq!(m, &manifest);
    assert_eq!(c.manifest_digest(&r).unwrap(), Some(fetched.digest.clone()));

    let mut out = Vec::new();
    let mut last = 0;
    let n = c
        .fetch_blob(&r, &layer, &mut out, &mut |done| last = done)
        .unwrap();
    assert_eq!(n, payload.len() as u64);
    assert_eq!(last, n);
    assert_eq!(out, payload);

    // The blob is there now: a second push uploads nothing.
    assert!(c.blob_exists(&r, &layer.digest).unwrap());
    assert!(!c
        .push_blob(&r, &layer.digest, layer.size, &mut &payload[..])
        .unwrap());

    // By digest, too.
    let by_digest = r.with_digest(fetched.digest.clone());
    assert_eq!(c.manifest(&by_digest).unwrap().bytes, fetched.bytes);

    let missing = reference(&reg, "atalaia/test:nope");
    let err = c.manifest(&missing).unwrap_err();
    assert!(matches!(err, RegistryError::NotFound { .. }), "{err}");
}

#[test]
fn chunked_upload_and_platform_index() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let c = Client::builder()
        .use_docker_config(false)
        .ca_file(&reg.ca_file)
        .credentials(Some(Credentials::new(&reg.username, &reg.password)))
        .chunk_size(40_000)
        .build()
        .unwrap();
    let r = reference(&reg, "multi/arch:1");
    let amd: Vec<u8> = vec![1; 100_001];
    let arm: Vec<u8> = vec![2; 99_999];
    let (_, m_amd) = push_artifact(&c, &r.with_tag("amd"), &amd);
    let (arm_layer, m_arm) = push_artifact(&c, &r.with_tag("arm"), &arm);
    let entry = |m: &ImageManifest, p: &str| {
        let mut d = Descriptor::of(OCI_MANIFEST, &serde_json::to_vec(m).unwrap());
        d.platform = Platform::parse(p);
        d
    };
    let index = ImageIndex {
        schema_version: 2,
        media_type: Some(OCI_INDEX.to_owned()),
        manifests: vec![
            entry(&m_amd, "linux/amd64"),
            entry(&m_arm, "linux/arm64/v8"),
        ],
        annotations: Default::default(),
    };
    c.push_manifest(&r, OCI_INDEX, &serde_json::to_vec(&index).unwrap())
        .unwrap();

    let (fetched, m) = c
        .image_manifest(&r, Platform::parse("linux/arm64").as_ref())
        .unwrap();
    assert_eq!(m, m_arm);
    assert_eq!(fetched.media_type, OCI_MANIFEST);
    let mut out = Vec::new();
    c.fetch_blob(&r, &arm_layer, &mut out, &mut |_| {}).unwrap();
    assert_eq!(out, arm);
    let (_, default) = c.image_manifest(&r, None).unwrap();
    assert_eq!(default, m_amd);
    let err = c
        .image_manifest(&r, Platform::parse("windows/amd64").as_ref())
        .unwrap_err();
    assert!(err.to_string().contains("linux/arm64/v8"), "{err}");
}

#[test]
fn auth_and_tls_failures_are_clear() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let r = reference(&reg, "atalaia/test:v1");
    let wrong = Client::builder()
        .use_docker_config(false)
        .ca_file(&reg.ca_file)
        .credentials(Some(Credentials::new(&reg.username, "wrong-password")))
        .build()
        .unwrap();
    let err = wrong.manifest(&r).unwrap_err();
    assert!(err.is_auth(), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("authentication failed for {}", reg.host)
    );
    assert!(!format!("{err:?}").contains("wrong-password"));

    let anonymous = Client::builder()
        .use_docker_config(false)
        .ca_file(&reg.ca_file)
        .build()
        .unwrap();
    assert!(anonymous.manifest(&r).unwrap_err().is_auth());

    // Without the test CA the certificate is rejected; with `insecure` it is accepted.
    let untrusted = Client::builder()
        .use_docker_config(false)
        .credentials(Some(Credentials::new(&reg.username, &reg.password)))
        .retries(1)
        .build()
        .unwrap();
    let err = untrusted.manifest(&r).unwrap_err();
    assert!(matches!(err, RegistryError::Transport { .. }), "{err:?}");
    let insecure = Client::builder()
        .use_docker_config(false)
        .insecure(true)
        .credentials(Some(Credentials::new(&reg.username, &reg.password)))
        .build()
        .unwrap();
    let err = insecure.manifest(&r).unwrap_err();
    assert!(matches!(err, RegistryError::NotFound { .. }), "{err:?}");
}

#[test]
fn credentials_from_docker_config() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = reg.write_docker_config(dir.path());
    let c = Client::builder()
        .docker_config(&config)
        .ca_file(&reg.ca_file)
        .build()
        .unwrap();
    let r = reference(&reg, "from/config:1");
    push_artifact(&c, &r, b"hello");
    assert!(c.manifest_digest(&r).unwrap().is_some());
}

#[test]
fn tampered_blob_is_rejected_naming_it() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let c = client(&reg);
    let r = reference(&reg, "tamper/me:1");
    let (layer, _) = push_artifact(&c, &r, b"original content!");
    std::fs::write(reg.blob_path(layer.digest.as_str()), b"tampered content!").unwrap();
    let mut out = Vec::new();
    let err = c.fetch_blob(&r, &layer, &mut out, &mut |_| {}).unwrap_err();
    assert!(
        matches!(err, RegistryError::DigestMismatch { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains(layer.digest.as_str()), "{err}");
}

#[test]
fn open_blob_streams_and_verifies_at_the_end() {
    use std::io::Read as _;
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let c = client(&reg);
    let r = reference(&reg, "stream/me:1");
    let payload: Vec<u8> = (0..700_000u32).map(|i| (i % 241) as u8).collect();
    let (layer, _) = push_artifact(&c, &r, &payload);
    let mut out = Vec::new();
    let mut blob = c.open_blob(&r, &layer).unwrap();
    blob.read_to_end(&mut out).unwrap();
    assert_eq!(out, payload);
    assert_eq!(blob.bytes_read(), payload.len() as u64);

    // Same size, other bytes: the error comes at the end, naming the blob.
    let mut bad = payload.clone();
    bad[350_000] ^= 1;
    std::fs::write(reg.blob_path(layer.digest.as_str()), &bad).unwrap();
    let mut blob = c.open_blob(&r, &layer).unwrap();
    let err = blob.read_to_end(&mut Vec::new()).unwrap_err();
    let err = RegistryError::from_io(err).unwrap();
    assert!(
        matches!(err, RegistryError::DigestMismatch { .. }),
        "{err:?}"
    );
    // A failed stream stays failed.
    assert!(blob.read(&mut [0u8; 16]).is_err());

    // Shorter than its descriptor: a size error.
    std::fs::write(reg.blob_path(layer.digest.as_str()), &payload[..1000]).unwrap();
    let mut blob = c.open_blob(&r, &layer).unwrap();
    let err = RegistryError::from_io(blob.read_to_end(&mut Vec::new()).unwrap_err()).unwrap();
    assert!(matches!(err, RegistryError::SizeMismatch { .. }), "{err:?}");
}
