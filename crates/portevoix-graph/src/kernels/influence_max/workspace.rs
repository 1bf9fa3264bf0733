//! Generation-stamped visited flags and a queue, reused across the
//! explorations of one worker (reverse-reachable sets, live-edge worlds,
//! coverage balls): an exploration bumps a `u32` generation instead of
//! clearing `n` flags, so it costs time in what it explores, not in `n`
//! (the flags are cleared once per 2^32 explorations, on wrap-around).

/// One worker's reusable state.
pub(crate) struct Workspace {
    stamp: Vec<u32>,
    generation: u32,
    /// The nodes to explore, in order (cleared by [`Workspace::begin`]).
    pub(crate) queue: Vec<u32>,
}

impl Workspace {
    /// Flags for `n` nodes, none visited.
    pub(crate) fn new(n: usize) -> Workspace {
        Workspace {
            stamp: vec![0; n],
            generation: 0,
            queue: Vec::new(),
        }
    }

    /// Starts an exploration: every node unvisited, the queue empty.
    pub(crate) fn begin(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.fill(0);
            self.generation = 1;
        }
        self.queue.clear();
    }

    /// Whether `v` was visited in this exploration.
    #[inline]
    pub(crate) fn visited(&self, v: u32) -> bool {
        self.stamp[v as usize] == self.generation
    }

    /// Marks `v` visited; true if it was not.
    #[inline]
    pub(crate) fn visit(&mut self, v: u32) -> bool {
        let s = &mut self.stamp[v as usize];
        if *s == self.generation {
            false
        } else {
            *s = self.generation;
            true
        }
    }
}
