#![no_main]
//! Fuzzes the Stack Exchange dump reader: one dump file (picked by the
//! first byte) in strict and lenient mode, then its mapping to the model
//! (see `stackexchange_check.rs`).

use libfuzzer_sys::fuzz_target;

#[path = "stackexchange_check.rs"]
mod stackexchange_check;

fuzz_target!(|data: &[u8]| {
    stackexchange_check::check(data);
});
