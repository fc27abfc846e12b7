//! Opening a layer blob as a verified, decompressed tar stream.
//!
//! Each [`Layer::open`] opens its own file handle (and seeks to the blob when it is a member of a
//! tarball), so layers open concurrently from any number of threads. The raw blob bytes are
//! hashed below the decompressor and the decompressed bytes above it; at the end of the stream
//! both digests are compared with the manifest's blob digest and the config's diff ID, and a
//! mismatch is returned from `read` as an [`std::io::Error`] carrying the [`ArtifactError`]
//! (see [`ArtifactError::from_io`]). The compression is recognised by magic bytes (gzip
//! `1f 8b`, zstd `28 b5 2f fd`, anything else is taken as a plain tar); the media type was
//! checked to be a layer type when the image was opened, but the bytes decide, because real
//! images mislabel plain layers as gzip and vice versa.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::{mpsc, Arc};

use atalaia_types::Digest;
use sha2::{Digest as _, Sha256};

use crate::error::Compression;
use crate::walk::STREAM_BUFFER;
use crate::ArtifactError;

/// Where a blob's bytes are: a whole file, or a byte range of a tarball member.
#[derive(Debug, Clone)]
pub(crate) struct BlobLocation {
    pub(crate) file: Arc<PathBuf>,
    pub(crate) offset: u64,
    pub(crate) len: u64,
}

impl BlobLocation {
    /// Opens a fresh handle positioned at the blob, limited to its length.
    pub(crate) fn open(&self) -> io::Result<io::Take<File>> {
        let mut f = File::open(self.file.as_path())?;
        if self.offset > 0 {
            f.seek(SeekFrom::Start(self.offset))?;
        }
        Ok(f.take(self.len))
    }
}

/// How to open and verify one layer.
#[derive(Debug, Clone)]
pub(crate) struct LayerSource {
    pub(crate) location: BlobLocation,
    /// The image's display name, for errors.
    pub(crate) image: Arc<str>,
    /// The digest the raw blob must have.
    pub(crate) blob_digest: Digest,
    /// The digest the decompressed tar must have.
    pub(crate) diff_id: Digest,
}

/// Sniffs the compression from the first bytes of a blob.
pub(crate) fn sniff(head: &[u8]) -> Compression {
    if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// Hashes every byte read from the blob file.
struct HashRead {
    inner: io::Take<File>,
    hasher: Sha256,
    ctx: Arc<LayerSource>,
}

impl Read for HashRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.hasher.update(&buf[..n]);
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(err) => Err(ArtifactError::LayerIo {
                image: self.ctx.image.to_string(),
                layer: self.ctx.blob_digest.clone(),
                path: self.ctx.location.file.to_path_buf(),
                err,
            }
            .into_io()),
        }
    }
}

type Raw = BufReader<HashRead>;

/// The gzip inflaters this build has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GzipBackend {
    /// ISA-L's `isal_inflate` (feature `isal`, when the library was found at build time).
    #[cfg(atalaia_isal)]
    Isal,
    /// flate2 + zlib-rs: always compiled in.
    #[cfg_attr(atalaia_isal, allow(dead_code))]
    ZlibRs,
}

impl GzipBackend {
    /// The fastest one compiled in.
    pub(crate) const DEFAULT: GzipBackend = {
        #[cfg(atalaia_isal)]
        {
            GzipBackend::Isal
        }
        #[cfg(not(atalaia_isal))]
        {
            GzipBackend::ZlibRs
        }
    };

    pub(crate) fn name(self) -> &'static str {
        match self {
            #[cfg(atalaia_isal)]
            GzipBackend::Isal => "isa-l",
            GzipBackend::ZlibRs => "zlib-rs",
        }
    }
}

