//! Both SBOM readers on arbitrary input; whatever they read must also write. None may panic.
#![no_main]

use atalaia_sbom::{cyclonedx, spdx, WriteOptions};
use atalaia_types::ArtifactKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = WriteOptions::now();
    for decoded in [cyclonedx::read(data, "fuzz.cdx.json"), spdx::read(data, "fuzz.spdx.json")].into_iter().flatten() {
        let mut out = Vec::new();
        let _ = cyclonedx::write(&decoded.name, ArtifactKind::Cyclonedx, &decoded.meta, &decoded.inventory, &options, &mut out);
        out.clear();
        let _ = spdx::write(&decoded.name, ArtifactKind::Spdx, &decoded.meta, &decoded.inventory, &options, &mut out);
    }
});
