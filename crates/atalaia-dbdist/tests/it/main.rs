//! Integration tests of the database cache against a real registry (Debian `docker-registry`,
//! TLS from a test CA, htpasswd auth).

mod dist;

use std::path::{Path, PathBuf};

use atalaia_registry::{Client, Credentials, Reference};
use atalaia_test::registry::TestRegistry;

/// Builds a database from one shared feed folder (relative to vulndata) into `dir/name`.
pub(crate) fn build_db(dir: &Path, feed: &str, name: &str) -> PathBuf {
    let out = dir.join(name);
    atalaia_vulndb::build(
        &[atalaia_test::vulndata_dir().join(feed)],
        &out,
        &atalaia_vulndb::BuildOptions::new().built_at("2026-01-02T03:04:05Z"),
    )
    .expect("build the test database");
    out
}

pub(crate) fn client(reg: &TestRegistry) -> Client {
    client_with(reg, &reg.password)
}

pub(crate) fn client_with(reg: &TestRegistry, password: &str) -> Client {
    Client::builder()
        .use_docker_config(false)
        .ca_file(&reg.ca_file)
        .credentials(Some(Credentials::new(&reg.username, password)))
        .build()
        .expect("client")
}

pub(crate) fn reference(reg: &TestRegistry, repo: &str) -> Reference {
    format!("{}/{repo}", reg.host).parse().expect("reference")
}

/// Blob downloads of `repo` in the registry's access log.
pub(crate) fn blob_gets(reg: &TestRegistry, repo: &str) -> usize {
    let needle = format!("\"GET /v2/{repo}/blobs/");
    reg.log_text().matches(&needle).count()
}
