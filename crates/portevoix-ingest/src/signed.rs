//! Signed ratings. (Being written.)
use crate::{DatasetBuilder, Diagnostics, Input, Result};
/// Signed-rating options.
#[derive(Debug, Clone, Default)]
pub struct SignedOptions {}
/// Reads signed ratings.
pub fn read(_i: &mut Input, _o: &SignedOptions, _b: &mut DatasetBuilder, _d: &mut Diagnostics) -> Result<()> { Err(crate::Error::InvalidArgument("signed reader not built yet".into())) }
/// Whether the bytes look like signed ratings.
pub fn sniff(_h: &[u8]) -> bool { false }