/// A decompressor over a buffered reader (generic so that tests can run every backend on bytes).
pub(crate) enum Decoder<R: BufRead> {
    Plain(R),
    Gzip(Box<flate2::bufread::MultiGzDecoder<R>>),
    #[cfg(atalaia_isal)]
    GzipIsal(Box<crate::isal::IsalGzDecoder<R>>),
    Zstd(Box<zstd::stream::read::Decoder<'static, R>>),
}

impl<R: BufRead> Decoder<R> {
    /// A gzip decoder of `backend`.
    pub(crate) fn gzip(raw: R, backend: GzipBackend) -> io::Result<Decoder<R>> {
        Ok(match backend {
            #[cfg(atalaia_isal)]
            GzipBackend::Isal => Decoder::GzipIsal(Box::new(crate::isal::IsalGzDecoder::new(raw)?)),
            GzipBackend::ZlibRs => {
                Decoder::Gzip(Box::new(flate2::bufread::MultiGzDecoder::new(raw)))
            }
        })
    }

    pub(crate) fn raw(&mut self) -> &mut R {
        match self {
            Decoder::Plain(r) => r,
            Decoder::Gzip(d) => d.get_mut(),
            #[cfg(atalaia_isal)]
            Decoder::GzipIsal(d) => d.get_mut(),
            Decoder::Zstd(d) => d.get_mut(),
        }
    }

    pub(crate) fn compression(&self) -> Compression {
        match self {
            Decoder::Plain(_) => Compression::None,
            Decoder::Gzip(_) => Compression::Gzip,
            #[cfg(atalaia_isal)]
            Decoder::GzipIsal(_) => Compression::Gzip,
            Decoder::Zstd(_) => Compression::Zstd,
        }
    }
}

impl<R: BufRead> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoder::Plain(r) => r.read(buf),
            Decoder::Gzip(d) => d.read(buf),
            #[cfg(atalaia_isal)]
            Decoder::GzipIsal(d) => d.read(buf),
            Decoder::Zstd(d) => d.read(buf),
        }
    }
}

/// Bytes handed from the decompressing thread to the reader per message.
const CHUNK: usize = 256 << 10;
/// Chunks in flight per layer: bounds the memory a layer's pipeline holds.
const CHUNKS_IN_FLIGHT: usize = 4;

/// What the decompressing thread sends.
enum Msg {
    /// Decompressed bytes.
    Data(Vec<u8>),
    /// The end of the stream, with the digest of the whole raw blob.
    End(Digest),
    /// The stream failed (truncated, corrupt, unreadable).
    Failed(ArtifactError),
}

/// The decompressed, verifying stream of one layer.
///
/// Decompression runs on a thread of its own (which also hashes the raw blob), while the reader
/// hashes the decompressed bytes and parses the tar: on a layer of hundreds of megabytes the two
/// halves take similar time, so the pipeline cuts a layer's wall time nearly in half on two
/// cores. The channel between them is bounded, so memory stays at a few chunks per layer, and the
/// thread ends as soon as the reader is dropped.
pub(crate) struct LayerStream {
    rx: mpsc::Receiver<Msg>,
    /// Spent chunks go back to the decompressing thread, so it does not fault in fresh pages.
    recycle: mpsc::Sender<Vec<u8>>,
    chunk: Vec<u8>,
    pos: usize,
    /// Hash of the decompressed bytes (not kept for plain layers: it equals the raw hash).
    diff: Option<Sha256>,
    ctx: Arc<LayerSource>,
    done: bool,
}

