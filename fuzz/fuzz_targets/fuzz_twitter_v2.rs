#![no_main]
//! Fuzzes the `twitter-v2` reader through `portevoix_ingest::load_bytes` in
//! strict and lenient mode, and the canonical round trip of what it reads
//! (see `social_check.rs`).

use libfuzzer_sys::fuzz_target;
use portevoix_ingest::FormatKind;

#[path = "social_check.rs"]
mod social_check;

fuzz_target!(|data: &[u8]| {
    social_check::check(data, FormatKind::TwitterV2);
});
