//! Interaction kinds, each of which becomes one layer of the multi-layer network.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kind of an interaction, and so the layer of the network it lands in.
///
/// Direction is always **actor → target**: "A retweeted B" is the edge `A → B`
/// in [`Layer::Repost`]. This is also the direction in which endorsement and
/// influence credit flow (PageRank on a repost layer ranks B above A), so no
/// layer is ever stored reversed. Information flows the other way (B's content
/// reaches A's audience); kernels that need it read the in-direction CSR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// A follows B (B's audience includes A).
    Follow,
    /// A re-shared (retweeted, boosted, reblogged) content of B.
    Repost,
    /// A replied to B.
    Reply,
    /// A mentioned B in a post.
    Mention,
    /// A quoted a post of B.
    Quote,
    /// A liked (favourited) a post of B.
    Like,
    /// A rated B: signed or graded trust (`value` carries the rating).
    Rating,
}

impl Layer {
    /// Every layer, in the fixed order used for storage and reports.
    pub const ALL: [Layer; 7] = [
        Layer::Follow,
        Layer::Repost,
        Layer::Reply,
        Layer::Mention,
        Layer::Quote,
        Layer::Like,
        Layer::Rating,
    ];

    /// Number of layers.
    pub const COUNT: usize = 7;

    /// Dense index of the layer in [`Layer::ALL`].
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }

    /// The layer with the given dense index, if any.
    pub fn from_index(index: usize) -> Option<Layer> {
        Layer::ALL.get(index).copied()
    }

    /// The canonical lower-case name (`follow`, `repost`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Follow => "follow",
            Layer::Repost => "repost",
            Layer::Reply => "reply",
            Layer::Mention => "mention",
            Layer::Quote => "quote",
            Layer::Like => "like",
            Layer::Rating => "rating",
        }
    }

    /// Whether an edge on this layer is an endorsement of the target
    /// (follow, repost, quote, like). Replies, mentions and ratings can be
    /// critical and are not endorsements by themselves.
    pub fn is_endorsement(self) -> bool {
        matches!(
            self,
            Layer::Follow | Layer::Repost | Layer::Quote | Layer::Like
        )
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error returned when a layer name is not recognised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown layer '{0}' (expected one of follow, repost, reply, mention, quote, like, rating)"
)]
pub struct UnknownLayer(pub String);

impl FromStr for Layer {
    type Err = UnknownLayer;

    /// Parses a layer name. Accepts the canonical names and the platform
    /// synonyms found in real exports (`retweet`, `RT`, `boost`, `reblog`,
    /// `MT`, `RE`, `favorite`, `trust`, ...), case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Ok(match lower.as_str() {
            "follow" | "follows" | "follower" | "friend" | "social" => Layer::Follow,
            "repost" | "retweet" | "retweeted" | "rt" | "reblog" | "boost" | "share" => {
                Layer::Repost
            }
            "reply" | "replied_to" | "re" => Layer::Reply,
            "mention" | "mt" | "mentions" => Layer::Mention,
            "quote" | "quoted" | "qt" => Layer::Quote,
            "like" | "favorite" | "favourite" | "fav" => Layer::Like,
            "rating" | "trust" | "signed" | "sign" => Layer::Rating,
            _ => return Err(UnknownLayer(s.to_string())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_synonyms_parse() {
        for layer in Layer::ALL {
            assert_eq!(layer.as_str().parse::<Layer>().unwrap(), layer);
            assert_eq!(Layer::from_index(layer.index()), Some(layer));
        }
        assert_eq!("RT".parse::<Layer>().unwrap(), Layer::Repost);
        assert_eq!("MT".parse::<Layer>().unwrap(), Layer::Mention);
        assert_eq!("RE".parse::<Layer>().unwrap(), Layer::Reply);
        assert_eq!("replied_to".parse::<Layer>().unwrap(), Layer::Reply);
        assert!("bogus".parse::<Layer>().is_err());
    }
}
