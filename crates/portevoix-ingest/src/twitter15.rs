//! Twitter15 trees. (Being written.)
use crate::{DatasetBuilder, Diagnostics, Input, Result};
use std::path::Path;
/// Twitter15 options.
#[derive(Debug, Clone, Default)]
pub struct Twitter15Options {}
/// Reads one tree file.
pub fn read(_i: &mut Input, _o: &Twitter15Options, _b: &mut DatasetBuilder, _d: &mut Diagnostics) -> Result<()> { Err(crate::Error::InvalidArgument("twitter15 reader not built yet".into())) }
/// Reads a Twitter15/16 directory.
pub fn read_dir(_p: &Path, _o: &Twitter15Options, _b: &mut DatasetBuilder) -> Result<()> { Err(crate::Error::InvalidArgument("twitter15 reader not built yet".into())) }
/// Whether a directory is a tree directory.
pub fn is_tree_dir(_p: &Path) -> bool { false }
/// Whether the bytes look like a tree file.
pub fn sniff(_h: &[u8]) -> bool { false }
