//! The result of ingestion: accounts, posts, interactions and cascades over
//! one id space, with the diagnostics of every file read.

use crate::diagnostics::{FileReport, IngestReport, Mode};
use portevoix_core::{
    Account, Cascade, Error, Interaction, InteractionLog, Interner, NodeId, Post, PostRef,
};
use rustc_hash::{FxHashMap, FxHashSet};

/// Everything read from a set of inputs, ready to build a network and a corpus.
///
/// Accounts are stored sparsely: an edge list with ten million ids creates
/// ten million dense ids in the [`Interner`] but no [`Account`] records;
/// profile data exists only where an input gave some.
#[derive(Debug, Default)]
pub struct Dataset {
    /// External id ↔ dense id, in order of first appearance across inputs.
    pub interner: Interner,
    /// Profiles, sorted by dense id.
    pub accounts: Vec<Account>,
    /// Posts, deduplicated by post id, in order of first appearance.
    pub posts: Vec<Post>,
    /// Interactions per layer, in input order.
    pub interactions: InteractionLog,
    /// Propagation trees.
    pub cascades: Vec<Cascade>,
    /// What was read, skipped and merged, per file.
    pub report: IngestReport,
    /// Pseudonym → original, when the load pseudonymised and was asked to
    /// keep the way back ([`ReadOptions::keep_pseudonym_map`](crate::ReadOptions::keep_pseudonym_map)).
    pub pseudonym_map: Option<crate::privacy::PseudonymMap>,
    account_of: FxHashMap<u32, u32>,
    post_of: FxHashMap<String, u32>,
}

impl Dataset {
    /// Number of distinct accounts (dense ids).
    pub fn num_nodes(&self) -> usize {
        self.interner.len()
    }

    /// The profile of an account, if any input gave one.
    pub fn account(&self, node: NodeId) -> Option<&Account> {
        self.account_of
            .get(&node.0)
            .map(|&i| &self.accounts[i as usize])
    }

    /// The index of a post in [`Dataset::posts`] by its platform id.
    pub fn post_index(&self, post_id: &str) -> Option<usize> {
        self.post_of.get(post_id).map(|&i| i as usize)
    }

    /// The account's handle (without `@`), if an input gave one.
    pub fn handle(&self, node: NodeId) -> Option<&str> {
        self.account(node).and_then(|a| a.handle.as_deref())
    }

    /// Rebuilds the post-id index after post ids changed
    /// ([`crate::privacy`]); `Err` if two posts now share an id.
    pub(crate) fn posts_reindex(&mut self) -> Result<(), ()> {
        self.post_of.clear();
        for (i, q) in self.posts.iter().enumerate() {
            if self.post_of.insert(q.id.clone(), i as u32).is_some() {
                return Err(());
            }
        }
        Ok(())
    }

    /// A readable label for an account: `@handle` if known, else its external
    /// id, else (when the interner was moved into a network) `#dense-id`.
    pub fn label(&self, node: NodeId) -> String {
        match (self.handle(node), self.interner.try_name(node)) {
            (Some(h), _) => format!("@{h}"),
            (None, Some(name)) => name.to_string(),
            (None, None) => node.to_string(),
        }
    }
}

/// Accumulates what readers produce, deduplicating accounts (by external id
/// and handle) and posts (by id), then [`DatasetBuilder::finish`]es into a
/// [`Dataset`].
#[derive(Debug, Default)]
pub struct DatasetBuilder {
    mode: Mode,
    interner: Interner,
    accounts: Vec<Account>,
    account_of: FxHashMap<u32, u32>,
    /// Lower-cased handle → account.
    handles: FxHashMap<String, NodeId>,
    /// Accounts created from an unresolved `@handle` (external id `@handle`).
    stand_ins: FxHashSet<u32>,
    /// Stand-in → the real account that turned out to own the handle.
    aliases: Vec<(u32, u32)>,
    posts: Vec<Post>,
    post_of: FxHashMap<String, u32>,
    interactions: InteractionLog,
    cascades: Vec<Cascade>,
    files: Vec<FileReport>,
    /// References to posts not read yet, settled at [`DatasetBuilder::finish`].
    deferred: Vec<Deferred>,
}

