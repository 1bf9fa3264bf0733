//! Twitter API v2. (Being written.)
use crate::{DatasetBuilder, Diagnostics, Input, Result};
/// Reads Twitter API v2 JSON.
pub fn read(_i: &mut Input, _b: &mut DatasetBuilder, _d: &mut Diagnostics) -> Result<()> { Err(crate::Error::InvalidArgument("twitter-v2 reader not built yet".into())) }
/// Whether the bytes look like Twitter API v2 JSON.
pub fn sniff(_h: &[u8]) -> bool { false }
