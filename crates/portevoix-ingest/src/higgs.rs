//! Higgs activity log. (Being written.)
use crate::{DatasetBuilder, Diagnostics, Input, Result};
/// Reads the Higgs activity log.
pub fn read(_i: &mut Input, _b: &mut DatasetBuilder, _d: &mut Diagnostics) -> Result<()> { Err(crate::Error::InvalidArgument("higgs reader not built yet".into())) }
/// Whether the bytes look like the Higgs activity log.
pub fn sniff(_h: &[u8]) -> bool { false }
