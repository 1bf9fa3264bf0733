//! Dense account ids and the interner that maps external ids to them.

mod bulk;

use hashbrown::HashTable;
use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::hash::{Hash, Hasher};

/// Dense id of an account inside one dataset: `0..n` in order of first
/// appearance of its external id. Every CSR, signal column and score vector
/// is indexed by it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The id as a `usize` index.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// The interner is full: a dataset holds at most `u32::MAX - 1` accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many distinct accounts: the dense id space holds at most {} accounts", u32::MAX - 1)]
pub struct InternerFull;

/// An external id as stored by the [`Interner`]: either a canonical decimal
/// number (stored as `u64`, no allocation) or any other string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalId<'a> {
    /// A canonical decimal number (no sign, no leading zero).
    Numeric(u64),
    /// Any other id, e.g. a handle or a Mastodon account URI.
    Text(&'a str),
}

/// The order of ties everywhere in Porte-voix (ranks, CSV rows, reports):
/// numeric ids by value (`9` before `10`), then text ids by their bytes.
/// The dense [`NodeId`] order (first appearance) is not used for ties, so
/// that a ranking does not depend on the order of the inputs.
impl Ord for ExternalId<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            (ExternalId::Numeric(a), ExternalId::Numeric(b)) => a.cmp(b),
            (ExternalId::Numeric(_), ExternalId::Text(_)) => std::cmp::Ordering::Less,
            (ExternalId::Text(_), ExternalId::Numeric(_)) => std::cmp::Ordering::Greater,
            (ExternalId::Text(a), ExternalId::Text(b)) => a.as_bytes().cmp(b.as_bytes()),
        }
    }
}

impl PartialOrd for ExternalId<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for ExternalId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExternalId::Numeric(v) => write!(f, "{v}"),
            ExternalId::Text(s) => f.write_str(s),
        }
    }
}

/// Parses `s` as a canonical decimal `u64`: ASCII digits only, no sign and no
/// leading zero (so that `"007"` stays a distinct string id and every
/// numeric id prints back to exactly the bytes it was read from).
#[inline]
pub fn canonical_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 20 || (s.len() > 1 && s[0] == b'0') {
        return None;
    }
    let mut v: u64 = 0;
    for &b in s {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(d as u64)?;
    }
    Some(v)
}

/// Numeric ids are looked up in a direct array while they are dense enough
/// (SNAP and Graph500 ids are `0..n`); past that bound, in a hash table.
const DENSE_MIN_SPAN: u64 = 1 << 24;
const DENSE_FACTOR: u64 = 8;
/// A `dense` slot of a value never interned. Slots hold the dense id + 1,
/// so that a fresh table is all zeros: the allocator hands out zeroed pages
/// lazily, and only the pages of values present are ever touched.
const ABSENT: u32 = 0;

#[derive(Debug, Clone)]
enum Repr {
    /// Every id so far was a canonical number.
    Numeric {
        values: Vec<u64>,
        /// `dense[v]` is the dense id of external `v` plus one, or `ABSENT`.
        dense: Option<Vec<u32>>,
        /// Used once the values are too sparse for `dense`.
        sparse: HashTable<u32>,
    },
    /// At least one id was not a canonical number: all ids are strings.
    Text {
        /// All names concatenated; name `i` is `arena[ends[i-1]..ends[i]]`.
        arena: String,
        ends: Vec<usize>,
        index: HashTable<u32>,
    },
}

/// Maps external account ids (numeric or string) to dense [`NodeId`]s in
/// order of first appearance, and back.
///
/// Numeric ids take a fast path (a direct array while ids are dense, as in
/// SNAP files), so that interning 30 million endpoints costs tens of
/// milliseconds. As soon as one non-numeric id appears, the interner switches
/// to string storage, keeping every id already assigned.
///
/// ```
/// use portevoix_core::Interner;
/// let mut ids = Interner::new();
/// let a = ids.intern("42").unwrap();
/// let b = ids.intern("alice").unwrap();
/// assert_eq!(ids.intern_u64(42).unwrap(), a);
/// assert_eq!(ids.get("alice"), Some(b));
/// assert_eq!(ids.name(a).to_string(), "42");
/// ```
#[derive(Debug, Clone)]
pub struct Interner {
    repr: Repr,
}

impl Default for Interner {
    fn default() -> Self {
        Interner::new()
    }
}