/// Which reference of a post a deferred reference completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefField {
    /// [`Post::reply_to`].
    ReplyTo,
    /// [`Post::repost_of`].
    RepostOf,
    /// [`Post::quote_of`].
    QuoteOf,
}

/// A reference from a post to a post that was not read yet.
#[derive(Debug)]
struct Deferred {
    /// The report of the input that made the reference.
    file: usize,
    post: u32,
    field: RefField,
    ref_post: String,
    /// The interaction to add, towards the referenced post's author, once known.
    interaction: Option<Interaction>,
}

/// The outcome of [`DatasetBuilder::add_post`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostAdded {
    /// A new post, at this index.
    New(u32),
    /// The id was already known: the post at this index was completed with
    /// the new copy's fields. Readers must not emit the interactions of a
    /// duplicate again.
    Duplicate(u32),
}

impl PostAdded {
    /// The index of the post either way.
    pub fn index(self) -> u32 {
        match self {
            PostAdded::New(i) | PostAdded::Duplicate(i) => i,
        }
    }
}

impl DatasetBuilder {
    /// An empty builder reading in `mode`.
    pub fn new(mode: Mode) -> DatasetBuilder {
        DatasetBuilder {
            mode,
            ..DatasetBuilder::default()
        }
    }

    /// The mode readers must apply.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The dense id of an external id, interning it on first sight.
    #[inline]
    pub fn node(&mut self, external: &str) -> Result<NodeId, Error> {
        Ok(self.interner.intern(external)?)
    }

    /// The dense id of a numeric external id.
    #[inline]
    pub fn node_u64(&mut self, external: u64) -> Result<NodeId, Error> {
        Ok(self.interner.intern_u64(external)?)
    }

    /// Direct access to the interner, for bulk readers.
    pub fn interner_mut(&mut self) -> &mut Interner {
        &mut self.interner
    }

    /// The interner.
    pub fn interner(&self) -> &Interner {
        &self.interner
    }

    /// Direct access to the interaction log, for bulk readers.
    pub fn interactions_mut(&mut self) -> &mut InteractionLog {
        &mut self.interactions
    }

    /// Appends an interaction.
    #[inline]
    pub fn push(&mut self, interaction: Interaction) {
        self.interactions.push(interaction);
    }

    /// Adds or completes an account profile, keyed by `account.external_id`
    /// (its `id` field is ignored and set). Fields already known win; the
    /// returned list names the fields where the new copy disagreed.
    /// If the handle was first seen as an unresolved `@handle` mention, that
    /// stand-in is merged into this account at [`DatasetBuilder::finish`].
    pub fn upsert_account(
        &mut self,
        mut account: Account,
    ) -> Result<(NodeId, Vec<&'static str>), Error> {
        let node = self.node(&account.external_id)?;
        account.id = node;
        if let Some(handle) = account.handle.as_deref() {
            let key = handle.trim_start_matches('@').to_lowercase();
            match self.handles.get(&key) {
                Some(&owner) if owner != node && self.stand_ins.contains(&owner.0) => {
                    self.aliases.push((owner.0, node.0));
                    self.stand_ins.remove(&owner.0);
                    self.handles.insert(key, node);
                }
                Some(_) => {}
                None => {
                    self.handles.insert(key, node);
                }
            }
        }
        let conflicts = match self.account_of.get(&node.0) {
            Some(&i) => self.accounts[i as usize].merge_from(&account),
            None => {
                self.account_of.insert(node.0, self.accounts.len() as u32);
                self.accounts.push(account);
                Vec::new()
            }
        };
        Ok((node, conflicts))
    }

    /// The profile of an account, if known so far.
    pub fn account(&self, node: NodeId) -> Option<&Account> {
        self.account_of
            .get(&node.0)
            .map(|&i| &self.accounts[i as usize])
    }

