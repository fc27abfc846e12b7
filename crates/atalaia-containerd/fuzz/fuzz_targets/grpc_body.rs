//! Any bytes as a gRPC response body from containerd, split at any chunk size: framing and
//! protobuf errors must come back as errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&chunk, body)) = data.split_first() else {
        return;
    };
    let _ = atalaia_containerd::fuzzing::grpc_body(body, usize::from(chunk));
});
