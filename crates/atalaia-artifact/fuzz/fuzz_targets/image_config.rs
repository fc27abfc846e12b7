//! Any bytes as an image config read for a manifest (registry, containerd): a description or a
//! fault naming the config, never a panic; a description has one layer info per layer.
#![no_main]

use atalaia_artifact::{BlobRef, DocumentFault, ImageDescription};
use atalaia_types::Digest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let digest: Digest = format!("sha256:{}", "a".repeat(64)).parse().unwrap();
    let config = BlobRef::new("", &digest, data.len() as u64);
    let layers = [BlobRef::new("", &digest, 1); 2];
    for n in 0..=2 {
        match ImageDescription::from_config(config, data, &layers[..n]) {
            Ok(d) => assert_eq!(d.layers.len(), n),
            Err(DocumentFault::Invalid { what, .. }) => assert!(what.starts_with("config ")),
            Err(DocumentFault::UnsupportedMediaType { .. }) => unreachable!("not checked here"),
        }
    }
});