impl LayerStream {
    pub(crate) fn open(ctx: Arc<LayerSource>) -> Result<LayerStream, ArtifactError> {
        let io_err = |err| ArtifactError::LayerIo {
            image: ctx.image.to_string(),
            layer: ctx.blob_digest.clone(),
            path: ctx.location.file.to_path_buf(),
            err,
        };
        let file = ctx.location.open().map_err(io_err)?;
        let mut raw = BufReader::with_capacity(
            STREAM_BUFFER,
            HashRead {
                inner: file,
                hasher: Sha256::new(),
                ctx: ctx.clone(),
            },
        );
        let head = raw
            .fill_buf()
            .map_err(|e| match ArtifactError::from_io(e) {
                Ok(a) => a,
                Err(e) => io_err(e),
            })?;
        let compression = sniff(head);
        if compression == Compression::None {
            // A plain layer: the blob is the tar; read and hash it on the one thread.
            return Self::start(Decoder::Plain(raw), None, ctx);
        }
        // A compressed layer: the blob is read and hashed on a thread of its own, so that the
        // decompressing thread does nothing but decompress (the longest stage of the pipeline).
        let raw = BlobChunks::spawn(raw, ctx.clone()).map_err(io_err)?;
        let dec = match compression {
            // (`None` returned above.)
            Compression::None | Compression::Gzip => Decoder::gzip(raw, GzipBackend::DEFAULT)
                .map_err(|err| ArtifactError::Decompress {
                    image: ctx.image.to_string(),
                    layer: ctx.blob_digest.clone(),
                    format: Compression::Gzip,
                    err,
                })?,
            Compression::Zstd => {
                let d = zstd::stream::read::Decoder::with_buffer(raw).map_err(|err| {
                    ArtifactError::Decompress {
                        image: ctx.image.to_string(),
                        layer: ctx.blob_digest.clone(),
                        format: Compression::Zstd,
                        err,
                    }
                })?;
                Decoder::Zstd(Box::new(d))
            }
        };
        Self::start(dec, Some(Sha256::new()), ctx)
    }

    /// Starts the decompressing thread; `diff` hashes the decompressed bytes (not needed for a
    /// plain layer, whose diff ID is its blob digest).
    fn start<R: RawBlob + Send + 'static>(
        dec: Decoder<R>,
        diff: Option<Sha256>,
        ctx: Arc<LayerSource>,
    ) -> Result<LayerStream, ArtifactError> {
        let io_err = |err| ArtifactError::LayerIo {
            image: ctx.image.to_string(),
            layer: ctx.blob_digest.clone(),
            path: ctx.location.file.to_path_buf(),
            err,
        };
        let (tx, rx) = mpsc::sync_channel(CHUNKS_IN_FLIGHT);
        let (recycle, spent) = mpsc::channel();
        let thread_ctx = ctx.clone();
        std::thread::Builder::new()
            .name("atalaia-layer".into())
            .spawn(move || decompress(dec, &thread_ctx, &tx, &spent))
            .map_err(io_err)?;
        Ok(LayerStream {
            rx,
            recycle,
            chunk: Vec::new(),
            pos: 0,
            diff,
            ctx,
            done: false,
        })
    }

    /// At the end of the decompressed stream: compares both digests.
    fn finish(&mut self, blob: Digest) -> Result<(), ArtifactError> {
        if blob != self.ctx.blob_digest {
            return Err(ArtifactError::BlobDigestMismatch {
                image: self.ctx.image.to_string(),
                expected: self.ctx.blob_digest.clone(),
                actual: blob,
            });
        }
        let diff = match self.diff.take() {
            Some(h) => Digest::sha256_from_bytes(&h.finalize()),
            None => blob,
        };
        if diff != self.ctx.diff_id {
            return Err(ArtifactError::DiffIdMismatch {
                image: self.ctx.image.to_string(),
                layer: self.ctx.blob_digest.clone(),
                expected: self.ctx.diff_id.clone(),
                actual: diff,
            });
        }
        Ok(())
    }
}

