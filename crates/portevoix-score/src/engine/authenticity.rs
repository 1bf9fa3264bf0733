//! Account authenticity: how much an account looks like a genuine, active
//! person rather than a bot, a bought fake follower or a spam machine.
//!
//! [`assess`] gives every account a score in `[0, 1]` (1 = nothing
//! suspicious) and the bitset of the cues that fired. The score is the
//! product of `(1 − penalty)` over the cues that fire; each penalty is a
//! documented constant below. Absent data never penalises: a cue that needs
//! a kind of data the export lacks (bios, creation dates, times, follower
//! counts) does not fire.
//!
//! | cue | flag | fires when | penalty |
//! |---|---|---|---|
//! | declared bot | [`BOT`] | the platform flags the account as automated | score 0 |
//! | shell | [`SHELL`] | no sign of activity (below), no followers (follow in-degree 0 and declared followers 0 or unknown) and nobody addressed it (no non-follow interaction received); needs followers to be observable (a follow layer or a declared count) | [`SHELL_PENALTY`] 0.75 |
//! | inactive | [`INACTIVE`] | no sign of activity but has followers (a lurker) | [`INACTIVE_PENALTY`] 0.2 |
//! | follow ratio | [`FOLLOW_RATIO`] | following ≥ 20 × (followers + 1) and following ≥ 100 (declared or counted, the larger) | [`FOLLOW_RATIO_PENALTY`] 0.5 |
//! | duplicate texts | [`DUPLICATE_TEXT`] | share `d > 0` of its ≥ 3 posts whose normalised text repeats another of its posts | [`DUPLICATE_PENALTY`] × `d` (0.8·d) |
//! | burstiness | [`BURST`] | share `b > 0` of consecutive posts (time order) less than 10 s apart, ≥ 5 timed posts | [`BURST_PENALTY`] × `b` (0.6·b) |
//! | young account | [`YOUNG`] | created less than 30 days before the data's last timestamp (or after it) | [`YOUNG_PENALTY`] 0.3 |
//! | engagement pod | [`POD`] | at least 5 ([`POD_MIN_PARTNERS`]) accounts it re-shares, quotes or likes do the same to it, and they take at least half ([`POD_MIN_SHARE`]) of the re-shares, quotes and likes it gives (weighted): engagement traded inside a closed group (replies and mentions, which are conversation, do not count) | [`POD_PENALTY`] 0.6 |
//! | follow-back harvesting | [`FOLLOW_BACK`] | follows at least 1,000 accounts in the follow layer ([`FOLLOW_BACK_MIN_FOLLOWING`]), at least 5 times ([`FOLLOW_BACK_FACTOR`]) more than follow it (+1), and at least 80% ([`FOLLOW_BACK_MIN_SHARE`]) of its followers are accounts it follows: the trace of follow/unfollow bursts in a snapshot | [`FOLLOW_BACK_PENALTY`] 0.6 |
//! | mention ring | [`MENTION_RING`] | it mentions or replies to some account `t` at least twice (an answer to `t`'s question or a comment under it is not counted: `t` asked for it) ([`RING_MIN_REPEAT`]) without `t` ever addressing it, it also mentions at least 2 ([`RING_MIN_LINKS`]) other such one-way repeat mentioners of `t`, those one-way repeat mentioners of `t` number at least 5 ([`RING_MIN_SIZE`]) and make at least half ([`RING_MIN_SHARE_OF_TARGET`]) of the accounts addressing `t`, and the mentions to `t` and to them take at least half ([`RING_MIN_CONCENTRATION`]) of the mentions and replies it gives (weighted): a group that talks up one account, and each other, and nobody else (the pod of exports where mentions are the only interaction) | [`RING_PENALTY`] 0.6 |
//! | default profile | [`DEFAULT_PROFILE`] | a profile that was read (declared counts, creation date or verification present: not an account known by its id only) with neither bio nor display name, when some account of the dataset has a bio | [`DEFAULT_PROFILE_PENALTY`] 0.2 |
//!
//! Verified accounts get no penalty from the profile cues (young account,
//! default profile).
//!
//! **Signs of activity**: posts in the dataset, a declared post count above
//! 0, any non-follow interaction given (re-share, reply, mention, quote,
//! like, rating), or a re-share, quote, reply or like received (someone
//! reacted to content it published). The shell and inactive cues only fire
//! when activity is observable at all (the dataset has posts, a non-follow
//! layer, or the account declares a post count): a follow-only graph says
//! nothing about who posts.
//!
//! **Normalised text**: the words of the post (split on white space),
//! without `@mentions` and `http(s)://` links, lower-cased, joined by one
//! space; empty results and re-shares (`repost_of`, which carry someone
//! else's text) are left out of the duplicate cue.
//!
//! The cues follow the fake-follower and bot literature: Cresci et al.,
//! *Fame for sale: efficient detection of fake Twitter followers*, Decision
//! Support Systems 80 (2015) (profile, follow-ratio and activity rules
//! collected from the fake-follower vendors' own descriptions); Chu et al.,
//! *Detecting automation of Twitter accounts: are you a human, bot, or
//! cyborg?*, IEEE TDSC 9(6) (2012) (timing regularity, duplicate content).
//!
//! # Complexity
//!
//! O(accounts + edges + posts) expected (one hash table of texts per
//! author; times sorted per author), parallel over accounts with rayon,
//! and the same result for any number of threads (each account is assessed
//! on its own).

