//! Interactions (actor → target events) and their columnar store.

use crate::ids::NodeId;
use crate::layer::Layer;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// One interaction: `actor` did something of `layer` kind to `target`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// Who acted (the follower, the retweeter, the rater).
    pub actor: NodeId,
    /// Who was acted upon (the followed, the retweeted, the rated).
    pub target: NodeId,
    /// The kind of interaction.
    pub layer: Layer,
    /// When, if known.
    pub time: Option<Timestamp>,
    /// Strength (a count for pre-aggregated edge lists, 1 for single events).
    pub weight: f32,
    /// A rating's value (signed trust, e.g. −10..10 or ±1), if any.
    pub value: Option<f32>,
    /// Index of the post that carried the interaction in the dataset's posts, if any.
    pub post: Option<u32>,
}

impl Interaction {
    /// A single unweighted event with no time, value or post.
    pub fn new(actor: NodeId, target: NodeId, layer: Layer) -> Interaction {
        Interaction {
            actor,
            target,
            layer,
            time: None,
            weight: 1.0,
            value: None,
            post: None,
        }
    }
}

/// Interactions of one layer, stored as columns.
///
/// Optional columns are allocated on the first row that has a value and hold
/// a sentinel for rows without one (`i64::MIN` for time, NaN for value,
/// `u32::MAX` for post), so an edge list with only ids costs 12 bytes a row.
///
/// Equality compares floating-point columns bit for bit, so that two logs
/// holding the same rows (including the NaN "no value" sentinel) are equal.
#[derive(Debug, Clone, Default)]
pub struct LayerLog {
    /// Actors.
    pub actor: Vec<u32>,
    /// Targets.
    pub target: Vec<u32>,
    /// Weights (1.0 unless the input gave one).
    pub weight: Vec<f32>,
    /// Times in ms, `i64::MIN` where unknown; `None` if no row has a time.
    pub time: Option<Vec<i64>>,
    /// Rating values, NaN where none; `None` if no row has a value.
    pub value: Option<Vec<f32>>,
    /// Post index, `u32::MAX` where none; `None` if no row has a post.
    pub post: Option<Vec<u32>>,
}

impl PartialEq for LayerLog {
    fn eq(&self, other: &Self) -> bool {
        fn bits(v: &[f32]) -> impl Iterator<Item = u32> + '_ {
            v.iter().map(|x| x.to_bits())
        }
        self.actor == other.actor
            && self.target == other.target
            && bits(&self.weight).eq(bits(&other.weight))
            && self.time == other.time
            && match (&self.value, &other.value) {
                (Some(a), Some(b)) => bits(a).eq(bits(b)),
                (None, None) => true,
                _ => false,
            }
            && self.post == other.post
    }
}

/// Sentinel for "no time" in [`LayerLog::time`].
pub const NO_TIME: i64 = i64::MIN;
/// Sentinel for "no post" in [`LayerLog::post`].
pub const NO_POST: u32 = u32::MAX;

impl LayerLog {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.actor.len()
    }

    /// Whether the layer has no rows.
    pub fn is_empty(&self) -> bool {
        self.actor.is_empty()
    }

    /// Reserves room for `n` more rows in the mandatory columns.
    pub fn reserve(&mut self, n: usize) {
        self.actor.reserve(n);
        self.target.reserve(n);
        self.weight.reserve(n);
    }

    /// Appends one row.
    #[inline]
    pub fn push(
        &mut self,
        actor: NodeId,
        target: NodeId,
        weight: f32,
        time: Option<Timestamp>,
        value: Option<f32>,
        post: Option<u32>,
    ) {
        let row = self.actor.len();
        self.actor.push(actor.0);
        self.target.push(target.0);
        self.weight.push(weight);
        push_optional(&mut self.time, row, time.map(|t| t.0), NO_TIME);
        push_optional(&mut self.value, row, value, f32::NAN);
        push_optional(&mut self.post, row, post, NO_POST);
    }

    /// Row `i` as an [`Interaction`] of layer `layer`.
    pub fn get(&self, layer: Layer, i: usize) -> Interaction {
        Interaction {
            actor: NodeId(self.actor[i]),
            target: NodeId(self.target[i]),
            layer,
            time: self
                .time
                .as_ref()
                .map(|t| t[i])
                .filter(|&t| t != NO_TIME)
                .map(Timestamp),
            weight: self.weight[i],
            value: self.value.as_ref().map(|v| v[i]).filter(|v| !v.is_nan()),
            post: self.post.as_ref().map(|p| p[i]).filter(|&p| p != NO_POST),
        }
    }

    /// Earliest and latest known time, if any.
    pub fn time_span(&self) -> Option<(Timestamp, Timestamp)> {
        let times = self.time.as_ref()?;
        let mut it = times.iter().copied().filter(|&t| t != NO_TIME);
        let first = it.next()?;
        let (lo, hi) = it.fold((first, first), |(lo, hi), t| (lo.min(t), hi.max(t)));
        Some((Timestamp(lo), Timestamp(hi)))
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.actor.capacity() * 4
            + self.target.capacity() * 4
            + self.weight.capacity() * 4
            + self.time.as_ref().map_or(0, |v| v.capacity() * 8)
            + self.value.as_ref().map_or(0, |v| v.capacity() * 4)
            + self.post.as_ref().map_or(0, |v| v.capacity() * 4)
    }
}

