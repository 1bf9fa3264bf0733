//! Synthetic graphs for scale benchmarks: the Graph500 Kronecker generator,
//! with the seeded pseudo-random numbers, permutation and shuffle it needs,
//! and a fast text writer.
//!
//! ## Why a home-made PRNG
//!
//! Benchmark graphs must be the same bytes for a given seed on every machine,
//! thread count and release of this crate, so that timings and rankings
//! compare across runs. `rand`'s `StdRng` explicitly reserves the right to
//! change its algorithm between versions, and `rand_xoshiro` is not a
//! workspace dependency; the two well-known generators below take 40 lines,
//! are fully specified by their papers, and are checked against the
//! reference outputs in the tests:
//!
//! * [`SplitMix64`] (Steele, Lea & Flood, *Fast splittable pseudorandom
//!   number generators*, OOPSLA 2014) to derive seeds: it turns any `u64`,
//!   even 0 or 1, into a well-mixed state.
//! * [`Xoshiro256StarStar`] (Blackman & Vigna, *Scrambled linear
//!   pseudorandom number generators*, ACM TOMS 47(4), 2021) for the streams:
//!   fast (under 1 ns per number), 256 bits of state, all bits of good quality.
//!
//! Parallel generation stays deterministic because work is cut into chunks
//! of fixed size (never "one per thread"), and chunk `k` draws from its own
//! stream, seeded from `(seed, purpose, k)`.

use crate::par::{SharedSlice, split_at_cuts};
use rayon::prelude::*;
use std::io::{self, Write};