use portevoix_core::{Account, Layer, LayerLog, NodeId, Post, PostKind};
use portevoix_graph::{BuildOptions, LayerGraph, Network};
use portevoix_ingest::Dataset;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Flag: the platform declares the account automated.
pub const BOT: u16 = 1 << 0;
/// Flag: no activity, no followers, never addressed (bought-follower shape).
pub const SHELL: u16 = 1 << 1;
/// Flag: no activity but followers (lurker).
pub const INACTIVE: u16 = 1 << 2;
/// Flag: follows far more accounts than follow it.
pub const FOLLOW_RATIO: u16 = 1 << 3;
/// Flag: some of its posts repeat another of its posts.
pub const DUPLICATE_TEXT: u16 = 1 << 4;
/// Flag: some consecutive posts came less than 10 s apart.
pub const BURST: u16 = 1 << 5;
/// Flag: created less than 30 days before the end of the data.
pub const YOUNG: u16 = 1 << 6;
/// Flag: neither bio nor display name.
pub const DEFAULT_PROFILE: u16 = 1 << 7;
/// Flag: endorses mostly a closed group that endorses it back (engagement pod).
pub const POD: u16 = 1 << 8;
/// Flag: mass-follows to harvest follow-backs (follow/unfollow tactics).
pub const FOLLOW_BACK: u16 = 1 << 9;
/// Flag: one of a group that repeatedly mentions one account, and each
/// other, which never answers them (mention ring).
pub const MENTION_RING: u16 = 1 << 10;
/// Penalty of the mention-ring cue (score × 0.4).
pub const RING_PENALTY: f64 = 0.6;
/// Mention ring: mentions and replies to the target, at least.
pub const RING_MIN_REPEAT: u32 = 2;
/// Mention ring: other one-way repeat mentioners of the target it mentions.
pub const RING_MIN_LINKS: usize = 2;
/// Mention ring: one-way repeat mentioners of the target, at least.
pub const RING_MIN_SIZE: usize = 5;
/// Mention ring: their share of the accounts addressing the target.
pub const RING_MIN_SHARE_OF_TARGET: f64 = 0.5;
/// Mention ring: share of its mentions and replies going to the target and
/// to the ring.
pub const RING_MIN_CONCENTRATION: f64 = 0.5;
/// Penalty of the follow-back cue (score × 0.4).
pub const FOLLOW_BACK_PENALTY: f64 = 0.6;
/// Follow-back cue: follows at least this many accounts.
pub const FOLLOW_BACK_MIN_FOLLOWING: usize = 1000;
/// Follow-back cue: follows at least this many times more accounts than follow it.
pub const FOLLOW_BACK_FACTOR: usize = 5;
/// Follow-back cue: at least this share of its followers are accounts it follows.
pub const FOLLOW_BACK_MIN_SHARE: f64 = 0.8;
/// Penalty of the engagement-pod cue (score × 0.4).
pub const POD_PENALTY: f64 = 0.6;
/// Pod cue: at least this many partners endorsing each other.
pub const POD_MIN_PARTNERS: usize = 5;
/// Pod cue: at least this share of the endorsements given go to them.
pub const POD_MIN_SHARE: f64 = 0.5;

