//! Edge lists. (Being written: see the module owner.)
use crate::{DatasetBuilder, Diagnostics, Input, Result};
/// Edge-list options.
#[derive(Debug, Clone, Default)]
pub struct EdgeListOptions {}
/// Reads an edge list.
pub fn read(_i: &mut Input, _o: &EdgeListOptions, _b: &mut DatasetBuilder, _d: &mut Diagnostics) -> Result<()> { Err(crate::Error::InvalidArgument("edgelist reader not built yet".into())) }
/// Whether the bytes look like an edge list.
pub fn sniff(_h: &[u8]) -> bool { false }
