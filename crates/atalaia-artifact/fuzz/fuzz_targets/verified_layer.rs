//! Any bytes as a streamed layer blob (registry, containerd): the verified stream must end in
//! Ok or an `ArtifactError` (bad compression, size, digest or diff ID), never panic. The digest
//! and diff ID are taken from the input's first bytes so that matching ones are reached too.
#![no_main]

use std::io::Read;

use atalaia_artifact::{ArtifactError, CheckedBlob, LayerIdentity, VerifiedLayerStream};
use atalaia_types::Digest;
use libfuzzer_sys::fuzz_target;
use sha2::{Digest as _, Sha256};

fuzz_target!(|data: &[u8]| {
    let sha = |b: &[u8]| Digest::sha256_from_bytes(&Sha256::digest(b));
    let (flags, blob) = data.split_first().map_or((0, data), |(f, b)| (*f, b));
    let layer = if flags & 1 == 0 { sha(blob) } else { sha(b"x") };
    let size = if flags & 2 == 0 { blob.len() as u64 } else { u64::from(flags) };
    let id = LayerIdentity {
        image: "fuzz".to_owned(),
        layer: layer.clone(),
        diff_id: sha(blob),
        location: "fuzz".into(),
    };
    let raw = CheckedBlob::new(blob, "fuzz", &layer, size);
    let Ok(mut s) = VerifiedLayerStream::open(raw, id, "", LayerIdentity::decode_error) else {
        return;
    };
    let mut out = Vec::new();
    if let Err(e) = s.by_ref().take(1 << 24).read_to_end(&mut out) {
        assert!(ArtifactError::from_io(e).is_ok(), "errors are ArtifactErrors");
    }
});