/// Penalty of the shell cue.
pub const SHELL_PENALTY: f64 = 0.75;
/// Penalty of the inactive cue.
pub const INACTIVE_PENALTY: f64 = 0.2;
/// Penalty of the follow-ratio cue.
pub const FOLLOW_RATIO_PENALTY: f64 = 0.5;
/// Penalty per unit share of duplicate posts.
pub const DUPLICATE_PENALTY: f64 = 0.8;
/// Penalty per unit share of bursty gaps.
pub const BURST_PENALTY: f64 = 0.6;
/// Penalty of the young-account cue.
pub const YOUNG_PENALTY: f64 = 0.3;
/// Penalty of the default-profile cue.
pub const DEFAULT_PROFILE_PENALTY: f64 = 0.2;

/// Following must reach this multiple of `followers + 1` for the ratio cue.
pub const FOLLOW_RATIO_FACTOR: u64 = 20;
/// ... and at least this many accounts followed.
pub const FOLLOW_RATIO_MIN_FOLLOWING: u64 = 100;
/// Fewest posts with text for the duplicate cue.
pub const DUPLICATE_MIN_POSTS: usize = 3;
/// Fewest timed posts for the burst cue.
pub const BURST_MIN_POSTS: usize = 5;
/// Gap (ms) under which two consecutive posts count as a burst.
pub const BURST_GAP_MS: i64 = 10_000;
/// Age (ms) under which an account is young: 30 days.
pub const YOUNG_AGE_MS: i64 = 30 * 86_400_000;

/// Every cue: flag and the sentence [`Authenticity::cues`] gives for it.
pub const CUES: [(u16, &str); 11] = [
    (BOT, "declared bot"),
    (
        SHELL,
        "shell: no posts, no interactions, no followers (bought-follower shape)",
    ),
    (INACTIVE, "inactive: followers but no posts or interactions"),
    (
        FOLLOW_RATIO,
        "follows at least 20 times more accounts than follow it",
    ),
    (DUPLICATE_TEXT, "repeats the text of its own posts"),
    (BURST, "posts in bursts less than 10 s apart"),
    (
        YOUNG,
        "account created less than 30 days before the data ends",
    ),
    (DEFAULT_PROFILE, "default profile: no bio, no display name"),
    (
        POD,
        "engagement pod: most of its re-shares, quotes and likes go to accounts that return them",
    ),
    (
        FOLLOW_BACK,
        "follow-back harvesting: mass-follows, and most of its followers are follow-backs",
    ),
    (
        MENTION_RING,
        "mention ring: repeatedly mentions an account that never answers, with a group that mentions it and each other",
    ),
];

/// Authenticity from which an account's endorsements and reactions count in
/// the contextual signals (0.5: a shell, a pod member or a declared bot is
/// below; one mild cue such as a default profile is not).
pub const AUTHENTIC_MIN: f64 = 0.5;

/// Whether account `v` counts as authentic (authenticity at least
/// [`AUTHENTIC_MIN`]; an account outside `authenticity` does).
pub fn is_authentic(authenticity: &[f64], v: u32) -> bool {
    authenticity
        .get(v as usize)
        .is_none_or(|a| *a >= AUTHENTIC_MIN)
}

