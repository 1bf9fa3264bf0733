#![no_main]
//! Fuzzes the text stage: analyser, VADER (English and French), target
//! sentiment and the topic reader (see `text_check.rs`).

use libfuzzer_sys::fuzz_target;

#[path = "text_check.rs"]
mod text_check;

fuzz_target!(|data: &[u8]| {
    text_check::check(data);
});
