//! The `Engine`: everything read from the data, built once, shared by every
//! campaign scored on it, with the campaign-independent work (account
//! authenticity, the communities of the interaction view, the behaviour the
//! classification reads) computed once per engine.

pub mod authenticity;
pub mod behaviour;
pub mod views;

use authenticity::Authenticity;
use behaviour::Behaviour;
use portevoix_core::{Account, Cascade, Error, InteractionLog, NodeId, Post};
use portevoix_graph::{BuildOptions, Network};
use portevoix_ingest::{Dataset, IngestReport};
use portevoix_text::analysis::Analyzer;
use portevoix_text::corpus::{Corpus, CorpusOptions};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// The data a campaign is scored on: the accounts, posts, interactions and
/// cascades read, the frozen multi-layer network and the analysed corpus.
///
/// Built once (with [`Engine::builder`]); read-only afterwards and `Send +
/// Sync`, so one engine scores many campaigns, concurrently if the caller
/// wishes. What does not depend on a campaign is computed once: account
/// authenticity when the engine is built, the communities of the
/// interaction view and the behaviour the classification reads on first
/// use.
///
/// # Example
///
/// ```
/// use portevoix_ingest::{FormatKind, ReadOptions, load_bytes};
/// use portevoix_score::Engine;
///
/// let csv = b"tweet_id,name,text,tweet_created\n1,ann,@united lost my bag again,2015-02-20T10:00\n\
///             2,bob,@united great crew today,2015-02-21T11:00\n".to_vec();
/// let dataset = load_bytes("t.csv", csv, FormatKind::PostsCsv, &ReadOptions::default()).unwrap();
/// let engine = Engine::builder().dataset(dataset).build().unwrap();
/// let united = engine.resolve("@United").unwrap();
/// assert_eq!(engine.label(united), "@united");
/// assert_eq!(engine.corpus().num_posts(), 2);
/// assert_eq!(engine.num_accounts(), 3);
/// assert_eq!(engine.posts().len(), 2);
/// ```
#[derive(Debug)]
pub struct Engine {
    /// The dataset read; its interner lives in the network (only the
    /// accessors below expose the rest).
    dataset: Dataset,
    network: Network,
    corpus: Corpus,
    /// Lowercased handle (without `@`) -> account.
    handles: FxHashMap<String, NodeId>,
    /// Post indices per author, in input order; indexed by dense id.
    posts_by_author: Vec<Vec<u32>>,
    /// Authenticity of every account, assessed once.
    authenticity: Authenticity,
    /// Communities of the interaction view, on first use.
    communities: OnceLock<Vec<u32>>,
    /// The behaviour the classification reads, on first use.
    behaviour: OnceLock<Behaviour>,
}

// A service keeps one engine and scores campaigns on many threads.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Engine>();
};

/// Builds an [`Engine`] from a dataset: the network options and the text
/// analyser can be chosen; [`EngineBuilder::build`] does the work.
#[derive(Debug, Default)]
pub struct EngineBuilder {
    dataset: Option<Dataset>,
    network: BuildOptions,
    analyzer: Option<Analyzer>,
    corpus: CorpusOptions,
}

impl EngineBuilder {
    /// The data (from `portevoix_ingest::load` or `load_bytes`).
    pub fn dataset(mut self, dataset: Dataset) -> Self {
        self.dataset = Some(dataset);
        self
    }

    /// How the network is built (duplicates, self-loops); the default
    /// merges duplicate edges by summing them and drops self-loops.
    pub fn network_options(mut self, options: BuildOptions) -> Self {
        self.network = options;
        self
    }

    /// The analyser of posts and bios (default: [`Analyzer::standard`]).
    pub fn analyzer(mut self, analyzer: Analyzer) -> Self {
        self.analyzer = Some(analyzer);
        self
    }

    /// How the corpus is built.
    pub fn corpus_options(mut self, options: CorpusOptions) -> Self {
        self.corpus = options;
        self
    }

    /// Builds the network (moving the interner into it), the corpus and the
    /// accounts' authenticity.
    ///
    /// # Errors
    ///
    /// [`Error::Argument`] without a dataset; what [`Network::build`]
    /// reports (an interaction naming an unknown id).
    ///
    /// # Complexity
    ///
    /// The network build (parallel, O(E)), the corpus analysis (parallel,
    /// O(text)) and the authenticity cues (parallel, O(E + posts)).
    pub fn build(self) -> Result<Engine, Error> {
        let mut dataset = self.dataset.ok_or_else(|| {
            Error::argument(
                "dataset",
                "an engine needs a dataset (EngineBuilder::dataset)",
            )
        })?;
        let analyzer = self.analyzer.unwrap_or_else(Analyzer::standard);
        let interner = std::mem::take(&mut dataset.interner);
        let network = Network::build(&dataset.interactions, interner, &self.network)?;
        let corpus = Corpus::build(&dataset.posts, &dataset.accounts, &analyzer, &self.corpus);
        let mut handles = FxHashMap::default();
        for a in &dataset.accounts {
            if let Some(h) = &a.handle {
                handles
                    .entry(h.trim_start_matches('@').to_lowercase())
                    .or_insert(a.id);
            }
        }
        let mut posts_by_author = vec![Vec::new(); network.num_nodes()];
        for (i, p) in dataset.posts.iter().enumerate() {
            if let Some(list) = posts_by_author.get_mut(p.author.index()) {
                list.push(i as u32);
            }
        }
        let authenticity = authenticity::assess(&dataset, &network, &posts_by_author);
        Ok(Engine {
            dataset,
            network,
            corpus,
            handles,
            posts_by_author,
            authenticity,
            communities: OnceLock::new(),
            behaviour: OnceLock::new(),
        })
    }
}