fn fx_hash<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = FxHasher::default();
    v.hash(&mut h);
    h.finish()
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Interner {
        Interner {
            repr: Repr::Numeric {
                values: Vec::new(),
                dense: Some(Vec::new()),
                sparse: HashTable::new(),
            },
        }
    }

    /// Number of distinct ids interned.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Numeric { values, .. } => values.len(),
            Repr::Text { ends, .. } => ends.len(),
        }
    }

    /// Whether no id was interned.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every id so far is numeric.
    pub fn is_numeric(&self) -> bool {
        matches!(self.repr, Repr::Numeric { .. })
    }

    /// Approximate heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        match &self.repr {
            Repr::Numeric {
                values,
                dense,
                sparse,
            } => {
                values.capacity() * 8
                    + dense.as_ref().map_or(0, |d| d.capacity() * 4)
                    + sparse.capacity() * 5
            }
            Repr::Text { arena, ends, index } => {
                arena.capacity() + ends.capacity() * 8 + index.capacity() * 5
            }
        }
    }

    /// Interns an id given as text. Canonical decimal numbers are stored as
    /// numbers; anything else as a string.
    pub fn intern(&mut self, id: &str) -> Result<NodeId, InternerFull> {
        if let Some(v) = canonical_u64(id.as_bytes()) {
            if self.is_numeric() {
                return self.intern_u64(v);
            }
        }
        self.intern_text(id)
    }

    /// Interns a numeric id.
    #[inline]
    pub fn intern_u64(&mut self, v: u64) -> Result<NodeId, InternerFull> {
        match &mut self.repr {
            Repr::Numeric {
                values,
                dense,
                sparse,
            } => {
                if let Some(d) = dense {
                    if (v as usize) < d.len() {
                        let slot = d[v as usize];
                        if slot != ABSENT {
                            return Ok(NodeId(slot - 1));
                        }
                        let id = next_id(values.len())?;
                        d[v as usize] = id + 1;
                        values.push(v);
                        return Ok(NodeId(id));
                    }
                    let bound = DENSE_MIN_SPAN.max(DENSE_FACTOR * (values.len() as u64 + 1));
                    if v < bound {
                        let new_len = ((v + 1).max(d.len() as u64 * 2)).min(bound) as usize;
                        d.resize(new_len, ABSENT);
                        let id = next_id(values.len())?;
                        d[v as usize] = id + 1;
                        values.push(v);
                        return Ok(NodeId(id));
                    }
                    // Too sparse for a direct array: move to the hash table.
                    *dense = None;
                    sparse.reserve(values.len(), |&i| fx_hash(&values[i as usize]));
                    for (i, &x) in values.iter().enumerate() {
                        sparse.insert_unique(fx_hash(&x), i as u32, |&j| {
                            fx_hash(&values[j as usize])
                        });
                    }
                }
                let h = fx_hash(&v);
                if let Some(&i) = sparse.find(h, |&i| values[i as usize] == v) {
                    return Ok(NodeId(i));
                }
                let id = next_id(values.len())?;
                values.push(v);
                sparse.insert_unique(h, id, |&j| fx_hash(&values[j as usize]));
                Ok(NodeId(id))
            }
            Repr::Text { .. } => {
                let text = v.to_string();
                self.intern_text(&text)
            }
        }
    }

    fn intern_text(&mut self, id: &str) -> Result<NodeId, InternerFull> {
        self.switch_to_text();
        let Repr::Text { arena, ends, index } = &mut self.repr else {
            unreachable!("switch_to_text switched the representation")
        };
        let h = fx_hash(id);
        let found = index.find(h, |&i| text_at(arena, ends, i) == id);
        if let Some(&i) = found {
            return Ok(NodeId(i));
        }
        let new = next_id(ends.len())?;
        arena.push_str(id);
        ends.push(arena.len());
        let (arena, ends) = (&*arena, &*ends);
        index.insert_unique(h, new, |&j| fx_hash(text_at(arena, ends, j)));
        Ok(NodeId(new))
    }

    /// Switches to string storage, keeping every assigned id.
    fn switch_to_text(&mut self) {
        if let Repr::Numeric { values, .. } = &self.repr {
            let mut arena = String::with_capacity(values.len() * 8);
            let mut ends = Vec::with_capacity(values.len());
            let mut index = HashTable::with_capacity(values.len());
            for (i, v) in values.iter().enumerate() {
                use std::fmt::Write;
                let start = arena.len();
                let _ = write!(arena, "{v}");
                ends.push(arena.len());
                index.insert_unique(fx_hash(&arena[start..]), i as u32, |_: &u32| {
                    unreachable!("capacity reserved")
                });
            }
            self.repr = Repr::Text { arena, ends, index };
        }
    }

    /// Looks an id up without interning it.
    pub fn get(&self, id: &str) -> Option<NodeId> {
        match &self.repr {
            Repr::Numeric { .. } => canonical_u64(id.as_bytes()).and_then(|v| self.get_u64(v)),
            Repr::Text { arena, ends, index } => index
                .find(fx_hash(id), |&i| text_at(arena, ends, i) == id)
                .map(|&i| NodeId(i)),
        }
    }

    /// Looks a numeric id up without interning it.
    pub fn get_u64(&self, v: u64) -> Option<NodeId> {
        match &self.repr {
            Repr::Numeric {
                values,
                dense,
                sparse,
            } => match dense {
                Some(d) => d
                    .get(v as usize)
                    .copied()
                    .filter(|&s| s != ABSENT)
                    .map(|s| NodeId(s - 1)),
                None => sparse
                    .find(fx_hash(&v), |&i| values[i as usize] == v)
                    .map(|&i| NodeId(i)),
            },
            Repr::Text { .. } => self.get(&v.to_string()),
        }
    }

    /// The external id of a dense id. Panics if `id` was not produced by this
    /// interner (a programming error, never an input error).
    pub fn name(&self, id: NodeId) -> ExternalId<'_> {
        match &self.repr {
            Repr::Numeric { values, .. } => ExternalId::Numeric(values[id.index()]),
            Repr::Text { arena, ends, .. } => ExternalId::Text(text_at(arena, ends, id.0)),
        }
    }

    /// The external id of a dense id, or `None` if it is out of range.
    pub fn try_name(&self, id: NodeId) -> Option<ExternalId<'_>> {
        (id.index() < self.len()).then(|| self.name(id))
    }

    /// Iterates over `(NodeId, external id)` in dense-id order.
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, ExternalId<'_>)> + '_ {
        (0..self.len() as u32).map(move |i| (NodeId(i), self.name(NodeId(i))))
    }
}