/// Layers where accounts address each other.
const ADDRESS_LAYERS: [Layer; 2] = [Layer::Mention, Layer::Reply];

/// Layers of endorsement reactions, where pods trade engagement.
const POD_LAYERS: [Layer; 3] = [Layer::Repost, Layer::Quote, Layer::Like];

/// Layers whose in-edges show that the target published content.
const CONTENT_REACTIONS: [Layer; 4] = [Layer::Repost, Layer::Quote, Layer::Reply, Layer::Like];

/// Authenticity of every account (dense id order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Authenticity {
    /// 0..1 per account, 1 = looks like a genuine, active person.
    pub score: Vec<f64>,
    /// Bitset of the cues that fired ([`BOT`], [`SHELL`], ...).
    pub flags: Vec<u16>,
}

impl Authenticity {
    /// Human-readable cues that fired for `account`, in [`CUES`] order
    /// (empty for an unknown account).
    pub fn cues(&self, account: NodeId) -> Vec<&'static str> {
        let flags = self.flags.get(account.index()).copied().unwrap_or(0);
        CUES.iter()
            .filter(|(f, _)| flags & f != 0)
            .map(|&(_, s)| s)
            .collect()
    }

    /// Whether `flag` fired for `account`.
    pub fn has(&self, account: NodeId, flag: u16) -> bool {
        self.flags
            .get(account.index())
            .is_some_and(|f| f & flag != 0)
    }
}

/// What [`assess_one`] reads, shared by every account.
struct Shared<'a> {
    dataset: &'a Dataset,
    follow: Option<&'a LayerGraph>,
    /// Every non-follow layer.
    others: Vec<&'a LayerGraph>,
    content: Vec<&'a LayerGraph>,
    posts_by_author: &'a [Vec<u32>],
    pod: Vec<&'a LayerGraph>,
    /// Mention and reply layers.
    address: Vec<&'a LayerGraph>,
    /// Per account `t`: (one-way repeat mentioners of `t`, accounts
    /// addressing `t`), for the mention-ring cue.
    ring: Vec<(u32, u32)>,
    activity_observable: bool,
    has_bios: bool,
    last_time: Option<i64>,
}

/// Assesses every account of the network (see the [module docs](self) for
/// the cues and penalties).
///
/// `posts_by_author[v]` lists the indices into `dataset.posts` of `v`'s
/// posts (as the engine builds it); accounts past its end have none.
pub fn assess(dataset: &Dataset, network: &Network, posts_by_author: &[Vec<u32>]) -> Authenticity {
    let n = network.num_nodes();
    let others: Vec<&LayerGraph> = network
        .layers()
        .filter(|(l, _)| *l != Layer::Follow)
        .map(|(_, g)| g)
        .collect();
    let content = CONTENT_REACTIONS
        .iter()
        .filter_map(|&l| network.layer(l))
        .collect();
    let last_time = dataset
        .posts
        .iter()
        .filter_map(|p| p.time.map(|t| t.millis()))
        .chain(
            dataset
                .interactions
                .non_empty()
                .filter_map(|(_, log)| log.time_span().map(|(_, hi)| hi.millis())),
        )
        .max();
    let unsolicited = unsolicited_replies(dataset, n);
    let address: Vec<&LayerGraph> = ADDRESS_LAYERS
        .iter()
        .filter_map(|&l| match (l, &unsolicited) {
            (Layer::Reply, Some(g)) => Some(g),
            _ => network.layer(l),
        })
        .collect();
    let ring = ring_sizes(&address, n);
    let shared = Shared {
        address,
        ring,
        dataset,
        follow: network.layer(Layer::Follow),
        activity_observable: !dataset.posts.is_empty() || !others.is_empty(),
        others,
        content,
        posts_by_author,
        pod: POD_LAYERS
            .iter()
            .filter_map(|&l| network.layer(l))
            .collect(),
        has_bios: dataset
            .accounts
            .iter()
            .any(|a| a.bio.as_deref().is_some_and(|b| !b.trim().is_empty())),
        last_time,
    };
    let (score, flags) = (0..n)
        .into_par_iter()
        .with_min_len(1024)
        .map(|i| assess_one(&shared, NodeId(i as u32)))
        .unzip();
    Authenticity { score, flags }
}

