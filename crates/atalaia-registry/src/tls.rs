//! The rustls configuration: Mozilla's roots plus the caller's CA files, or no verification at
//! all for `--insecure`.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::RegistryError;

/// The client config for the agent.
pub(crate) fn client_config(
    ca_files: &[PathBuf],
    insecure: bool,
) -> Result<Arc<rustls::ClientConfig>, RegistryError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| RegistryError::BadCaFile {
            path: PathBuf::new(),
            reason: format!("TLS setup failed: {e}"),
        })?;
    let config = if insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerification(provider)))
            .with_no_client_auth()
    } else {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for path in ca_files {
            for cert in read_certificates(path)? {
                roots.add(cert).map_err(|e| RegistryError::BadCaFile {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
            }
        }
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    Ok(Arc::new(config))
}

/// The certificates in a PEM file (any number), or a single DER certificate.
fn read_certificates(path: &PathBuf) -> Result<Vec<CertificateDer<'static>>, RegistryError> {
    let bad = |reason: String| RegistryError::BadCaFile {
        path: path.clone(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    if bytes.starts_with(b"0\x82") {
        return Ok(vec![CertificateDer::from(bytes)]);
    }
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(format!("bad PEM: {e}")))?;
    if certs.is_empty() {
        return Err(bad("it holds no PEM `CERTIFICATE` block".to_owned()));
    }
    Ok(certs)
}

/// Accepts every server certificate (signatures are still checked, so the handshake is sound).
#[derive(Debug)]
struct NoVerification(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_ca_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let err = client_config(std::slice::from_ref(&missing), false).unwrap_err();
        assert!(err.to_string().contains("missing.pem"), "{err}");
        let text = dir.path().join("text.pem");
        std::fs::write(&text, "hello").unwrap();
        let err = client_config(std::slice::from_ref(&text), false).unwrap_err();
        assert!(err.to_string().contains("no PEM"), "{err}");
        let broken = dir.path().join("broken.pem");
        std::fs::write(
            &broken,
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        assert!(client_config(std::slice::from_ref(&broken), false).is_err());
        assert!(client_config(&[], true).is_ok());
    }
}
