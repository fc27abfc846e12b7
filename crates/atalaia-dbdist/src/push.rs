//! `db push`: the database as an OCI artifact (zstd layer, atalaia media types).

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use atalaia_registry::{Client, Descriptor, ImageManifest, Reference, OCI_MANIFEST};
use atalaia_types::Digest;
use atalaia_vulndb::VulnDb;
use sha2::Digest as _;

use crate::{db_reference, DbDistError, CONFIG_MEDIA_TYPE, LAYER_MEDIA_TYPE};

/// The zstd level of published layers: a good ratio at a few seconds per 100 MB.
pub const DEFAULT_LEVEL: i32 = 15;

/// What [`push`] published.
#[derive(Debug, Clone)]
pub struct PushOutcome {
    /// The reference pushed to (with the default tag filled in).
    pub reference: Reference,
    /// The manifest's digest.
    pub manifest_digest: Digest,
    /// The compressed layer.
    pub layer: Descriptor,
    /// The database's size before compression.
    pub uncompressed: u64,
}

struct HashingWriter<W> {
    inner: W,
    hasher: sha2::Sha256,
    written: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Publishes `db_file` to `reference` (tag defaults to the schema version): checks that it is a
/// database of the supported schema, compresses it with zstd at `level`, uploads the layer and
/// a config holding the `meta` table, then the manifest.
pub fn push(
    db_file: &Path,
    reference: &Reference,
    client: &Client,
    level: i32,
) -> Result<PushOutcome, DbDistError> {
    let reference = db_reference(reference);
    let bad_db = |source| DbDistError::BadDatabase {
        path: db_file.to_owned(),
        source: Box::new(source),
    };
    let meta = VulnDb::open(db_file)
        .and_then(|db| db.meta())
        .map_err(bad_db)?;

    let mut input =
        std::fs::File::open(db_file).map_err(|e| DbDistError::io("open", db_file, e))?;
    let uncompressed = input
        .metadata()
        .map_err(|e| DbDistError::io("stat", db_file, e))?
        .len();
    let mut tmp =
        tempfile::tempfile().map_err(|e| DbDistError::io("create", std::env::temp_dir(), e))?;
    let (digest, size) = {
        let sink = HashingWriter {
            inner: std::io::BufWriter::new(&mut tmp),
            hasher: sha2::Sha256::new(),
            written: 0,
        };
        let mut enc = zstd::stream::write::Encoder::new(sink, level)
            .map_err(|e| DbDistError::io("compress", db_file, e))?;
        std::io::copy(&mut input, &mut enc).map_err(|e| DbDistError::io("compress", db_file, e))?;
        let mut sink = enc
            .finish()
            .map_err(|e| DbDistError::io("compress", db_file, e))?;
        sink.flush()
            .map_err(|e| DbDistError::io("compress", db_file, e))?;
        (
            Digest::sha256_from_bytes(&sink.hasher.finalize()),
            sink.written,
        )
    };
    tmp.seek(SeekFrom::Start(0))
        .map_err(|e| DbDistError::io("read", db_file, e))?;

    let registry_err = |source| DbDistError::Registry {
        action: "publish",
        direction: "to",
        reference: reference.to_string(),
        source: Box::new(source),
    };
    client
        .push_blob(&reference, &digest, size, &mut (&mut tmp as &mut dyn Read))
        .map_err(registry_err)?;
    let mut layer = Descriptor::of(LAYER_MEDIA_TYPE, &[]);
    layer.digest = digest;
    layer.size = size;
    let file_name = db_file
        .file_name()
        .map_or_else(|| "atalaia.db".into(), |n| n.to_string_lossy().into_owned());
    layer.annotations.insert(
        "org.opencontainers.image.title".to_owned(),
        format!("{file_name}.zst"),
    );
    let config_json = serde_json::to_vec(&meta)
        .map_err(|e| DbDistError::io("serialize", db_file, std::io::Error::other(e)))?;
    let config = client
        .push_blob_bytes(&reference, CONFIG_MEDIA_TYPE, &config_json)
        .map_err(registry_err)?;
    let mut annotations = BTreeMap::new();
    annotations.insert(
        "org.opencontainers.image.created".to_owned(),
        meta.built_at.clone(),
    );
    annotations.insert(
        "io.atalaia.db.schema-version".to_owned(),
        meta.schema_version.to_string(),
    );
    let manifest = ImageManifest {
        schema_version: 2,
        media_type: Some(OCI_MANIFEST.to_owned()),
        artifact_type: Some(CONFIG_MEDIA_TYPE.to_owned()),
        config,
        layers: vec![layer.clone()],
        annotations,
    };
    let bytes = serde_json::to_vec(&manifest)
        .map_err(|e| DbDistError::io("serialize", db_file, std::io::Error::other(e)))?;
    let manifest_digest = client
        .push_manifest(&reference, OCI_MANIFEST, &bytes)
        .map_err(registry_err)?;
    Ok(PushOutcome {
        reference,
        manifest_digest,
        layer,
        uncompressed,
    })
}
