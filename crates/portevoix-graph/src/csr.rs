//! Compressed sparse rows: the storage of one direction of one layer.

use std::ops::Range;

/// One direction (out or in) of a [`LayerGraph`](crate::LayerGraph) in
/// compressed sparse row form.
///
/// Row `v` holds the neighbours of node `v` at positions
/// `offsets[v]..offsets[v + 1]` of [`neighbors`](Csr::neighbors) and
/// [`weights`](Csr::weights), **sorted by increasing neighbour id** and
/// without repeats. Ids are `u32` ([`NodeId`](portevoix_core::NodeId)`.0`)
/// and weights `f32`, so an edge costs 8 bytes per direction; offsets are
/// `u64` so that no graph the machine can hold overflows them (they cost
/// 8 bytes per node, about 0.5 byte per edge on social graphs).
///
/// Kernels read the three slices directly; they are the message-passing
/// layout of a vertex program (gather along in-rows, scatter along out-rows).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Csr {
    pub(crate) offsets: Vec<u64>,
    pub(crate) neighbors: Vec<u32>,
    pub(crate) weights: Vec<f32>,
}

impl Csr {
    /// An edgeless CSR over `num_nodes` nodes.
    pub fn empty(num_nodes: usize) -> Csr {
        Csr {
            offsets: vec![0; num_nodes + 1],
            neighbors: Vec::new(),
            weights: Vec::new(),
        }
    }

    /// Number of rows (nodes).
    #[inline]
    pub fn num_nodes(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of stored edges.
    #[inline]
    pub fn num_edges(&self) -> usize {
        self.neighbors.len()
    }

    /// Row offsets, `num_nodes() + 1` of them, starting at 0.
    #[inline]
    pub fn offsets(&self) -> &[u64] {
        &self.offsets
    }

    /// Neighbour ids of every row, concatenated.
    #[inline]
    pub fn neighbors(&self) -> &[u32] {
        &self.neighbors
    }

    /// Edge weights, aligned with [`Csr::neighbors`].
    #[inline]
    pub fn weights(&self) -> &[f32] {
        &self.weights
    }

    /// Positions of row `v` in [`Csr::neighbors`] and [`Csr::weights`].
    ///
    /// # Panics
    /// If `v >= num_nodes()`.
    #[inline]
    pub fn range(&self, v: usize) -> Range<usize> {
        self.offsets[v] as usize..self.offsets[v + 1] as usize
    }

    /// Neighbours and weights of row `v`.
    ///
    /// # Panics
    /// If `v >= num_nodes()`.
    #[inline]
    pub fn row(&self, v: usize) -> (&[u32], &[f32]) {
        let r = self.range(v);
        (&self.neighbors[r.clone()], &self.weights[r])
    }

    /// Number of neighbours of row `v`.
    ///
    /// # Panics
    /// If `v >= num_nodes()`.
    #[inline]
    pub fn degree(&self, v: usize) -> usize {
        (self.offsets[v + 1] - self.offsets[v]) as usize
    }

    /// Position of neighbour `w` in row `v`, found by binary search.
    ///
    /// # Panics
    /// If `v >= num_nodes()`.
    pub fn find(&self, v: usize, w: u32) -> Option<usize> {
        let r = self.range(v);
        self.neighbors[r.clone()]
            .binary_search(&w)
            .ok()
            .map(|i| r.start + i)
    }

    /// Heap bytes held (offsets, neighbours and weights).
    pub fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * 8 + self.neighbors.capacity() * 4 + self.weights.capacity() * 4
    }
}

/// Event times of every out-edge of a layer: a second CSR, indexed by edge
/// position in the out-[`Csr`], of times in milliseconds since the epoch,
/// **sorted** within each edge.
///
/// Trust signals read it to see repeated interaction over time (an edge
/// merged from 12 retweets spread over 6 days is a stronger tie than one
/// burst). Rows without a time in the input contribute nothing here, so an
/// edge can have fewer times than its merged-row count.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EdgeTimes {
    pub(crate) offsets: Vec<u64>,
    pub(crate) times: Vec<i64>,
}

impl EdgeTimes {
    /// Offsets into [`EdgeTimes::times`], one per out-edge plus one.
    pub fn offsets(&self) -> &[u64] {
        &self.offsets
    }

    /// Every time, edge after edge.
    pub fn times(&self) -> &[i64] {
        &self.times
    }

    /// Sorted times of out-edge `edge`; empty if `edge` is out of range.
    pub fn get(&self, edge: usize) -> &[i64] {
        match (self.offsets.get(edge), self.offsets.get(edge + 1)) {
            (Some(&s), Some(&e)) => &self.times[s as usize..e as usize],
            _ => &[],
        }
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * 8 + self.times.capacity() * 8
    }
}
