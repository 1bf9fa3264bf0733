//! Canonical format. (Being written.)
use crate::{DatasetBuilder, Diagnostics, Input, Result};
/// Reads the canonical format.
pub fn read(_i: &mut Input, _b: &mut DatasetBuilder, _d: &mut Diagnostics) -> Result<()> { Err(crate::Error::InvalidArgument("canonical reader not built yet".into())) }
/// Whether the bytes look like the canonical format.
pub fn sniff(_h: &[u8]) -> bool { false }
