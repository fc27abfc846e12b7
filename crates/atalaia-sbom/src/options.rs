//! What varies between two runs over the same inventory, injectable for reproducible output.

use time::OffsetDateTime;
use uuid::Uuid;

/// The clock and identity of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOptions {
    /// When the document was made (CycloneDX `metadata.timestamp`, SPDX `creationInfo.created`).
    pub timestamp: OffsetDateTime,
    /// The document's identity: CycloneDX `serialNumber` (`urn:uuid:…`), the SPDX
    /// `documentNamespace` suffix, and the seed of the generated `bom-ref`s.
    pub serial: Uuid,
}

impl WriteOptions {
    /// The current time and a random serial.
    pub fn now() -> Self {
        WriteOptions {
            timestamp: OffsetDateTime::now_utc(),
            serial: Uuid::new_v4(),
        }
    }

    /// A UUID derived from the serial and a label: stable for one document, unique across
    /// documents (used for `bom-ref`s of nodes that have no purl).
    pub(crate) fn derived_uuid(&self, label: &str) -> Uuid {
        use sha2::{Digest as _, Sha256};
        let mut h = Sha256::new();
        h.update(self.serial.as_bytes());
        h.update(label.as_bytes());
        let digest = h.finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self::now()
    }
}