    /// The account that owns `handle` (with or without `@`, any case). An
    /// unknown handle gets a stand-in account with external id
    /// `@handle` (lower-cased), merged into the real account if one with
    /// that handle is read later.
    pub fn resolve_handle(&mut self, handle: &str) -> Result<NodeId, Error> {
        let bare = handle.trim_start_matches('@');
        let key = bare.to_lowercase();
        if let Some(&node) = self.handles.get(&key) {
            return Ok(node);
        }
        let external = format!("@{key}");
        let node = self.node(&external)?;
        self.handles.insert(key, node);
        if !self.account_of.contains_key(&node.0) {
            self.stand_ins.insert(node.0);
            self.account_of.insert(node.0, self.accounts.len() as u32);
            self.accounts.push(Account {
                handle: Some(bare.to_string()),
                ..Account::new(node, external)
            });
        }
        Ok(node)
    }

    /// The account that owns `handle`, if known, without creating one.
    pub fn lookup_handle(&self, handle: &str) -> Option<NodeId> {
        self.handles
            .get(&handle.trim_start_matches('@').to_lowercase())
            .copied()
    }

    /// Adds a post, or completes the known post with the same id: missing
    /// fields are filled, reaction counts take the larger value (counts only
    /// grow between snapshots of the same post).
    pub fn add_post(&mut self, post: Post) -> PostAdded {
        if let Some(&i) = self.post_of.get(&post.id) {
            let known = &mut self.posts[i as usize];
            merge_post(known, post);
            return PostAdded::Duplicate(i);
        }
        let i = self.posts.len() as u32;
        self.post_of.insert(post.id.clone(), i);
        self.posts.push(post);
        PostAdded::New(i)
    }

    /// The index of a known post.
    pub fn post_index(&self, post_id: &str) -> Option<u32> {
        self.post_of.get(post_id).copied()
    }

    /// A known post.
    pub fn post(&self, index: u32) -> Option<&Post> {
        self.posts.get(index as usize)
    }

    /// Adds a propagation tree.
    pub fn add_cascade(&mut self, cascade: Cascade) {
        self.cascades.push(cascade);
    }

    /// Defers a reference from post `post` to post `ref_post`, which no
    /// input has given yet, to [`DatasetBuilder::finish`], so that references
    /// resolve whatever the order of the inputs. If some input gave
    /// `ref_post` by then, the reference's missing author is completed and
    /// `interaction`, if any, is added with that author as its target;
    /// otherwise the input being read gets a `dangling reference` note (and a
    /// `reference with unknown author (no interaction)` note when an
    /// interaction was waiting).
    pub fn defer_reference(
        &mut self,
        post: u32,
        field: RefField,
        ref_post: String,
        interaction: Option<Interaction>,
    ) {
        self.deferred.push(Deferred {
            file: self.files.len(),
            post,
            field,
            ref_post,
            interaction,
        });
    }

    /// Records the report of a file read.
    pub fn add_report(&mut self, report: FileReport) {
        self.files.push(report);
    }

    /// Number of distinct accounts so far.
    pub fn num_nodes(&self) -> usize {
        self.interner.len()
    }

