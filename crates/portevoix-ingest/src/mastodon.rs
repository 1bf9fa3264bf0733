//! Mastodon statuses. (Being written.)
use crate::{DatasetBuilder, Diagnostics, Input, Result};
/// Reads Mastodon statuses.
pub fn read(_i: &mut Input, _b: &mut DatasetBuilder, _d: &mut Diagnostics) -> Result<()> { Err(crate::Error::InvalidArgument("mastodon reader not built yet".into())) }
/// Whether the bytes look like Mastodon statuses.
pub fn sniff(_h: &[u8]) -> bool { false }
