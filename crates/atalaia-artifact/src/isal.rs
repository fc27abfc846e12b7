//! gzip decompression with ISA-L (Intel's Intelligent Storage Acceleration Library, the inflater
//! of the `igzip` tool), through the small C shim in `csrc/isal_shim.c`.
//!
//! ISA-L's streaming `isal_inflate` with `ISAL_GZIP` parses each member's header, inflates it and
//! checks the CRC-32 and length trailer; at the end of a member it stops exactly after the
//! trailer, so [`IsalGzDecoder`] resets it and goes on with the next member, like
//! `flate2::bufread::MultiGzDecoder` (the zlib-rs path) does: the two give the same bytes and fail
//! on the same inputs (bytes after the last member that are not another gzip member are an error in
//! both). Memory is bounded: ISA-L keeps its window inside its state (about 90 KiB) and writes only
//! into the buffer it is given.
//!
//! This is the only module of the crate with `unsafe` code: the FFI calls, each with its safety
//! argument.
#![allow(unsafe_code)]

use std::ffi::c_int;
use std::io::{self, BufRead, Read};
use std::ptr::NonNull;

/// `struct inflate_state`, only ever behind a pointer the shim allocated.
#[repr(C)]
struct RawState {
    _opaque: [u8; 0],
}

extern "C" {
    fn atalaia_isal_new() -> *mut RawState;
    fn atalaia_isal_free(s: *mut RawState);
    fn atalaia_isal_reset(s: *mut RawState);
    fn atalaia_isal_inflate(
        s: *mut RawState,
        input: *const u8,
        in_len: *mut usize,
        out: *mut u8,
        out_len: *mut usize,
        finished: *mut c_int,
    ) -> c_int;
}

/// One ISA-L inflate state (owned; freed on drop).
struct Inflater(NonNull<RawState>);

// SAFETY: the state is plain memory owned by this value, used by one thread at a time (`&mut`).
unsafe impl Send for Inflater {}

impl Drop for Inflater {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `atalaia_isal_new` and is freed exactly once, here.
        unsafe { atalaia_isal_free(self.0.as_ptr()) }
    }
}

/// What one call to [`Inflater::inflate`] did.
struct Step {
    consumed: usize,
    written: usize,
    finished: bool,
}

impl Inflater {
    fn new() -> io::Result<Inflater> {
        // SAFETY: no arguments; returns a fresh initialised state or NULL.
        let p = unsafe { atalaia_isal_new() };
        NonNull::new(p)
            .map(Inflater)
            .ok_or_else(|| io::Error::new(io::ErrorKind::OutOfMemory, "ISA-L inflate state"))
    }

    fn reset(&mut self) {
        // SAFETY: a valid state owned by `self`.
        unsafe { atalaia_isal_reset(self.0.as_ptr()) }
    }

    /// Inflates from `input` into `out`; ISA-L's negative error code on corrupt data.
    fn inflate(&mut self, input: &[u8], out: &mut [u8]) -> Result<Step, c_int> {
        // ISA-L counts in u32.
        let mut in_len = input.len().min(u32::MAX as usize);
        let mut out_len = out.len().min(u32::MAX as usize);
        let mut finished: c_int = 0;
        // SAFETY: `input` is readable for `in_len` bytes and `out` writable for `out_len` bytes
        // for the duration of the call; the shim clears its pointers to them before returning,
        // so the state keeps no reference to either. The out-parameters are valid locals.
        let ret = unsafe {
            atalaia_isal_inflate(
                self.0.as_ptr(),
                input.as_ptr(),
                &mut in_len,
                out.as_mut_ptr(),
                &mut out_len,
                &mut finished,
            )
        };
        if ret < 0 {
            return Err(ret);
        }
        Ok(Step {
            consumed: in_len.min(input.len()),
            written: out_len.min(out.len()),
            finished: finished != 0,
        })
    }
}

/// Where the decoder is in the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Inside a member (or about to read the first one).
    Member,
    /// A member ended; another one starts if there is more input.
    Between,
    /// The input ended after a complete member.
    Done,
}

/// A multi-member gzip decoder over a buffered reader, with ISA-L.
pub(crate) struct IsalGzDecoder<R> {
    inner: R,
    state: Inflater,
    phase: Phase,
}

impl<R: BufRead> IsalGzDecoder<R> {
    pub(crate) fn new(inner: R) -> io::Result<Self> {
        Ok(IsalGzDecoder {
            inner,
            state: Inflater::new()?,
            phase: Phase::Member,
        })
    }

    pub(crate) fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }
}

/// The meaning of ISA-L's error codes (igzip_lib.h), as an `InvalidData` error.
fn isal_error(code: c_int) -> io::Error {
    let what = match code {
        -1 => "invalid deflate block",
        -2 => "invalid deflate symbol",
        -3 => "invalid deflate back-reference distance",
        -4 => "invalid gzip header",
        -5 => "gzip header names a compression method other than deflate",
        -6 => "gzip CRC-32 or length check failed (corrupt data)",
        _ => "corrupt gzip stream",
    };
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{what} (ISA-L inflate error {code})"),
    )
}

