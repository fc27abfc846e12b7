//! `bench-inflate [--par] FILE...`: gzip-decompress each FILE with flate2 + zlib-rs (the
//! inflater atalaia falls back to without ISA-L) and discard the output; with `--par`, one thread
//! per file. Prints the uncompressed byte count of each file to stderr. Exit 1 on any error.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::process::ExitCode;
use std::thread;

fn inflate(path: &str) -> io::Result<u64> {
    let file = File::open(path)?;
    let mut dec = flate2::bufread::MultiGzDecoder::new(BufReader::with_capacity(1 << 20, file));
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = dec.read(&mut buf)?;
        if n == 0 {
            return Ok(total);
        }
        total += n as u64;
    }
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let par = args.first().is_some_and(|a| a == "--par");
    if par {
        args.remove(0);
    }
    if args.is_empty() {
        eprintln!("usage: bench-inflate [--par] FILE...");
        return ExitCode::from(2);
    }
    let results: Vec<(String, io::Result<u64>)> = if par {
        let handles: Vec<_> = args
            .into_iter()
            .map(|p| {
                thread::spawn(move || {
                    let r = inflate(&p);
                    (p, r)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    (String::from("?"), Err(io::Error::other("thread panicked")))
                })
            })
            .collect()
    } else {
        args.into_iter()
            .map(|p| {
                let r = inflate(&p);
                (p, r)
            })
            .collect()
    };
    let mut ok = true;
    for (path, r) in results {
        match r {
            Ok(n) => eprintln!("{path}: {n} bytes"),
            Err(e) => {
                eprintln!("{path}: {e}");
                ok = false;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