    /// Resolves handle stand-ins that turned out to belong to a real
    /// account (renumbering dense ids, keeping first-appearance order of the
    /// rest) and returns the dataset.
    pub fn finish(self) -> Dataset {
        let DatasetBuilder {
            mode,
            interner,
            mut accounts,
            account_of: _,
            handles: _,
            stand_ins: _,
            aliases,
            mut posts,
            post_of,
            mut interactions,
            mut cascades,
            mut files,
            deferred,
        } = self;
        // Settle deferred references before ids are renumbered: they hold
        // the ids of the time they were made, as the posts do.
        for d in deferred {
            let Some(&found) = post_of.get(&d.ref_post) else {
                if let Some(report) = files.get_mut(d.file) {
                    *report.notes.entry("dangling reference".into()).or_insert(0) += 1;
                    if d.interaction.is_some() {
                        *report
                            .notes
                            .entry("reference with unknown author (no interaction)".into())
                            .or_insert(0) += 1;
                    }
                }
                continue;
            };
            let author = posts[found as usize].author;
            if let Some(p) = posts.get_mut(d.post as usize) {
                let r = match d.field {
                    RefField::ReplyTo => &mut p.reply_to,
                    RefField::RepostOf => &mut p.repost_of,
                    RefField::QuoteOf => &mut p.quote_of,
                };
                if let Some(r) = r.as_mut().filter(|r| r.author.is_none()) {
                    r.author = Some(author);
                }
            }
            if let Some(i) = d.interaction {
                interactions.push(Interaction {
                    target: author,
                    ..i
                });
            }
        }
        let (interner, remap) = if aliases.is_empty() {
            (interner, None)
        } else {
            let n = interner.len();
            let mut target: Vec<u32> = (0..n as u32).collect();
            for &(from, to) in &aliases {
                target[from as usize] = to;
            }
            let mut fresh = Interner::new();
            let mut new_id = vec![u32::MAX; n];
            for (old, name) in interner.iter() {
                if target[old.index()] == old.0 {
                    // Capacity cannot be exceeded: the new interner holds fewer ids.
                    let id = fresh
                        .intern(&name.to_string())
                        .expect("fewer ids than before");
                    new_id[old.index()] = id.0;
                }
            }
            let remap: Vec<u32> = (0..n)
                .map(|i| {
                    let mut t = i;
                    // Aliases point at real accounts, which are never aliased themselves.
                    for _ in 0..4 {
                        if target[t] as usize == t {
                            break;
                        }
                        t = target[t] as usize;
                    }
                    new_id[t]
                })
                .collect();
            (fresh, Some(remap))
        };

        if let Some(remap) = &remap {
            let map = |n: &mut NodeId| n.0 = remap[n.index()];
            for layer in portevoix_core::Layer::ALL {
                let log = interactions.layer_mut(layer);
                for a in log.actor.iter_mut().chain(log.target.iter_mut()) {
                    *a = remap[*a as usize];
                }
            }
            for p in &mut posts {
                map(&mut p.author);
                p.mentions.iter_mut().for_each(map);
                for r in [&mut p.reply_to, &mut p.repost_of, &mut p.quote_of]
                    .into_iter()
                    .flatten()
                {
                    if let Some(a) = r.author.as_mut() {
                        map(a);
                    }
                }
                for l in &mut p.links {
                    if let Some(a) = l.target.author.as_mut() {
                        map(a);
                    }
                }
            }
            for c in &mut cascades {
                if let Some(r) = c.root.as_mut() {
                    map(r);
                }
                for e in &mut c.edges {
                    map(&mut e.child);
                    if let Some(p) = e.parent.as_mut() {
                        map(p);
                    }
                }
            }
            // Merge each stand-in profile into its real account.
            let mut merged: FxHashMap<u32, Account> = FxHashMap::default();
            for mut a in accounts.drain(..) {
                a.id.0 = remap[a.id.index()];
                match merged.get_mut(&a.id.0) {
                    Some(known) => {
                        if a.external_id.starts_with('@') {
                            known.merge_from(&a);
                        } else {
                            let stand_in = std::mem::replace(known, a);
                            known.merge_from(&stand_in);
                        }
                    }
                    None => {
                        merged.insert(a.id.0, a);
                    }
                }
            }
            accounts = merged.into_values().collect();
        }
        accounts.sort_by_key(|a| a.id);
        let account_of = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.0, i as u32))
            .collect();
        Dataset {
            interner,
            accounts,
            posts,
            interactions,
            cascades,
            report: IngestReport { mode, files },
            pseudonym_map: None,
            account_of,
            post_of,
        }
    }
}