fn assess_one(s: &Shared<'_>, node: NodeId) -> (f64, u16) {
    let account: Option<&Account> = s.dataset.account(node);
    if account.and_then(|a| a.bot) == Some(true) {
        return (0.0, BOT);
    }
    let posts: &[u32] = s
        .posts_by_author
        .get(node.index())
        .map_or(&[][..], Vec::as_slice);
    let mut flags = 0u16;
    let mut score = 1.0f64;
    let mut penalise = |flag: u16, penalty: f64| {
        if penalty > 0.0 {
            flags |= flag;
            score *= 1.0 - penalty;
        }
    };

    // Activity and audience.
    let declared_posts = account.and_then(|a| a.posts);
    let active = !posts.is_empty()
        || declared_posts.is_some_and(|p| p > 0)
        || s.others.iter().any(|g| g.out_degree(node) > 0)
        || s.content.iter().any(|g| g.in_degree(node) > 0);
    let addressed = s.others.iter().any(|g| g.in_degree(node) > 0);
    let declared_followers = account.and_then(|a| a.followers);
    let follow_in = s.follow.map_or(0, |g| g.in_degree(node)) as u64;
    let followers = declared_followers.unwrap_or(0).max(follow_in);
    let followers_observable = s.follow.is_some() || declared_followers.is_some();
    let activity_observable = s.activity_observable || declared_posts.is_some();
    if activity_observable && followers_observable && !active {
        if followers == 0 && !addressed {
            penalise(SHELL, SHELL_PENALTY);
        } else if followers > 0 {
            penalise(INACTIVE, INACTIVE_PENALTY);
        }
    }
    let following = account
        .and_then(|a| a.following)
        .unwrap_or(0)
        .max(s.follow.map_or(0, |g| g.out_degree(node)) as u64);
    if following >= FOLLOW_RATIO_MIN_FOLLOWING
        && following >= FOLLOW_RATIO_FACTOR.saturating_mul(followers.saturating_add(1))
    {
        penalise(FOLLOW_RATIO, FOLLOW_RATIO_PENALTY);
    }

    // Follow-back harvesting.
    if let Some(g) = s.follow {
        let following = g.out_neighbors(node).0;
        let followers = g.in_neighbors(node).0;
        if following.len() >= FOLLOW_BACK_MIN_FOLLOWING
            && following.len() >= FOLLOW_BACK_FACTOR * (followers.len() + 1)
            && !followers.is_empty()
        {
            // Both neighbour lists are sorted by id.
            let back = followers
                .iter()
                .filter(|f| following.binary_search(f).is_ok())
                .count();
            if back as f64 >= FOLLOW_BACK_MIN_SHARE * followers.len() as f64 {
                penalise(FOLLOW_BACK, FOLLOW_BACK_PENALTY);
            }
        }
    }

    // Engagement pod.
    if !s.pod.is_empty() {
        let mut given: FxHashMap<u32, f64> = FxHashMap::default();
        for g in &s.pod {
            let (targets, weights) = g.out_neighbors(node);
            for (&t, &w) in targets.iter().zip(weights) {
                if t != node.0 {
                    *given.entry(t).or_insert(0.0) += f64::from(w);
                }
            }
        }
        let total: f64 = given.values().sum();
        let mut returned = 0usize;
        let mut returned_weight = 0.0;
        for (&t, &w) in &given {
            if s.pod.iter().any(|g| g.has_edge(NodeId(t), node)) {
                returned += 1;
                returned_weight += w;
            }
        }
        if returned >= POD_MIN_PARTNERS && returned_weight >= POD_MIN_SHARE * total {
            penalise(POD, POD_PENALTY);
        }
    }

    // Mention ring.
    if in_mention_ring(s, node) {
        penalise(MENTION_RING, RING_PENALTY);
    }

    // Behaviour.
    let all_posts = &s.dataset.posts;
    penalise(
        DUPLICATE_TEXT,
        DUPLICATE_PENALTY * duplicate_share(posts.iter().map(|&i| &all_posts[i as usize])),
    );
    penalise(
        BURST,
        BURST_PENALTY * burst_share(posts.iter().map(|&i| &all_posts[i as usize])),
    );

    // Profile.
    if let Some(a) = account
        && a.verified != Some(true)
    {
        if let (Some(created), Some(last)) = (a.created_at, s.last_time)
            && last.saturating_sub(created.millis()) < YOUNG_AGE_MS
        {
            penalise(YOUNG, YOUNG_PENALTY);
        }
        let blank = |x: &Option<String>| x.as_deref().is_none_or(|t| t.trim().is_empty());
        let profile_read = a.followers.is_some()
            || a.following.is_some()
            || a.posts.is_some()
            || a.created_at.is_some()
            || a.verified.is_some();
        if s.has_bios && profile_read && blank(&a.bio) && blank(&a.display_name) {
            penalise(DEFAULT_PROFILE, DEFAULT_PROFILE_PENALTY);
        }
    }
    (score, flags)
}