/// SplitMix64: a 64-bit counter passed through a strong mixing function.
/// Used to expand seeds; see the [module docs](self).
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator starting from `seed` (any value, including 0).
    pub const fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next number.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        Self::mix(self.state)
    }

    /// The SplitMix64 output function (Stafford's "Mix13"): a bijection of
    /// `u64` with full avalanche, used to hash seeds and stream numbers.
    #[inline]
    pub const fn mix(x: u64) -> u64 {
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// xoshiro256\*\*: the general-purpose generator of Blackman & Vigna.
/// See the [module docs](self) for why it is implemented here.
///
/// ```
/// use portevoix_graph::generate::Xoshiro256StarStar;
/// let mut a = Xoshiro256StarStar::from_stream(42, 7);
/// let mut b = Xoshiro256StarStar::from_stream(42, 7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert!(a.below(10) < 10);
/// ```
#[derive(Debug, Clone)]
pub struct Xoshiro256StarStar {
    s: [u64; 4],
}

impl Xoshiro256StarStar {
    /// A generator with the given raw state (must not be all zero; an
    /// all-zero state is replaced by a fixed non-zero one).
    pub fn from_state(s: [u64; 4]) -> Xoshiro256StarStar {
        if s == [0; 4] {
            return Xoshiro256StarStar::seed_from_u64(0);
        }
        Xoshiro256StarStar { s }
    }

    /// A generator whose state is four outputs of [`SplitMix64`] seeded with
    /// `seed`, as the xoshiro authors recommend.
    pub fn seed_from_u64(seed: u64) -> Xoshiro256StarStar {
        let mut sm = SplitMix64::new(seed);
        let s = [sm.next_u64(), sm.next_u64(), sm.next_u64(), sm.next_u64()];
        // Four consecutive SplitMix64 outputs are never all zero (mix is a
        // bijection of distinct inputs), so the state is valid.
        Xoshiro256StarStar { s }
    }

    /// Stream number `stream` of `seed`: an independent-looking generator
    /// for each `(seed, stream)` pair, used to give every fixed-size chunk of
    /// a parallel job its own numbers.
    pub fn from_stream(seed: u64, stream: u64) -> Xoshiro256StarStar {
        Xoshiro256StarStar::seed_from_u64(SplitMix64::mix(
            seed ^ SplitMix64::mix(stream ^ 0x6A09_E667_F3BC_C909),
        ))
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform `f64` in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A number in `0..n` (0 when `n == 0`), by Lemire's multiply-shift:
    /// the bias is at most `n / 2^64`, far below anything measurable.
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }
}

/// Items per chunk of the parallel jobs: fixed, so outputs do not depend on
/// the thread count.
const CHUNK: usize = 1 << 16;

/// Stream families, so that the edge, permutation and shuffle streams of one
/// seed never coincide.
const EDGES: u64 = 1 << 56;
const PERMUTATION: u64 = 2 << 56;
const EDGE_SHUFFLE: u64 = 3 << 56;
const TAGS: u64 = 1 << 48;
const BUCKETS: u64 = 2 << 48;

/// Fisher–Yates (Durstenfeld) shuffle.
fn fisher_yates<T>(items: &mut [T], rng: &mut Xoshiro256StarStar) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

/// Shuffles `items` uniformly at random, in parallel, identically for a
/// given `seed` whatever the thread count.
///
/// # Algorithm
/// Sanders' parallel random permutation (*Random permutations on
/// distributed, external and hierarchical memory*, IPL 67(6), 1998): every
/// item draws a uniform bucket (from fixed-size chunk streams), a stable
/// parallel counting sort groups items by bucket, and each bucket, small
/// enough for the cache, is Fisher–Yates shuffled with its own stream.
/// Uniform buckets followed by uniform shuffles give a uniform permutation.
///
/// # Complexity
/// `O(len)` work, two passes of random writes over cache-sized buckets;
/// a copy of `items` as scratch.
pub fn shuffle<T: Copy + Send + Sync>(items: &mut [T], seed: u64) {
    const SMALL: usize = 1 << 15;
    let len = items.len();
    if len <= SMALL {
        fisher_yates(items, &mut Xoshiro256StarStar::from_stream(seed, BUCKETS));
        return;
    }
    let buckets = (len / SMALL).next_power_of_two().clamp(2, 1 << 12);
    let shift = 64 - buckets.trailing_zeros();
    let mut tags = vec![0u16; len];
    tags.par_chunks_mut(CHUNK).enumerate().for_each(|(k, ch)| {
        let mut rng = Xoshiro256StarStar::from_stream(seed, TAGS | k as u64);
        for t in ch {
            *t = (rng.next_u64() >> shift) as u16;
        }
    });
    let mut cursors: Vec<Vec<usize>> = tags
        .par_chunks(CHUNK)
        .map(|ch| {
            let mut h = vec![0usize; buckets];
            for &t in ch {
                h[t as usize] += 1;
            }
            h
        })
        .collect();
    let mut starts = vec![0usize; buckets + 1];
    let mut acc = 0;
    for (b, start) in starts.iter_mut().enumerate().take(buckets) {
        *start = acc;
        for c in cursors.iter_mut() {
            let count = c[b];
            c[b] = acc;
            acc += count;
        }
    }
    starts[buckets] = acc;
    let source = items.to_vec();
    {
        let dst = SharedSlice::new(items);
        source
            .par_chunks(CHUNK)
            .zip(tags.par_chunks(CHUNK))
            .zip(cursors.par_iter_mut())
            .for_each(|((src, tg), cur)| {
                for (&x, &t) in src.iter().zip(tg) {
                    let d = cur[t as usize];
                    cur[t as usize] += 1;
                    // SAFETY: disjoint cursor ranges per (chunk, bucket).
                    unsafe { dst.write(d, x) };
                }
            });
    }
    split_at_cuts(items, &starts)
        .into_par_iter()
        .enumerate()
        .for_each(|(b, part)| {
            fisher_yates(
                part,
                &mut Xoshiro256StarStar::from_stream(seed, BUCKETS | b as u64),
            );
        });
}

/// A uniformly random permutation of `0..n`, determined by `seed`.
///
/// # Panics
/// If `n > 2^32` (ids are `u32`).
pub fn permutation(n: usize, seed: u64) -> Vec<u32> {
    assert!(
        n as u64 <= 1 << 32,
        "permutation of {n} items does not fit u32 ids"
    );
    let mut p: Vec<u32> = (0..n as u64).into_par_iter().map(|v| v as u32).collect();
    shuffle(&mut p, seed);
    p
}

/// The Graph500 initiator probabilities `(A, B, C)`; `D = 1 − A − B − C = 0.05`.
pub const GRAPH500_ABC: (f64, f64, f64) = (0.57, 0.19, 0.19);

/// Generates the Graph500 Kronecker graph of `2^scale` vertices and
/// `edge_factor · 2^scale` directed edges.
///
/// Same as [`kronecker_with`] with the Graph500 probabilities
/// [`GRAPH500_ABC`].
///
/// # Example
/// ```
/// use portevoix_graph::generate::kronecker;
/// let (n, edges) = kronecker(10, 16, 1);
/// assert_eq!((n, edges.len()), (1024, 16 * 1024));
/// assert_eq!(kronecker(10, 16, 1).1, edges); // fixed seed, same graph
/// ```
pub fn kronecker(scale: u32, edge_factor: u32, seed: u64) -> (usize, Vec<(u32, u32)>) {
    kronecker_with(scale, edge_factor, GRAPH500_ABC, seed)
}

/// Generates an R-MAT / Kronecker graph exactly as the Graph500 reference
/// generator does, in parallel and deterministically.
///
/// # Arguments
/// * `scale`: log2 of the number of vertices (at most 31: ids are `u32`).
/// * `edge_factor`: edges per vertex (Graph500 uses 16).
/// * `(a, b, c)`: probabilities of the top-left, top-right and bottom-left
///   quadrants at every level (`d = 1 − a − b − c`).
/// * `seed`: any `u64`; the output is a pure function of the arguments,
///   whatever the number of threads.
///
/// # Returns
/// `(2^scale, edges)` with `edge_factor · 2^scale` `(source, target)` pairs.
/// As in the specification, self-loops and duplicate edges are **kept**
/// (about 15–25% of the rows at the Graph500 parameters); building a
/// [`LayerGraph`](crate::LayerGraph) drops and merges them.
///
/// # Algorithm
/// For every edge and each of the `scale` bit levels, as the reference
/// `kronecker_generator.m`: `i_bit = rand > a + b`, then
/// `j_bit = rand > (i_bit ? c / (c + d) : a / (a + b))`; the source gets
/// `i_bit` and the target `j_bit` at that level (so quadrant `a` is
/// `(0, 0)`). Vertex ids are then relabelled by a seeded uniform random
/// permutation (so that the high-degree vertices are not the low ids) and
/// the edge list is shuffled (so that its order carries no locality).
/// Each decision uses 32 random bits (one 64-bit draw gives both bits of a
/// level), a resolution of `2^-32` on the probabilities.
///
/// # Complexity
/// `O(m · scale)` random draws for `m = edge_factor · 2^scale`, spread over
/// all threads, plus the permutation and the shuffle (`O(n + m)`).
/// Memory: `16 m` bytes at the peak (edges and the shuffle's scratch).
/// Scale 20 (16.8 million edges) takes about 0.35 s on two cores.
///
/// # Example
/// ```
/// use portevoix_graph::generate::kronecker_with;
/// // An Erdős–Rényi-like initiator (all quadrants equal) gives no hubs.
/// let (n, edges) = kronecker_with(8, 8, (0.25, 0.25, 0.25), 7);
/// assert_eq!((n, edges.len()), (256, 2048));
/// ```
///
/// # Panics
/// If `scale > 31`, or the probabilities are not in `[0, 1]` with
/// `0 < a + b < 1` and `a + b + c <= 1`.
///
/// # References
/// * Graph 500 Steering Committee, *Graph500 Benchmark Specification*,
///   §3 "Graph Generation" (Kronecker generator, `A=0.57, B=0.19, C=0.19`,
///   vertex permutation and edge shuffle), <https://graph500.org>.
/// * D. Chakrabarti, Y. Zhan, C. Faloutsos, *R-MAT: A Recursive Model for
///   Graph Mining*, SIAM SDM 2004.
/// * J. Leskovec et al., *Kronecker Graphs: An Approach to Modeling
///   Networks*, JMLR 11, 2010.
pub fn kronecker_with(
    scale: u32,
    edge_factor: u32,
    (a, b, c): (f64, f64, f64),
    seed: u64,
) -> (usize, Vec<(u32, u32)>) {
    assert!(scale <= 31, "scale {scale} > 31: vertex ids are u32");
    let ok = |p: f64| (0.0..=1.0).contains(&p);
    assert!(
        ok(a) && ok(b) && ok(c) && a + b > 0.0 && a + b < 1.0 && a + b + c <= 1.0 + 1e-12,
        "invalid R-MAT probabilities a={a} b={b} c={c}"
    );
    let n = 1usize << scale;
    let m = edge_factor as usize * n;
    let ab = a + b;
    let th_ab = threshold(ab);
    let th_a_norm = threshold(a / ab);
    let th_c_norm = threshold(c / (1.0 - ab));
    let perm = permutation(n, SplitMix64::mix(seed ^ PERMUTATION));
    let mut edges = vec![(0u32, 0u32); m];
    edges
        .par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(k, chunk)| {
            let mut rng = Xoshiro256StarStar::from_stream(seed, EDGES | k as u64);
            for e in chunk {
                let (mut u, mut v) = (0usize, 0usize);
                for level in 0..scale {
                    let r = rng.next_u64();
                    let i_bit = (r >> 32) > th_ab;
                    let j_bit = (r & 0xFFFF_FFFF) > if i_bit { th_c_norm } else { th_a_norm };
                    u |= (i_bit as usize) << level;
                    v |= (j_bit as usize) << level;
                }
                *e = (perm[u], perm[v]);
            }
        });
    shuffle(&mut edges, SplitMix64::mix(seed ^ EDGE_SHUFFLE));
    (n, edges)
}

