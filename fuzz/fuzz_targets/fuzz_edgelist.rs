#![no_main]
//! Fuzzes the `edgelist` reader through `portevoix_ingest::load_bytes` in strict
//! and lenient mode (see `portevoix_fuzz::check`).

use libfuzzer_sys::fuzz_target;
use portevoix_ingest::FormatKind;

fuzz_target!(|data: &[u8]| {
    portevoix_fuzz::check(data, FormatKind::EdgeList);
});