/// Number of mentions and replies `from → to` (input rows merged into the
/// edges; 0 without an edge).
fn addressed(address: &[&LayerGraph], from: u32, to: u32) -> u32 {
    address
        .iter()
        .filter_map(|g| {
            g.find_edge(NodeId(from), NodeId(to))
                .map(|e| g.edge_count(e))
        })
        .sum()
}

/// The reply layer without the replies a question asked for, when the
/// data has questions (a Q&A community): an answer to a question, or a
/// comment under it, answers the asker's public request; it is not an
/// unsolicited address, so it never makes its author a one-way repeat
/// mentioner of the asker (the mention-ring cue). `None` when no reply is
/// solicited: the network's reply layer is used as it is.
fn unsolicited_replies(dataset: &Dataset, n: usize) -> Option<LayerGraph> {
    let replies = dataset.interactions.layer(Layer::Reply);
    let solicited = |i: usize| {
        let Some(p) = replies
            .get(Layer::Reply, i)
            .post
            .and_then(|p| dataset.posts.get(p as usize))
        else {
            return false;
        };
        match p.kind {
            PostKind::Answer => true,
            PostKind::Comment => p
                .reply_to
                .as_ref()
                .and_then(|r| dataset.post_index(&r.post))
                .is_some_and(|q| dataset.posts[q].kind == PostKind::Question),
            _ => false,
        }
    };
    if !(0..replies.len()).any(solicited) {
        return None;
    }
    let mut log = LayerLog::default();
    for i in (0..replies.len()).filter(|&i| !solicited(i)) {
        let r = replies.get(Layer::Reply, i);
        log.push(r.actor, r.target, r.weight, r.time, r.value, r.post);
    }
    LayerGraph::build(&log, n, &BuildOptions::default()).ok()
}

/// Whether `b` is a one-way repeat mentioner of `t`: at least
/// [`RING_MIN_REPEAT`] mentions and replies to `t`, none back.
fn one_way_repeat(address: &[&LayerGraph], b: u32, t: u32) -> bool {
    b != t && addressed(address, b, t) >= RING_MIN_REPEAT && addressed(address, t, b) == 0
}

