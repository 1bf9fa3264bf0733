//! A compact open-addressing string table for the per-word lookups of VADER:
//! keys in one arena, a slot array of 64-bit words (32 bits of hash, 32 bits
//! of index) so that most misses are decided without touching the keys.

/// Multiplier of the hash (from the golden ratio, odd).
const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Mixes one little-endian word (zero-padded when short) into the hash.
#[inline]
fn mix(h: u64, w: u64) -> u64 {
    (h ^ w).wrapping_mul(K).rotate_left(31)
}

#[inline]
fn finish(h: u64) -> u64 {
    (h ^ (h >> 32)).wrapping_mul(K)
}

/// A fast, non-cryptographic hash of a short byte string: its length, then
/// its 8-byte little-endian words, the last one zero-padded. Also returns the
/// first word, which the table compares before the bytes.
#[inline]
fn hash(b: &[u8]) -> (u64, u64) {
    let mut h = (b.len() as u64).wrapping_mul(K);
    let mut first = None;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let w = u64::from_le_bytes(w);
        first.get_or_insert(w);
        h = mix(h, w);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = 0u64;
        for (i, &x) in rest.iter().enumerate() {
            w |= (x as u64) << (8 * i);
        }
        first.get_or_insert(w);
        h = mix(h, w);
    }
    (finish(h), first.unwrap_or(0))
}

/// [`hash`] of `buf[a..b]` with whole 8-byte loads (the last one masked)
/// when `buf` has at least 8 bytes from `a` plus the key's length rounded up.
#[inline]
fn hash_padded(buf: &[u8], a: usize, b: usize) -> (u64, u64) {
    let len = b - a;
    if len == 0 || a + len.div_ceil(8) * 8 > buf.len() {
        return hash(&buf[a..b]);
    }
    let load = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&buf[at..at + 8]);
        u64::from_le_bytes(w)
    };
    let mut h = (len as u64).wrapping_mul(K);
    let mut at = a;
    let first = if len > 8 {
        load(a)
    } else {
        load(a) & (u64::MAX >> (64 - 8 * len))
    };
    while b - at > 8 {
        h = mix(h, load(at));
        at += 8;
    }
    let rest = b - at;
    h = mix(h, load(at) & (u64::MAX >> (64 - 8 * rest)));
    (finish(h), first)
}

/// String keys to values of type `V`, built once, read many times.
#[derive(Debug, Clone)]
pub(crate) struct WordTable<V> {
    /// 0 for empty; else (hash high 32 bits) << 32 | (index + 1).
    slots: Vec<u64>,
    /// One bit per key, at 16 bits of its hash: an 8 KiB filter that stays
    /// in the L1 cache and answers most misses without touching `slots`.
    filter: Vec<u64>,
    mask: usize,
    /// Per key: arena offset, length, and first 8 bytes (zero-padded).
    keys: Vec<(u32, u32, u64)>,
    arena: String,
    values: Vec<V>,
}

impl<V: Default> WordTable<V> {
    /// An empty table.
    pub(crate) fn new() -> Self {
        WordTable {
            slots: vec![0; 16],
            filter: vec![0; 1 << 10],
            mask: 15,
            keys: Vec::new(),
            arena: String::new(),
            values: Vec::new(),
        }
    }

    /// The filter bit of hash `h`: (word, bit).
    #[inline]
    fn filter_bit(h: u64) -> (usize, u64) {
        let f = (h >> 16) as usize & 0xFFFF;
        (f >> 6, 1 << (f & 63))
    }

    #[inline]
    fn find(&self, key: &[u8], (h, first): (u64, u64)) -> Result<usize, usize> {
        let tag = h >> 32;
        let mut i = (h as usize) & self.mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return Err(i);
            }
            if slot >> 32 == tag {
                let idx = (slot & 0xFFFF_FFFF) as usize - 1;
                let (off, len, w) = self.keys[idx];
                if len as usize == key.len()
                    && w == first
                    && (key.len() <= 8
                        || self.arena.as_bytes()[off as usize + 8..(off + len) as usize]
                            == key[8..])
                {
                    return Ok(idx);
                }
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The value of `key`, if present.
    #[inline]
    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        let h = hash(key.as_bytes());
        let (w, bit) = Self::filter_bit(h.0);
        if self.filter[w] & bit == 0 {
            return None;
        }
        self.find(key.as_bytes(), h).ok().map(|i| &self.values[i])
    }

    /// The value of the key `buf[a..b]`; faster when 8 bytes follow `a` in `buf`.
    #[inline]
    pub(crate) fn get_in(&self, buf: &[u8], a: usize, b: usize) -> Option<&V> {
        let h = hash_padded(buf, a, b);
        let (w, bit) = Self::filter_bit(h.0);
        if self.filter[w] & bit == 0 {
            return None;
        }
        self.find(&buf[a..b], h).ok().map(|i| &self.values[i])
    }

    /// The value of `key`, inserted with its default first if absent.
    pub(crate) fn entry(&mut self, key: &str) -> &mut V {
        let h = hash(key.as_bytes());
        match self.find(key.as_bytes(), h) {
            Ok(i) => &mut self.values[i],
            Err(_) => {
                if (self.values.len() + 1) * 2 > self.slots.len() {
                    self.grow();
                }
                let slot = self.find(key.as_bytes(), h).expect_err("the key is absent");
                let idx = self.values.len();
                self.keys
                    .push((self.arena.len() as u32, key.len() as u32, h.1));
                self.arena.push_str(key);
                self.values.push(V::default());
                self.slots[slot] = (h.0 >> 32) << 32 | (idx as u64 + 1);
                let (w, bit) = Self::filter_bit(h.0);
                self.filter[w] |= bit;
                &mut self.values[idx]
            }
        }
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        self.slots = vec![0; size];
        self.mask = size - 1;
        for idx in 0..self.keys.len() {
            let (off, len, _) = self.keys[idx];
            let (h, _) = hash(&self.arena.as_bytes()[off as usize..(off + len) as usize]);
            let mut i = (h as usize) & self.mask;
            while self.slots[i] != 0 {
                i = (i + 1) & self.mask;
            }
            self.slots[i] = (h >> 32) << 32 | (idx as u64 + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::WordTable;

    #[test]
    fn inserts_and_finds() {
        let mut t: WordTable<u32> = WordTable::new();
        for i in 0..5000u32 {
            *t.entry(&format!("w{i}")) = i;
        }
        *t.entry("") = 7;
        *t.entry("w10") += 1;
        assert_eq!(t.get("w10"), Some(&11));
        assert_eq!(t.get("w4999"), Some(&4999));
        assert_eq!(t.get(""), Some(&7));
        assert_eq!(t.get("w5000"), None);
        assert_eq!(t.get("a longer key than eight bytes"), None);
        let buf = b"xx w10 w4999 yyyyyyyyyy";
        assert_eq!(t.get_in(buf, 3, 6), Some(&11));
        assert_eq!(t.get_in(buf, 7, 12), Some(&4999));
        assert_eq!(t.get_in(buf, 13, 23), None);
        for a in 0..buf.len() {
            for b in a..=buf.len() {
                assert_eq!(super::hash_padded(buf, a, b), super::hash(&buf[a..b]));
            }
        }
    }
}