/// The decompressing half: reads, hashes and decompresses the blob until the end or an error,
/// or until the reader hangs up.
fn decompress<R: RawBlob>(
    mut dec: Decoder<R>,
    ctx: &LayerSource,
    tx: &mpsc::SyncSender<Msg>,
    spent: &mpsc::Receiver<Vec<u8>>,
) {
    loop {
        let mut buf = spent.try_recv().unwrap_or_default();
        buf.resize(CHUNK, 0);
        let filled = match read_full(&mut dec, &mut buf) {
            Ok(n) => n,
            Err(e) => {
                let _ = tx.send(Msg::Failed(classify(ctx, dec.compression(), e)));
                return;
            }
        };
        if filled > 0 {
            buf.truncate(filled);
            if tx.send(Msg::Data(buf)).is_err() {
                return; // the reader is gone
            }
        }
        if filled < CHUNK {
            break;
        }
    }
    // The decompressed stream ended: read what is left of the blob (padding after the end of a
    // gzip member, say) so the raw digest covers every byte.
    let compression = dec.compression();
    match dec.raw().finish() {
        Ok(blob) => {
            let _ = tx.send(Msg::End(blob));
        }
        Err(e) => {
            let _ = tx.send(Msg::Failed(classify(ctx, compression, e)));
        }
    }
}

/// The raw blob under a decoder: reads to its end and gives the digest of all its bytes.
trait RawBlob: BufRead {
    /// Reads what is left (bytes after the end of the compressed stream, say) so that the
    /// digest covers every byte of the blob, and returns it.
    fn finish(&mut self) -> io::Result<Digest>;
}

impl RawBlob for Raw {
    fn finish(&mut self) -> io::Result<Digest> {
        io::copy(self, &mut io::sink())?;
        let h = std::mem::take(&mut self.get_mut().hasher);
        Ok(Digest::sha256_from_bytes(&h.finalize()))
    }
}

/// Bytes of a blob per message from the reading thread.
const RAW_CHUNK: usize = 256 << 10;

/// What the blob-reading thread sends.
enum RawMsg {
    Data(Vec<u8>),
    /// The end of the blob, with the digest of all its bytes.
    End(Digest),
    /// Reading failed.
    Failed(ArtifactError),
}

/// A compressed blob read and hashed on its own thread, as a `BufRead` for the decoder: the
/// decoder reads straight from the chunks the thread filled (no copy).
struct BlobChunks {
    rx: mpsc::Receiver<RawMsg>,
    recycle: mpsc::Sender<Vec<u8>>,
    chunk: Vec<u8>,
    pos: usize,
    end: Option<Digest>,
    ctx: Arc<LayerSource>,
}

impl BlobChunks {
    /// Starts the reading thread on `raw` (whose buffer may already hold the blob's first bytes,
    /// counted by its hasher).
    fn spawn(raw: Raw, ctx: Arc<LayerSource>) -> io::Result<BlobChunks> {
        let (tx, rx) = mpsc::sync_channel(CHUNKS_IN_FLIGHT);
        let (recycle, spent) = mpsc::channel();
        std::thread::Builder::new()
            .name("atalaia-blob".into())
            .spawn(move || read_blob(raw, &tx, &spent))?;
        Ok(BlobChunks {
            rx,
            recycle,
            chunk: Vec::new(),
            pos: 0,
            end: None,
            ctx,
        })
    }
}

/// The reading half: reads and hashes the blob in chunks until its end, an error, or until the
/// decoder hangs up.
fn read_blob(mut raw: Raw, tx: &mpsc::SyncSender<RawMsg>, spent: &mpsc::Receiver<Vec<u8>>) {
    loop {
        let mut buf = spent.try_recv().unwrap_or_default();
        buf.resize(RAW_CHUNK, 0);
        let filled = match read_full(&mut raw, &mut buf) {
            Ok(n) => n,
            Err(e) => {
                // `HashRead` already made every error a `LayerIo` naming the file.
                let err = ArtifactError::from_io(e).unwrap_or_else(|err| ArtifactError::Io {
                    path: raw.get_ref().ctx.location.file.to_path_buf(),
                    err,
                });
                let _ = tx.send(RawMsg::Failed(err));
                return;
            }
        };
        if filled > 0 {
            buf.truncate(filled);
            if tx.send(RawMsg::Data(buf)).is_err() {
                return; // the decoder is gone
            }
        }
        if filled < RAW_CHUNK {
            break;
        }
    }
    let h = std::mem::take(&mut raw.get_mut().hasher);
    let _ = tx.send(RawMsg::End(Digest::sha256_from_bytes(&h.finalize())));
}