#[inline]
fn next_id(len: usize) -> Result<u32, InternerFull> {
    if len >= (u32::MAX - 1) as usize {
        Err(InternerFull)
    } else {
        Ok(len as u32)
    }
}

#[inline]
fn text_at<'a>(arena: &'a str, ends: &[usize], i: u32) -> &'a str {
    let i = i as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] };
    &arena[start..ends[i]]
}

#[cfg(test)]
mod tests {

    #[test]
    fn ties_order_numbers_by_value_then_text() {
        let mut ids = [
            ExternalId::Text("bob"),
            ExternalId::Numeric(10),
            ExternalId::Text("007"),
            ExternalId::Numeric(9),
            ExternalId::Text("Ann"),
        ];
        ids.sort();
        let shown: Vec<String> = ids.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["9", "10", "007", "Ann", "bob"]);
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn canonical_numbers_only() {
        assert_eq!(canonical_u64(b"0"), Some(0));
        assert_eq!(canonical_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(canonical_u64(b"18446744073709551616"), None);
        assert_eq!(canonical_u64(b"007"), None);
        assert_eq!(canonical_u64(b"+7"), None);
        assert_eq!(canonical_u64(b""), None);
        assert_eq!(canonical_u64(b"12a"), None);
    }

    #[test]
    fn switches_from_dense_to_sparse_to_text_keeping_ids() {
        let mut ids = Interner::new();
        let a = ids.intern_u64(3).unwrap();
        let b = ids.intern_u64(u64::MAX).unwrap(); // forces sparse
        let c = ids.intern("007").unwrap(); // forces text
        let d = ids.intern_u64(3).unwrap();
        assert_eq!((a.0, b.0, c.0, d.0), (0, 1, 2, 0));
        assert_eq!(ids.name(b).to_string(), u64::MAX.to_string());
        assert_eq!(ids.get("007"), Some(c));
        assert_eq!(ids.get("7"), None);
        assert_eq!(ids.get_u64(3), Some(a));
        assert_eq!(ids.len(), 3);
    }

    proptest! {
        /// The interner agrees with a naive first-appearance map on any mix
        /// of numeric and string ids.
        #[test]
        fn matches_naive_first_appearance(keys in proptest::collection::vec(
            prop_oneof![
                (0u64..64).prop_map(|v| v.to_string()),
                any::<u64>().prop_map(|v| v.to_string()),
                "[a-z0]{1,3}",
            ], 0..200)) {
            let mut ids = Interner::new();
            let mut naive: Vec<String> = Vec::new();
            for k in &keys {
                let got = ids.intern(k).unwrap();
                let want = match naive.iter().position(|n| n == k) {
                    Some(p) => p,
                    None => { naive.push(k.clone()); naive.len() - 1 }
                };
                prop_assert_eq!(got.index(), want);
            }
            prop_assert_eq!(ids.len(), naive.len());
            for (i, n) in naive.iter().enumerate() {
                prop_assert_eq!(ids.name(NodeId(i as u32)).to_string(), n.clone());
                prop_assert_eq!(ids.get(n), Some(NodeId(i as u32)));
            }
        }
    }
}