impl<R: BufRead> Read for IsalGzDecoder<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            match self.phase {
                Phase::Done => return Ok(0),
                Phase::Between => {
                    if self.inner.fill_buf()?.is_empty() {
                        self.phase = Phase::Done;
                        return Ok(0);
                    }
                    // More bytes: they must be another member (ISA-L checks the header).
                    self.state.reset();
                    self.phase = Phase::Member;
                }
                Phase::Member => {
                    let input = self.inner.fill_buf()?;
                    let eof = input.is_empty();
                    let step = self.state.inflate(input, out).map_err(isal_error)?;
                    self.inner.consume(step.consumed);
                    if step.finished {
                        self.phase = Phase::Between;
                    }
                    if step.written > 0 {
                        return Ok(step.written);
                    }
                    if step.finished {
                        continue;
                    }
                    if eof {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "gzip stream ends before the end of its last member",
                        ));
                    }
                    if step.consumed == 0 {
                        // Input and output space but no progress: never seen, but never spin.
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "ISA-L inflate made no progress",
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8], level: u32) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn data(n: usize) -> Vec<u8> {
        // Compressible but not trivial: text-like runs with a pseudo-random walk.
        let mut x = 0x2545_f491_u32;
        (0..n)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                if i % 7 == 0 {
                    (x % 251) as u8
                } else {
                    b"tar entry usr/lib/x86_64-linux-gnu/"[i % 35]
                }
            })
            .collect()
    }

    fn isal_all(blob: &[u8], read_size: usize, buf_cap: usize) -> io::Result<Vec<u8>> {
        let mut d = IsalGzDecoder::new(io::BufReader::with_capacity(buf_cap, blob))?;
        let mut out = Vec::new();
        let mut buf = vec![0u8; read_size];
        loop {
            let n = d.read(&mut buf)?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn round_trips_with_any_buffer_sizes() {
        let plain = data(300_000);
        for level in [0, 1, 6, 9] {
            let blob = gzip(&plain, level);
            for (read, cap) in [(1, 1), (7, 13), (4096, 512), (1 << 20, 1 << 18)] {
                assert_eq!(
                    isal_all(&blob, read, cap).unwrap(),
                    plain,
                    "level {level} read {read} cap {cap}"
                );
            }
        }
    }

    #[test]
    fn empty_member_and_concatenated_members() {
        let a = data(70_000);
        let mut blob = gzip(b"", 6);
        blob.extend(gzip(&a, 1));
        blob.extend(gzip(b"", 9));
        blob.extend(gzip(&a[..1000], 9));
        let mut want = a.clone();
        want.extend_from_slice(&a[..1000]);
        assert_eq!(isal_all(&blob, 8192, 4096).unwrap(), want);
        assert_eq!(isal_all(&blob, 3, 5).unwrap(), want);
    }

    #[test]
    fn truncation_is_unexpected_eof() {
        let blob = gzip(&data(100_000), 6);
        for cut in [
            1,
            2,
            9,
            10,
            11,
            blob.len() / 2,
            blob.len() - 8,
            blob.len() - 1,
        ] {
            let e = isal_all(&blob[..cut], 4096, 4096).expect_err("truncated");
            assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof, "cut {cut}: {e}");
        }
        // An empty stream is not a gzip stream either.
        let e = isal_all(b"", 4096, 4096).expect_err("empty");
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn corruption_is_invalid_data() {
        let plain = data(100_000);
        let blob = gzip(&plain, 6);
        // Wrong CRC in the trailer.
        let mut bad = blob.clone();
        let n = bad.len();
        bad[n - 8] ^= 1;
        let e = isal_all(&bad, 4096, 4096).expect_err("crc");
        assert_eq!(e.kind(), io::ErrorKind::InvalidData, "{e}");
        assert!(e.to_string().contains("CRC-32"), "{e}");
        // Wrong length in the trailer.
        let mut bad = blob.clone();
        bad[n - 1] ^= 1;
        assert_eq!(
            isal_all(&bad, 4096, 4096).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        // Not a gzip header.
        let mut bad = blob.clone();
        bad[0] = b'x';
        assert_eq!(
            isal_all(&bad, 4096, 4096).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        // Garbage deflate data.
        let mut bad = blob.clone();
        for b in &mut bad[10..n - 8] {
            *b = 0xff;
        }
        assert_eq!(
            isal_all(&bad, 4096, 4096).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        // Bytes after the last member that are not a gzip member.
        let mut bad = blob.clone();
        bad.extend_from_slice(b"trailing junk, not gzip");
        assert_eq!(
            isal_all(&bad, 4096, 4096).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
    }
}