/// Per account `t`: the number of its one-way repeat mentioners and the
/// number of distinct accounts addressing it. O(E log d), parallel over
/// accounts.
fn ring_sizes(address: &[&LayerGraph], n: usize) -> Vec<(u32, u32)> {
    if address.is_empty() {
        return Vec::new();
    }
    (0..n as u32)
        .into_par_iter()
        .with_min_len(1024)
        .map(|t| {
            let mut sources: Vec<u32> = address
                .iter()
                .filter(|g| (t as usize) < g.num_nodes())
                .flat_map(|g| g.in_neighbors(NodeId(t)).0.iter().copied())
                .collect();
            sources.sort_unstable();
            sources.dedup();
            let repeat = sources
                .iter()
                .filter(|&&b| one_way_repeat(address, b, t))
                .count();
            (repeat as u32, sources.len() as u32)
        })
        .collect()
}

/// The mention-ring cue for `node` (see the [module docs](self)).
fn in_mention_ring(s: &Shared<'_>, node: NodeId) -> bool {
    if s.address.is_empty() {
        return false;
    }
    let mut targets: Vec<u32> = s
        .address
        .iter()
        .filter(|g| node.index() < g.num_nodes())
        .flat_map(|g| g.out_neighbors(node).0.iter().copied())
        .filter(|&t| t != node.0)
        .collect();
    // Targets in id order, so the work done is deterministic.
    targets.sort_unstable();
    targets.dedup();
    let targets: Vec<(u32, u32)> = targets
        .into_iter()
        .map(|t| (t, addressed(&s.address, node.0, t)))
        .collect();
    let total: f64 = targets.iter().map(|&(_, w)| f64::from(w)).sum();
    for &(t, w) in &targets {
        if w < RING_MIN_REPEAT || !one_way_repeat(&s.address, node.0, t) {
            continue;
        }
        let (repeat, sources) = s.ring[t as usize];
        if (repeat as usize) < RING_MIN_SIZE
            || f64::from(repeat) < RING_MIN_SHARE_OF_TARGET * f64::from(sources)
        {
            continue;
        }
        let mut links = 0usize;
        let mut ring_weight = f64::from(w);
        for &(b, wb) in &targets {
            if b != t && one_way_repeat(&s.address, b, t) {
                links += 1;
                ring_weight += f64::from(wb);
            }
        }
        if links >= RING_MIN_LINKS && ring_weight >= RING_MIN_CONCENTRATION * total {
            return true;
        }
    }
    false
}

/// The text compared by the duplicate cue: words without `@mentions` and
/// links, lower-cased, single-spaced (see the [module docs](self)).
pub fn normalised_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if word.starts_with('@') || word.starts_with("http://") || word.starts_with("https://") {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Share of the posts (re-shares and empty texts left out, at least
/// [`DUPLICATE_MIN_POSTS`] left) whose normalised text equals another's.
pub fn duplicate_share<'a>(posts: impl Iterator<Item = &'a Post>) -> f64 {
    let mut counts: FxHashMap<String, u32> = FxHashMap::default();
    let mut total = 0usize;
    for p in posts.filter(|p| p.repost_of.is_none()) {
        let t = normalised_text(&p.text);
        if t.is_empty() {
            continue;
        }
        total += 1;
        *counts.entry(t).or_insert(0) += 1;
    }
    if total < DUPLICATE_MIN_POSTS {
        return 0.0;
    }
    let repeated: u32 = counts.values().filter(|&&c| c >= 2).sum();
    f64::from(repeated) / total as f64
}

/// Share of the gaps between consecutive timed posts (time order) below
/// [`BURST_GAP_MS`], when there are at least [`BURST_MIN_POSTS`] timed posts.
pub fn burst_share<'a>(posts: impl Iterator<Item = &'a Post>) -> f64 {
    let mut times: Vec<i64> = posts.filter_map(|p| p.time.map(|t| t.millis())).collect();
    if times.len() < BURST_MIN_POSTS {
        return 0.0;
    }
    times.sort_unstable();
    let bursts = times
        .windows(2)
        .filter(|w| w[1] - w[0] < BURST_GAP_MS)
        .count();
    bursts as f64 / (times.len() - 1) as f64
}
