//! `db update`: pull the artifact, verify, decompress beside the target, fsync, rename.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;
use std::time::Duration;

use atalaia_registry::{Client, ManifestContent, Reference};
use atalaia_vulndb::VulnDb;
use time::OffsetDateTime;

use crate::cache::{now_rfc3339, rename_synced, rfc3339, DbCache, Metadata};
use crate::{db_reference, DbDistError, CONFIG_MEDIA_TYPE, LAYER_MEDIA_TYPE};

/// Largest database a layer may inflate to (a guard against decompression bombs).
pub const MAX_DB_BYTES: u64 = 16 << 30;

/// How [`update`] behaves.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// After a download or a check, no other check is made for this long (default 1 hour).
    pub freshness: Duration,
    /// Ask the registry even within the freshness window (still no download when unchanged).
    pub force: bool,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            freshness: Duration::from_secs(3600),
            force: false,
        }
    }
}

/// Where an update is, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// Asking the registry for the manifest.
    Checking,
    /// Downloading the compressed layer.
    Downloading {
        /// Bytes received.
        done: u64,
        /// Bytes in the layer.
        total: u64,
    },
    /// Inflating the layer beside the database.
    Decompressing,
    /// Checking the new file and renaming it into place.
    Installing,
}

/// What [`update`] did.
#[derive(Debug, Clone)]
pub enum UpdateOutcome {
    /// The local copy was checked recently: the registry was not asked.
    Fresh(Metadata),
    /// The registry has the same database: nothing was downloaded.
    Unchanged(Metadata),
    /// A new database was downloaded and installed.
    Downloaded {
        /// The new metadata.
        metadata: Metadata,
        /// Compressed bytes downloaded.
        bytes: u64,
    },
}

impl UpdateOutcome {
    /// The metadata of the installed database.
    pub fn metadata(&self) -> &Metadata {
        match self {
            UpdateOutcome::Fresh(m) | UpdateOutcome::Unchanged(m) => m,
            UpdateOutcome::Downloaded { metadata, .. } => metadata,
        }
    }

    /// Whether a download happened.
    pub fn downloaded(&self) -> bool {
        matches!(self, UpdateOutcome::Downloaded { .. })
    }
}

/// Removes a temporary file when dropped, unless it was renamed away.
struct TempFile<'a>(&'a Path);

impl Drop for TempFile<'_> {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.0);
    }
}

fn later(freshness: Duration) -> String {
    let secs = i64::try_from(freshness.as_secs()).unwrap_or(i64::MAX / 2);
    rfc3339(
        OffsetDateTime::now_utc()
            .checked_add(time::Duration::seconds(secs))
            .unwrap_or(OffsetDateTime::now_utc()),
    )
}