#[inline]
fn push_optional<T: Copy>(col: &mut Option<Vec<T>>, row: usize, v: Option<T>, none: T) {
    match (col.as_mut(), v) {
        (Some(c), v) => c.push(v.unwrap_or(none)),
        (None, Some(v)) => {
            let mut c = Vec::with_capacity(row + 1);
            c.resize(row, none);
            c.push(v);
            *col = Some(c);
        }
        (None, None) => {}
    }
}

/// Every interaction of a dataset, one [`LayerLog`] per [`Layer`], in input order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InteractionLog {
    layers: [LayerLog; Layer::COUNT],
}

impl InteractionLog {
    /// An empty log.
    pub fn new() -> InteractionLog {
        InteractionLog::default()
    }

    /// Appends one interaction.
    #[inline]
    pub fn push(&mut self, i: Interaction) {
        self.layers[i.layer.index()].push(i.actor, i.target, i.weight, i.time, i.value, i.post);
    }

    /// The rows of one layer.
    pub fn layer(&self, layer: Layer) -> &LayerLog {
        &self.layers[layer.index()]
    }

    /// Mutable rows of one layer (readers append in bulk through it).
    pub fn layer_mut(&mut self, layer: Layer) -> &mut LayerLog {
        &mut self.layers[layer.index()]
    }

    /// Layers that have at least one row, with their rows.
    pub fn non_empty(&self) -> impl Iterator<Item = (Layer, &LayerLog)> {
        Layer::ALL
            .into_iter()
            .map(|l| (l, &self.layers[l.index()]))
            .filter(|(_, log)| !log.is_empty())
    }

    /// Total rows over all layers.
    pub fn len(&self) -> usize {
        self.layers.iter().map(LayerLog::len).sum()
    }

    /// Whether there is no interaction at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Iterates over every interaction, layer by layer, each in input order.
    pub fn iter(&self) -> impl Iterator<Item = Interaction> + '_ {
        Layer::ALL.into_iter().flat_map(move |l| {
            let log = &self.layers[l.index()];
            (0..log.len()).map(move |i| log.get(l, i))
        })
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.layers.iter().map(LayerLog::heap_bytes).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_columns_appear_lazily_and_keep_alignment() {
        let mut log = InteractionLog::new();
        let (a, b) = (NodeId(0), NodeId(1));
        log.push(Interaction::new(a, b, Layer::Rating));
        log.push(Interaction {
            time: Some(Timestamp(5)),
            value: Some(-3.0),
            ..Interaction::new(b, a, Layer::Rating)
        });
        log.push(Interaction::new(a, a, Layer::Repost));
        let r = log.layer(Layer::Rating);
        assert_eq!(r.len(), 2);
        assert_eq!(r.time.as_ref().unwrap().len(), 2);
        assert_eq!(r.get(Layer::Rating, 0).time, None);
        assert_eq!(r.get(Layer::Rating, 1).value, Some(-3.0));
        assert!(r.post.is_none());
        assert_eq!(log.len(), 3);
        assert_eq!(log.non_empty().count(), 2);
        // Iteration is layer by layer in `Layer::ALL` order: repost before rating.
        assert_eq!(log.iter().next().unwrap().layer, Layer::Repost);
        assert_eq!(r.time_span(), Some((Timestamp(5), Timestamp(5))));
        // The NaN "no value" sentinel of row 0 does not make a log unequal to its copy.
        assert_eq!(log.clone(), log);
    }
}
