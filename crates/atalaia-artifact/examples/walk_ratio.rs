//! Measures a full verified walk of every layer of an image against plain decompression of the
//! same blobs (the floor): `cargo run --release --example walk_ratio -- LAYOUT_DIR[:REF]` (OCI
//! layout directories only: the floor reads `blobs/sha256/` directly). With `--skim-only` as the
//! second argument it only walks every layer (in parallel, reading no file), to be timed with
//! `/usr/bin/time` against `igzip -dc` of the same blobs.
#![allow(clippy::print_stdout)]

use std::io::Read;
use std::time::Instant;

use atalaia_artifact::{open_image, ArtifactError, ImageSelector, Limits};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let input = std::env::args()
        .nth(1)
        .ok_or("usage: walk_ratio PATH[:REF]")?;
    let img = open_image(&input, &ImageSelector::default())?;
    if std::env::args().nth(2).as_deref() == Some("--skim-only") {
        // Only the verified walk that reads no file, every layer on its own thread (as the
        // analyzers run them): time the process to see the CPU cost of the read path alone.
        let start = Instant::now();
        std::thread::scope(|s| {
            let walks: Vec<_> = img
                .layers
                .iter()
                .map(|layer| s.spawn(move || layer.walk(&Limits::default(), &mut |_| Ok(()))))
                .collect();
            for w in walks {
                match w.join() {
                    Ok(r) => r.map(drop)?,
                    Err(_) => return Err("walk thread panicked".into()),
                }
            }
            Ok::<(), Box<dyn std::error::Error>>(())
        })?;
        println!(
            "verified walk, no file read, layers in parallel: {:?}",
            start.elapsed()
        );
        return Ok(());
    }

    // Floor: decompress each blob with the same decoders, no hashing, no tar parsing.
    let start = Instant::now();
    let mut plain_bytes = 0u64;
    for l in &img.metadata.layers {
        let path = std::path::Path::new(&input.split(':').next().unwrap_or(&input))
            .join("blobs/sha256")
            .join(l.digest.hex());
        let f = std::io::BufReader::with_capacity(256 * 1024, std::fs::File::open(&path)?);
        let mut r: Box<dyn Read> = if l.digest == l.diff_id {
            Box::new(f)
        } else if img
            .layers
            .iter()
            .any(|x| x.info.digest == l.digest && x.media_type.ends_with("zstd"))
        {
            Box::new(zstd::stream::read::Decoder::with_buffer(f)?)
        } else {
            Box::new(flate2::bufread::MultiGzDecoder::new(f))
        };
        plain_bytes += std::io::copy(&mut r, &mut std::io::sink())?;
    }
    let plain = start.elapsed();

    // Full walk: verify digests, parse tar, read every file whole (as a worst-case visitor).
    let start = Instant::now();
    let mut walked = 0u64;
    let mut files = 0u64;
    for layer in &img.layers {
        let stats = layer.walk(&Limits::default(), &mut |e| {
            files += 1;
            std::io::copy(e.reader, &mut std::io::sink())
                .map(drop)
                .map_err(|err| ArtifactError::Visit {
                    path: e.path.to_owned(),
                    err: Box::new(err),
                })
        })?;
        walked += stats.bytes;
    }
    let walk = start.elapsed();

    // Walk where the visitor reads nothing (most files are skipped by analyzers).
    let start = Instant::now();
    for layer in &img.layers {
        layer.walk(&Limits::default(), &mut |_| Ok(()))?;
    }
    let skim = start.elapsed();

    println!(
        "layers: {}, decompressed bytes: {plain_bytes} (walk saw {walked}), entries: {files}",
        img.layers.len()
    );
    println!("plain decompression: {:?}", plain);
    println!(
        "verified walk, all files read: {:?} (ratio {:.2})",
        walk,
        walk.as_secs_f64() / plain.as_secs_f64()
    );
    println!(
        "verified walk, no file read:   {:?} (ratio {:.2})",
        skim,
        skim.as_secs_f64() / plain.as_secs_f64()
    );
    Ok(())
}