fn merge_post(known: &mut Post, new: Post) {
    fn fill<T>(a: &mut Option<T>, b: Option<T>) {
        if a.is_none() {
            *a = b;
        }
    }
    fn max(a: &mut Option<u64>, b: Option<u64>) {
        *a = match (*a, b) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, y) => x.or(y),
        };
    }
    if known.text.is_empty() {
        known.text = new.text;
    }
    fill(&mut known.time, new.time);
    fill(&mut known.language, new.language);
    fill(&mut known.conversation, new.conversation);
    fill_ref(&mut known.reply_to, new.reply_to);
    fill_ref(&mut known.repost_of, new.repost_of);
    fill_ref(&mut known.quote_of, new.quote_of);
    if known.mentions.is_empty() {
        known.mentions = new.mentions;
    }
    if known.hashtags.is_empty() {
        known.hashtags = new.hashtags;
    }
    if known.urls.is_empty() {
        known.urls = new.urls;
    }
    let (k, n) = (&mut known.reactions, new.reactions);
    max(&mut k.reposts, n.reposts);
    max(&mut k.replies, n.replies);
    max(&mut k.likes, n.likes);
    max(&mut k.quotes, n.quotes);
    max(&mut k.impressions, n.impressions);
    max(&mut k.dislikes, n.dislikes);
    max(&mut k.bookmarks, n.bookmarks);
    if known.kind == portevoix_core::PostKind::Post {
        known.kind = new.kind;
    }
    fill(&mut known.title, new.title);
    fill(&mut known.score, new.score);
    fill(&mut known.accepted_reply, new.accepted_reply);
    if known.tags.is_empty() {
        known.tags = new.tags;
    }
    if known.reaction_history.is_empty() {
        known.reaction_history = new.reaction_history;
    }
    if known.links.is_empty() {
        known.links = new.links;
    }
}

fn fill_ref(a: &mut Option<PostRef>, b: Option<PostRef>) {
    match (a.as_mut(), b) {
        (None, b) => *a = b,
        (Some(x), Some(y)) if x.author.is_none() => x.author = y.author,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portevoix_core::{Layer, ReactionCounts};

    #[test]
    fn unresolved_handle_is_merged_into_the_real_account() {
        let mut b = DatasetBuilder::new(Mode::Strict);
        let fan = b.node("100").unwrap();
        let star_stand_in = b.resolve_handle("@LeMondeFr").unwrap();
        b.push(Interaction::new(fan, star_stand_in, Layer::Mention));
        let other = b.node("300").unwrap();
        let (star, _) = b
            .upsert_account(Account {
                handle: Some("lemondefr".into()),
                followers: Some(10_000_000),
                ..Account::new(NodeId(0), "24744541")
            })
            .unwrap();
        assert_ne!(star, star_stand_in);
        b.push(Interaction::new(other, star, Layer::Repost));
        let ds = b.finish();
        // "@lemondefr" disappeared; ids stay dense in first-appearance order.
        assert_eq!(ds.num_nodes(), 3);
        let names: Vec<String> = ds.interner.iter().map(|(_, n)| n.to_string()).collect();
        assert_eq!(names, vec!["100", "300", "24744541"]);
        let mention = ds.interactions.layer(Layer::Mention).get(Layer::Mention, 0);
        let repost = ds.interactions.layer(Layer::Repost).get(Layer::Repost, 0);
        assert_eq!(mention.target, repost.target);
        let acc = ds.account(mention.target).unwrap();
        assert_eq!(acc.external_id, "24744541");
        assert_eq!(acc.followers, Some(10_000_000));
        assert_eq!(ds.accounts.len(), 1);
    }

    #[test]
    fn duplicate_posts_are_completed_not_repeated() {
        let mut b = DatasetBuilder::new(Mode::Lenient);
        let a = b.node("1").unwrap();
        let first = b.add_post(Post {
            id: "9".into(),
            author: a,
            reactions: ReactionCounts {
                likes: Some(3),
                ..Default::default()
            },
            ..Post::default()
        });
        let second = b.add_post(Post {
            id: "9".into(),
            author: a,
            text: "hello".into(),
            reactions: ReactionCounts {
                likes: Some(7),
                reposts: Some(1),
                ..Default::default()
            },
            ..Post::default()
        });
        assert_eq!(first, PostAdded::New(0));
        assert_eq!(second, PostAdded::Duplicate(0));
        let ds = b.finish();
        assert_eq!(ds.posts.len(), 1);
        assert_eq!(ds.posts[0].text, "hello");
        assert_eq!(ds.posts[0].reactions.likes, Some(7));
        assert_eq!(ds.posts[0].reactions.reposts, Some(1));
        assert_eq!(ds.post_index("9"), Some(0));
    }
}