impl Engine {
    /// A builder: `Engine::builder().dataset(dataset).build()?`.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// [`Engine::builder`] with a dataset, network options and an analyser.
    ///
    /// # Errors
    ///
    /// As [`EngineBuilder::build`].
    pub fn new(
        dataset: Dataset,
        build: &BuildOptions,
        analyzer: &Analyzer,
    ) -> Result<Engine, Error> {
        Engine::builder()
            .dataset(dataset)
            .network_options(build.clone())
            .analyzer(analyzer.clone())
            .build()
    }

    /// The frozen network (and the interner: external ids).
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The analysed corpus.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// Profiles, sorted by dense id (sparse: only the accounts an input
    /// described).
    pub fn accounts(&self) -> &[Account] {
        &self.dataset.accounts
    }

    /// The profile of an account, if an input gave one.
    pub fn account(&self, node: NodeId) -> Option<&Account> {
        self.dataset.account(node)
    }

    /// The account's handle (without `@`), if an input gave one.
    pub fn handle(&self, node: NodeId) -> Option<&str> {
        self.dataset.handle(node)
    }

    /// Posts, in order of first appearance.
    pub fn posts(&self) -> &[Post] {
        &self.dataset.posts
    }

    /// The index in [`Engine::posts`] of a post by its platform id.
    pub fn post_index(&self, post_id: &str) -> Option<usize> {
        self.dataset.post_index(post_id)
    }

    /// The interactions read, per layer, in input order (the network holds
    /// them merged).
    pub fn interactions(&self) -> &InteractionLog {
        &self.dataset.interactions
    }

    /// The propagation trees read.
    pub fn cascades(&self) -> &[Cascade] {
        &self.dataset.cascades
    }

    /// What was read, skipped and merged, per file.
    pub fn report(&self) -> &IngestReport {
        &self.dataset.report
    }

    /// Authenticity of every account (score 0..1 and the cues that fired),
    /// assessed once from the profiles, the network and the posts; see
    /// [`authenticity`] for the cues and penalties.
    pub fn authenticity(&self) -> &Authenticity {
        &self.authenticity
    }

    /// Number of accounts (dense ids `0..n`).
    pub fn num_accounts(&self) -> usize {
        self.network.num_nodes()
    }

    /// Indices into [`Engine::posts`] of the account's posts, in input order.
    pub fn posts_of(&self, account: NodeId) -> &[u32] {
        self.posts_by_author
            .get(account.index())
            .map_or(&[][..], Vec::as_slice)
    }

    /// The account named by `@handle` (case-insensitive) or by its external id.
    pub fn resolve(&self, name: &str) -> Option<NodeId> {
        let name = name.trim();
        if let Some(h) = name.strip_prefix('@') {
            return self.handles.get(&h.to_lowercase()).copied();
        }
        self.network
            .interner()
            .get(name)
            .or_else(|| self.handles.get(&name.to_lowercase()).copied())
    }

    /// Resolves a list of names; returns the accounts found and the names
    /// that match no account (reported, never dropped silently).
    pub fn resolve_all<'a>(&self, names: &'a [String]) -> (Vec<NodeId>, Vec<&'a str>) {
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for n in names {
            match self.resolve(n) {
                Some(id) => found.push(id),
                None => missing.push(n.as_str()),
            }
        }
        found.sort_unstable();
        found.dedup();
        (found, missing)
    }

    /// `@handle` when known, else the external id.
    pub fn label(&self, account: NodeId) -> String {
        match self.handle(account) {
            Some(h) => format!("@{h}"),
            None => self
                .network
                .try_name(account)
                .map_or_else(|| account.to_string(), |n| n.to_string()),
        }
    }

    /// Every account's audience: declared followers when the export gives
    /// them, else the in-degree of the follow layer (A → B is "A follows
    /// B"), else 0.
    pub fn audience(&self) -> Vec<f64> {
        let follow = self.network.layer(portevoix_core::Layer::Follow);
        (0..self.num_accounts())
            .map(|i| {
                let node = NodeId(i as u32);
                match self.account(node).and_then(|a| a.followers) {
                    Some(f) => f as f64,
                    None => follow.map_or(0.0, |g| g.in_degree(node) as f64),
                }
            })
            .collect()
    }

    /// The account's external id as text (its dense id when unknown).
    pub fn external_id(&self, account: NodeId) -> String {
        self.network
            .try_name(account)
            .map_or_else(|| account.to_string(), |n| n.to_string())
    }

    /// The community of every account in the interaction view
    /// ([`views::interaction_communities`]), computed on first use and kept.
    ///
    /// Computed outside any lock: campaigns scored concurrently (rayon tasks
    /// included) may each compute it on first use; the values are identical
    /// and the first stored is kept.
    ///
    /// # Errors
    ///
    /// What Leiden reports.
    pub fn communities(&self) -> Result<&[u32], Error> {
        if let Some(c) = self.communities.get() {
            return Ok(c);
        }
        let computed = views::interaction_communities(&self.network)?;
        let _ = self.communities.set(computed);
        Ok(self.communities.get().expect("stored just above"))
    }

    /// The behaviour of every account the classification reads
    /// ([`Behaviour`]), computed on first use and kept (as
    /// [`Engine::communities`]).
    ///
    /// # Errors
    ///
    /// What [`Engine::communities`] reports.
    pub fn behaviour(&self) -> Result<&Behaviour, Error> {
        if let Some(b) = self.behaviour.get() {
            return Ok(b);
        }
        let computed = Behaviour::measure(self, self.communities()?);
        let _ = self.behaviour.set(computed);
        Ok(self.behaviour.get().expect("stored just above"))
    }
}
