//! The `Engine`: everything read from the data, built once, shared by every
//! campaign scored on it.

use crate::authenticity::{self, Authenticity};
use portevoix_core::{Error, NodeId};
use portevoix_graph::{BuildOptions, Network};
use portevoix_ingest::Dataset;
use portevoix_text::analysis::Analyzer;
use portevoix_text::corpus::{Corpus, CorpusOptions};
use rustc_hash::FxHashMap;

/// The data a campaign is scored on: the dataset (accounts, posts,
/// cascades), the frozen multi-layer network and the analysed corpus.
///
/// Built once from a [`Dataset`]; read-only afterwards and `Send + Sync`, so
/// one engine scores many campaigns, concurrently if the caller wishes.
///
/// # Example
///
/// ```
/// use portevoix_graph::BuildOptions;
/// use portevoix_ingest::{FormatKind, ReadOptions, load_bytes};
/// use portevoix_score::engine::Engine;
/// use portevoix_text::analysis::Analyzer;
///
/// let csv = b"tweet_id,name,text,tweet_created\n1,ann,@united lost my bag again,2015-02-20T10:00\n\
///             2,bob,@united great crew today,2015-02-21T11:00\n".to_vec();
/// let dataset = load_bytes("t.csv", csv, FormatKind::PostsCsv, &ReadOptions::default()).unwrap();
/// let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap();
/// let united = engine.resolve("@United").unwrap();
/// assert_eq!(engine.label(united), "@united");
/// assert_eq!(engine.corpus().num_posts(), 2);
/// ```
#[derive(Debug)]
pub struct Engine {
    dataset: Dataset,
    network: Network,
    corpus: Corpus,
    /// Lowercased handle (without `@`) -> account.
    handles: FxHashMap<String, NodeId>,
    /// Post indices per author, in input order; indexed by dense id.
    posts_by_author: Vec<Vec<u32>>,
    /// Authenticity of every account, assessed once.
    authenticity: Authenticity,
}

impl Engine {
    /// Builds the network (moving the interner into it) and the corpus.
    ///
    /// # Errors
    ///
    /// What [`Network::build`] reports (an interaction naming an unknown id).
    ///
    /// # Complexity
    ///
    /// The network build (parallel, O(E)) plus the corpus analysis (parallel,
    /// O(text)).
    pub fn new(
        mut dataset: Dataset,
        build: &BuildOptions,
        analyzer: &Analyzer,
    ) -> Result<Engine, Error> {
        let interner = std::mem::take(&mut dataset.interner);
        let network = Network::build(&dataset.interactions, interner, build)?;
        let corpus = Corpus::build(
            &dataset.posts,
            &dataset.accounts,
            analyzer,
            &CorpusOptions::default(),
        );
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
        })
    }

    /// The dataset (its interner now lives in the network).
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// The frozen network.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The analysed corpus.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// Authenticity of every account (score 0..1 and the cues that fired),
    /// assessed once from the profiles, the network and the posts; see
    /// [`crate::authenticity`] for the cues and penalties.
    pub fn authenticity(&self) -> &Authenticity {
        &self.authenticity
    }

    /// Number of accounts (dense ids `0..n`).
    pub fn num_accounts(&self) -> usize {
        self.network.num_nodes()
    }

    /// Indices into `dataset().posts` of the account's posts, in input order.
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
        match self.dataset.handle(account) {
            Some(h) => format!("@{h}"),
            None => self
                .network
                .try_name(account)
                .map_or_else(|| account.to_string(), |n| n.to_string()),
        }
    }
}
