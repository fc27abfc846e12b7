//! Integration tests against a real registry (Debian `docker-registry`, TLS from a test CA,
//! htpasswd auth), with corpus images pushed by `skopeo`.

mod support;

mod decode;
mod scan;