/// The largest 32-bit `t` with `rand > p ⟺ r > t` for `rand = r / 2^32`.
fn threshold(p: f64) -> u64 {
    if p.is_nan() || p >= 1.0 {
        return 1 << 32;
    }
    (p.max(0.0) * 4_294_967_296.0).floor() as u64
}

/// Appends the decimal digits of `x`.
#[inline]
fn push_u32(buf: &mut Vec<u8>, mut x: u32) {
    let mut tmp = [0u8; 10];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (x % 10) as u8;
        x /= 10;
        if x == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// Writes `edges` as a text edge list, one `source target` line each
/// (space separated, `\n` endings, no header): the format of SNAP files and
/// of the Graph500 reference output, readable by the ingest edge-list reader.
///
/// Lines are formatted in parallel, batch by batch (a few MB at a time), and
/// written in order, so the output is the same for any thread count and
/// memory stays bounded. Wrap files in a `BufWriter` or not: writes are
/// already large. Scale 20 (16.8 million lines, 233 MB) takes about 0.2 s.
///
/// # Errors
/// Any error of `out`.
///
/// ```
/// let mut text = Vec::new();
/// portevoix_graph::generate::write_edge_list(&[(0, 17), (4_000_000_000, 3)], &mut text)?;
/// assert_eq!(text, b"0 17\n4000000000 3\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_edge_list<W: Write>(edges: &[(u32, u32)], mut out: W) -> io::Result<()> {
    const BATCH: usize = 1 << 17;
    let group = BATCH * rayon::current_num_threads().max(1) * 2;
    for part in edges.chunks(group) {
        let buffers: Vec<Vec<u8>> = part
            .par_chunks(BATCH)
            .map(|c| {
                let mut b = Vec::with_capacity(c.len() * 16);
                for &(u, v) in c {
                    push_u32(&mut b, u);
                    b.push(b' ');
                    push_u32(&mut b, v);
                    b.push(b'\n');
                }
                b
            })
            .collect();
        for b in &buffers {
            out.write_all(b)?;
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_reference_outputs() {
        // Reference values of splitmix64.c (Vigna) seeded with 1234567.
        let mut sm = SplitMix64::new(1234567);
        let got: Vec<u64> = (0..5).map(|_| sm.next_u64()).collect();
        assert_eq!(
            got,
            vec![
                6457827717110365317,
                3203168211198807973,
                9817491932198370423,
                4593380528125082431,
                16408922859458223821
            ]
        );
    }

    #[test]
    fn xoshiro256starstar_matches_reference_outputs() {
        // Reference values of xoshiro256starstar.c from state {1, 2, 3, 4}.
        let mut x = Xoshiro256StarStar::from_state([1, 2, 3, 4]);
        let got: Vec<u64> = (0..6).map(|_| x.next_u64()).collect();
        assert_eq!(
            got,
            vec![
                11520,
                0,
                1509978240,
                1215971899390074240,
                1216172134540287360,
                607988272756665600
            ]
        );
    }

    #[test]
    fn shuffle_is_a_permutation_and_seeded() {
        for len in [0usize, 1, 2, 1000, 100_000] {
            let mut v: Vec<u32> = (0..len as u32).collect();
            shuffle(&mut v, 9);
            let mut w: Vec<u32> = (0..len as u32).collect();
            shuffle(&mut w, 9);
            assert_eq!(v, w);
            if len >= 1000 {
                let moved = v
                    .iter()
                    .enumerate()
                    .filter(|&(i, &x)| i as u32 != x)
                    .count();
                assert!(moved > len * 9 / 10, "{moved} of {len} moved");
                let mut other: Vec<u32> = (0..len as u32).collect();
                shuffle(&mut other, 10);
                assert_ne!(v, other);
            }
            v.sort_unstable();
            assert_eq!(v, (0..len as u32).collect::<Vec<_>>());
        }
    }

    #[test]
    fn shuffle_positions_are_uniform() {
        // Where does item 0 land? Chi-square over 8 position classes, 1200 seeds.
        let len = 40_000; // above the single-bucket threshold: tests the parallel path
        let classes = 8;
        let mut hist = vec![0u32; classes];
        let mut v: Vec<u32> = Vec::with_capacity(len);
        for seed in 0..1200u64 {
            v.clear();
            v.extend(0..len as u32);
            shuffle(&mut v, seed);
            let pos = v.iter().position(|&x| x == 0).unwrap();
            hist[pos * classes / len] += 1;
        }
        let expected = 1200.0 / classes as f64;
        let chi2: f64 = hist
            .iter()
            .map(|&h| (h as f64 - expected).powi(2) / expected)
            .sum();
        // 7 degrees of freedom: P(chi2 > 24.3) = 0.001.
        assert!(chi2 < 24.3, "chi2 {chi2}, histogram {hist:?}");
    }

    #[test]
    fn thresholds_reproduce_comparisons() {
        for p in [0.0, 0.05, 0.57, 0.76, 0.75, 0.999_999] {
            let t = threshold(p);
            for r in [0u64, 1, t.saturating_sub(1), t, t + 1, (1 << 32) - 1] {
                if r >= 1 << 32 {
                    continue;
                }
                let rand = r as f64 / 4_294_967_296.0;
                assert_eq!(r > t, rand > p, "p={p} r={r}");
            }
        }
        assert_eq!(threshold(1.0), 1 << 32);
    }

    #[test]
    fn text_writer_formats_every_digit_count() {
        let edges: Vec<(u32, u32)> = vec![(0, 9), (10, 99), (100, u32::MAX)];
        let mut out = Vec::new();
        write_edge_list(&edges, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "0 9\n10 99\n100 4294967295\n"
        );
    }
}