impl Read for BlobChunks {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for BlobChunks {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.chunk.len() && self.end.is_none() {
            match self.rx.recv() {
                Ok(RawMsg::Data(chunk)) => {
                    let spent = std::mem::replace(&mut self.chunk, chunk);
                    if spent.capacity() > 0 {
                        let _ = self.recycle.send(spent);
                    }
                    self.pos = 0;
                }
                Ok(RawMsg::End(d)) => self.end = Some(d),
                Ok(RawMsg::Failed(err)) => return Err(err.into_io()),
                Err(mpsc::RecvError) => {
                    return Err(ArtifactError::LayerIo {
                        image: self.ctx.image.to_string(),
                        layer: self.ctx.blob_digest.clone(),
                        path: self.ctx.location.file.to_path_buf(),
                        err: io::Error::other("the blob-reading thread stopped unexpectedly"),
                    }
                    .into_io())
                }
            }
        }
        Ok(&self.chunk[self.pos.min(self.chunk.len())..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.chunk.len());
    }
}

impl RawBlob for BlobChunks {
    fn finish(&mut self) -> io::Result<Digest> {
        loop {
            let n = self.fill_buf()?.len();
            if n == 0 {
                break;
            }
            self.consume(n);
        }
        self.end.take().ok_or_else(|| {
            ArtifactError::LayerIo {
                image: self.ctx.image.to_string(),
                layer: self.ctx.blob_digest.clone(),
                path: self.ctx.location.file.to_path_buf(),
                err: io::Error::other("the blob's digest was asked for twice"),
            }
            .into_io()
        })
    }
}

/// Reads until `buf` is full or the stream ends; returns the bytes read.
pub(crate) fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Turns a decompression-side I/O error into the error it stands for.
fn classify(ctx: &LayerSource, format: Compression, e: io::Error) -> ArtifactError {
    ArtifactError::from_decode_io(&ctx.image, &ctx.blob_digest, format, e)
}

impl Read for LayerStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.pos == self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Msg::Data(chunk)) => {
                    if let Some(h) = &mut self.diff {
                        h.update(&chunk);
                    }
                    let spent = std::mem::replace(&mut self.chunk, chunk);
                    if spent.capacity() > 0 {
                        // The thread may have finished; a spent chunk is then simply dropped.
                        let _ = self.recycle.send(spent);
                    }
                    self.pos = 0;
                }
                Ok(Msg::End(blob)) => {
                    self.done = true;
                    self.finish(blob).map_err(ArtifactError::into_io)?;
                    return Ok(0);
                }
                Ok(Msg::Failed(err)) => {
                    self.done = true;
                    return Err(err.into_io());
                }
                Err(mpsc::RecvError) => {
                    self.done = true;
                    return Err(ArtifactError::LayerIo {
                        image: self.ctx.image.to_string(),
                        layer: self.ctx.blob_digest.clone(),
                        path: self.ctx.location.file.to_path_buf(),
                        err: io::Error::other("the decompressing thread stopped unexpectedly"),
                    }
                    .into_io());
                }
            }
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Every gzip backend compiled in.
    fn backends() -> Vec<GzipBackend> {
        vec![
            #[cfg(atalaia_isal)]
            GzipBackend::Isal,
            GzipBackend::ZlibRs,
        ]
    }

    fn decode(blob: &[u8], backend: GzipBackend) -> io::Result<Vec<u8>> {
        let mut d = Decoder::gzip(BufReader::with_capacity(64 << 10, blob), backend)?;
        let mut out = Vec::new();
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = read_full(&mut d, &mut buf)?;
            out.extend_from_slice(&buf[..n]);
            if n < buf.len() {
                return Ok(out);
            }
        }
    }

    fn gzip(data: &[u8], level: u32) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn ci_builds_with_isa_l() {
        // CI installs libisal-dev (.ci/deps/inflate.sh): a build there without ISA-L would be the
        // slow path unnoticed.
        if std::env::var_os("CI").is_some() {
            assert_eq!(GzipBackend::DEFAULT.name(), "isa-l", "built without ISA-L");
        } else if GzipBackend::DEFAULT.name() != "isa-l" {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("note: built without ISA-L (libisal-dev); only zlib-rs is tested");
            }
        }
        assert_eq!(crate::gzip_backend(), GzipBackend::DEFAULT.name());
    }

    /// Both backends give the same bytes for every gzip layer blob of the corpus.
    #[test]
    fn backends_agree_on_the_corpus_layers() {
        let blobs = atalaia_test::corpus_dir().join("oci/blobs/sha256");
        let mut seen = 0;
        let mut names: Vec<_> = std::fs::read_dir(&blobs)
            .unwrap_or_else(|e| panic!("{}: {e}", blobs.display()))
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for path in names {
            let blob = std::fs::read(&path).unwrap();
            if sniff(&blob) != Compression::Gzip {
                continue;
            }
            let outs: Vec<Vec<u8>> = backends()
                .into_iter()
                .map(|b| decode(&blob, b).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
                .collect();
            for (b, out) in backends().into_iter().zip(&outs).skip(1) {
                assert!(
                    out == &outs[0],
                    "{}: {} and {} differ",
                    path.display(),
                    b.name(),
                    backends()[0].name()
                );
            }
            // And the bytes are the layer's tar: its first header names an entry.
            assert!(outs[0].len() >= 1024 && outs[0].len() % 512 == 0);
            seen += 1;
        }
        assert!(seen >= 10, "only {seen} gzip blobs in the corpus");
    }

    /// Concatenated gzip members (with empty members among them, at several compression levels),
    /// and damaged streams: the same bytes or the same kind of error from every backend.
    #[test]
    fn backends_agree_on_members_and_damage() {
        let a: Vec<u8> = (0..200_000u32)
            .map(|i| {
                if i % 5 == 0 {
                    (i * 31 % 256) as u8
                } else {
                    b"etc/apt/"[i as usize % 8]
                }
            })
            .collect();
        let mut multi = gzip(&a, 6);
        multi.extend(gzip(b"", 1));
        multi.extend(gzip(&a[..12_345], 0));
        multi.extend(gzip(&a[7..], 9));
        let mut want = a.clone();
        want.extend_from_slice(&a[..12_345]);
        want.extend_from_slice(&a[7..]);
        for b in backends() {
            assert_eq!(decode(&multi, b).unwrap(), want, "{}", b.name());
        }
        let mut cases: Vec<(&str, Vec<u8>)> = vec![
            ("truncated in the data", multi[..multi.len() / 3].to_vec()),
            ("truncated in a trailer", multi[..multi.len() - 3].to_vec()),
            ("empty", Vec::new()),
        ];
        let mut junk = multi.clone();
        junk.extend_from_slice(b"not another member");
        cases.push(("trailing junk", junk));
        let mut crc = gzip(&a, 6);
        let n = crc.len();
        crc[n - 6] ^= 0x40;
        cases.push(("bad CRC", crc));
        let mut garbage = gzip(&a, 6);
        for x in &mut garbage[10..n - 8] {
            *x = 0xff;
        }
        cases.push(("garbage deflate data", garbage));
        // What `classify` makes of the error: truncated (UnexpectedEof) or corrupt (anything else).
        for (what, blob) in &cases {
            let truncated: Vec<bool> = backends()
                .into_iter()
                .map(|b| match decode(blob, b) {
                    Ok(_) => panic!("{what}: {} accepted it", b.name()),
                    Err(e) => e.kind() == io::ErrorKind::UnexpectedEof,
                })
                .collect();
            let want = what.starts_with("truncated") || *what == "empty";
            assert!(
                truncated.iter().all(|t| *t == want),
                "{what}: {truncated:?}"
            );
        }
    }
}