/// Updates the database in `cache_dir/db` from `reference` (tag defaults to the schema
/// version). Takes the cache lock for the whole update, so concurrent updates run one after the
/// other (the second finds the first's result fresh). A reader holding the old file open keeps
/// reading it: the new one is written beside it and renamed over it.
pub fn update(
    cache_dir: &Path,
    reference: &Reference,
    client: &Client,
    options: &UpdateOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<UpdateOutcome, DbDistError> {
    let reference = db_reference(reference);
    let cache = DbCache::new(cache_dir);
    let _lock = cache.lock()?;
    cache.remove_stale_temps();
    let db_path = cache.db_path();
    let have_db = db_path.is_file();
    let local = cache
        .metadata()
        .filter(|m| have_db && m.repository == reference.to_string());

    if let Some(m) = &local {
        let since_check = crate::cache::age_of(&m.checked_at);
        if !options.force && since_check.is_some_and(|age| age < options.freshness) {
            tracing::debug!(checked_at = %m.checked_at, "database is fresh, not checking");
            return Ok(UpdateOutcome::Fresh(m.clone()));
        }
    }

    let registry_err = |source| DbDistError::Registry {
        action: "download",
        direction: "from",
        reference: reference.to_string(),
        source: Box::new(source),
    };
    progress(Progress::Checking);
    let unchanged = |m: &Metadata| -> Result<UpdateOutcome, DbDistError> {
        let now = now_rfc3339();
        let m = Metadata {
            checked_at: now,
            next_check: later(options.freshness),
            ..m.clone()
        };
        cache.write_metadata(&m)?;
        Ok(UpdateOutcome::Unchanged(m))
    };
    if let Some(m) = &local {
        if client
            .manifest_digest(&reference)
            .map_err(registry_err)?
            .as_ref()
            == Some(&m.digest)
        {
            return unchanged(m);
        }
    }
    let fetched = client.manifest(&reference).map_err(registry_err)?;
    if let Some(m) = &local {
        if fetched.digest == m.digest {
            return unchanged(m);
        }
    }
    let not_db = |reason: &str| DbDistError::NotADatabase {
        reference: reference.to_string(),
        reason: reason.to_owned(),
    };
    let ManifestContent::Image(manifest) = &fetched.content else {
        return Err(not_db("it is an index, not an artifact manifest"));
    };
    if manifest.config.media_type != CONFIG_MEDIA_TYPE
        && manifest.artifact_type.as_deref() != Some(CONFIG_MEDIA_TYPE)
    {
        return Err(not_db(&format!(
            "its config media type is `{}`, not `{CONFIG_MEDIA_TYPE}`",
            manifest.config.media_type
        )));
    }
    let layer = manifest
        .layers
        .iter()
        .find(|l| l.media_type == LAYER_MEDIA_TYPE)
        .ok_or_else(|| not_db(&format!("it has no `{LAYER_MEDIA_TYPE}` layer")))?;

    // Download beside the target.
    let zst_path = cache.temp_path("layer.zst");
    let _zst_guard = TempFile(&zst_path);
    {
        let file = File::create(&zst_path).map_err(|e| DbDistError::io("create", &zst_path, e))?;
        let mut sink = BufWriter::with_capacity(1 << 20, file);
        let total = layer.size;
        progress(Progress::Downloading { done: 0, total });
        client
            .fetch_blob(&reference, layer, &mut sink, &mut |done| {
                progress(Progress::Downloading { done, total });
            })
            .map_err(registry_err)?;
        let file = sink
            .into_inner()
            .map_err(|e| DbDistError::io("write", &zst_path, e.into_error()))?;
        file.sync_all()
            .map_err(|e| DbDistError::io("fsync", &zst_path, e))?;
    }

    // Decompress beside the target, fsync.
    progress(Progress::Decompressing);
    let db_tmp = cache.temp_path("atalaia.db");
    let db_guard = TempFile(&db_tmp);
    inflate(&zst_path, &db_tmp, &layer.digest.to_string())?;

    // Check it is a usable database before it replaces anything.
    progress(Progress::Installing);
    let meta = VulnDb::open(&db_tmp)
        .and_then(|db| db.meta())
        .map_err(|source| DbDistError::BadDatabase {
            path: db_tmp.clone(),
            source: Box::new(source),
        })?;
    rename_synced(&db_tmp, &db_path, cache.dir())?;
    std::mem::forget(db_guard);
    let now = now_rfc3339();
    let metadata = Metadata {
        repository: reference.to_string(),
        digest: fetched.digest.clone(),
        layer_digest: layer.digest.clone(),
        schema_version: meta.schema_version,
        built_at: meta.built_at,
        downloaded_at: now.clone(),
        checked_at: now,
        next_check: later(options.freshness),
    };
    cache.write_metadata(&metadata)?;
    Ok(UpdateOutcome::Downloaded {
        metadata,
        bytes: layer.size,
    })
}

fn inflate(zst: &Path, out: &Path, digest: &str) -> Result<(), DbDistError> {
    let bad = |reason: String| DbDistError::BadLayer {
        digest: digest.to_owned(),
        reason,
    };
    let input = File::open(zst).map_err(|e| DbDistError::io("open", zst, e))?;
    let decoder = zstd::stream::read::Decoder::new(input).map_err(|e| bad(e.to_string()))?;
    let file = File::create(out).map_err(|e| DbDistError::io("create", out, e))?;
    let mut sink = BufWriter::with_capacity(1 << 20, file);
    let mut decoder = decoder;
    let mut buf = vec![0u8; 1 << 20];
    let mut n: u64 = 0;
    loop {
        let got = match decoder.read(&mut buf) {
            Ok(0) => break,
            Ok(got) => got,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(bad(e.to_string())),
        };
        n += got as u64;
        if n > MAX_DB_BYTES {
            return Err(bad(format!("it inflates beyond {MAX_DB_BYTES} bytes")));
        }
        sink.write_all(&buf[..got])
            .map_err(|e| DbDistError::io("write", out, e))?;
    }
    let file = sink
        .into_inner()
        .map_err(|e| DbDistError::io("write", out, e.into_error()))?;
    file.sync_all()
        .map_err(|e| DbDistError::io("fsync", out, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_layer_is_a_bad_layer() {
        let dir = tempfile::tempdir().unwrap();
        let zst = dir.path().join("x.zst");
        std::fs::write(&zst, b"definitely not zstd").unwrap();
        let err = inflate(&zst, &dir.path().join("out"), "sha256:abc").unwrap_err();
        assert!(matches!(err, DbDistError::BadLayer { .. }), "{err:?}");
        assert!(err.to_string().contains("sha256:abc"), "{err}");
    }

    #[test]
    fn truncated_layer_is_a_bad_layer() {
        let dir = tempfile::tempdir().unwrap();
        let zst = dir.path().join("x.zst");
        let full = zstd::encode_all(&vec![7u8; 100_000][..], 3).unwrap();
        std::fs::write(&zst, &full[..full.len() / 2]).unwrap();
        let err = inflate(&zst, &dir.path().join("out"), "sha256:abc").unwrap_err();
        assert!(matches!(err, DbDistError::BadLayer { .. }), "{err:?}");
    }
}
