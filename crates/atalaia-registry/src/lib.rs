//! A blocking client for the OCI Distribution API v2.
//!
//! ```text
//! Reference ("postgres:16") ──► Client ──► HEAD/GET /v2/<repo>/manifests/<tag|digest>
//!                                  │          (index → the platform's manifest)
//!                                  ├──► GET /v2/<repo>/blobs/<digest> ──► sink (size + digest checked)
//!                                  └──► HEAD, POST, PATCH…, PUT uploads; PUT manifests
//! auth: 401 + WWW-Authenticate ──► Basic (credentials) | Bearer (token from the realm)
//! ```
//!
//! Credentials come from [`ClientBuilder::credentials`], [`ClientBuilder::registry_token`] or
//! Docker's `config.json` (`credHelpers`, `credsStore` through `docker-credential-*`, `auths`).
//! TLS is rustls with Mozilla's roots plus [`ClientBuilder::ca_file`]s; [`ClientBuilder::insecure`]
//! accepts any certificate, and plain HTTP for registries on this machine only. Passwords and
//! tokens are never logged nor put into errors.
#![deny(missing_docs)]

mod auth;
mod client;
mod error;
mod helper;
mod manifest;
mod reference;
mod tls;

pub use auth::{Credentials, DockerConfig};
pub use client::{BlobReader, Client, ClientBuilder};
pub use error::RegistryError;
pub use manifest::{
    Descriptor, FetchedManifest, ImageIndex, ImageManifest, ManifestContent, Platform,
    ACCEPTED_MANIFESTS, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_EMPTY, OCI_INDEX, OCI_MANIFEST,
};
pub use reference::{Reference, DOCKER_HUB};
