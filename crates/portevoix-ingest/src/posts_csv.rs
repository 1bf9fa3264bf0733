//! Posts CSV. (Being written.)
use crate::{DatasetBuilder, Diagnostics, Input, Result};
/// Posts-CSV options.
#[derive(Debug, Clone, Default)]
pub struct PostsCsvOptions {}
/// Reads a posts CSV.
pub fn read(_i: &mut Input, _o: &PostsCsvOptions, _b: &mut DatasetBuilder, _d: &mut Diagnostics) -> Result<()> { Err(crate::Error::InvalidArgument("posts-csv reader not built yet".into())) }
/// Whether the bytes look like a posts CSV.
pub fn sniff(_h: &[u8]) -> bool { false }
