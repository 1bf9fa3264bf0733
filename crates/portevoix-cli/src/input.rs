//! Options shared by every command that reads data, mapped onto
//! `portevoix_ingest::ReadOptions` and `portevoix_graph::BuildOptions`.

use portevoix_core::{Error, Layer};
use portevoix_graph::{BuildOptions, DuplicatePolicy, Network};
use portevoix_ingest::privacy::{KEY_ENV, Pseudonymizer, drop_texts};
use portevoix_ingest::{Dataset, FormatKind, Mode, ReadOptions};
use portevoix_report::privacy::write_pseudonym_map;
use std::path::{Path, PathBuf};

/// Inputs and how to read them.
#[derive(clap::Args, Debug)]
pub struct InputArgs {
    /// Input files (`.gz` detected by content), Twitter15/16 directories, Stack Exchange site folders or
    /// `.7z` archives, or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Input format for every input (edgelist, higgs, signed, twitter-v2, mastodon, twitter15,
    /// canonical, posts-csv, stackexchange); guessed from each input's content when omitted and safe.
    #[arg(long, value_name = "NAME")]
    pub format: Option<String>,
    /// Skip bad rows, count them by reason and report examples, instead of stopping at the first one.
    #[arg(long)]
    pub lenient: bool,
    /// Longest line accepted, in bytes (default 64 MiB).
    #[arg(long, value_name = "BYTES")]
    pub max_line_bytes: Option<usize>,

    /// The layer of an edge list's edges (follow, repost, reply, mention, quote, like, rating; default
    /// follow). `rank` takes it several times: the layers it ranks on, merged with weight 1 each (an edge list's
    /// edges belong to the first).
    #[arg(long, value_name = "NAME", action = clap::ArgAction::Append)]
    pub layer: Vec<String>,
    /// Edge lists: field delimiter (`tab`, `space`, `,`, `;`, or one character); detected when omitted.
    #[arg(long, value_name = "CHAR", help_heading = "Edge lists")]
    pub delimiter: Option<String>,
    /// Edge lists: the first non-comment line is a header (detected when neither flag is given).
    #[arg(long, conflicts_with = "no_header", help_heading = "Edge lists")]
    pub header: bool,
    /// Edge lists: there is no header line.
    #[arg(long, help_heading = "Edge lists")]
    pub no_header: bool,
    /// Edge lists: 0-based column of the source (actor).
    #[arg(long, value_name = "N", help_heading = "Edge lists")]
    pub source_col: Option<usize>,
    /// Edge lists: 0-based column of the target.
    #[arg(long, value_name = "N", help_heading = "Edge lists")]
    pub target_col: Option<usize>,
    /// Edge lists: 0-based column of the weight.
    #[arg(long, value_name = "N", help_heading = "Edge lists")]
    pub weight_col: Option<usize>,
    /// Edge lists: 0-based column of the time (Unix seconds or ISO 8601).
    #[arg(long, value_name = "N", help_heading = "Edge lists")]
    pub time_col: Option<usize>,
    /// Edge lists: 0-based column of a sign or rating value.
    #[arg(long, value_name = "N", help_heading = "Edge lists")]
    pub sign_col: Option<usize>,
    /// Edge lists: the file lists target before source (e.g. information-flow exports); store actor -> target.
    #[arg(long, help_heading = "Edge lists")]
    pub reverse: bool,

    /// Posts CSV: the author column (name or `#N`), holding handles unless --csv-author-is-id.
    #[arg(long, value_name = "COLUMN", help_heading = "Posts CSV")]
    pub csv_author: Option<String>,
    /// Posts CSV: the author's platform id column, if the file has one.
    #[arg(long, value_name = "COLUMN", help_heading = "Posts CSV")]
    pub csv_author_id: Option<String>,
    /// Posts CSV: the author column holds account ids, not handles.
    #[arg(long, help_heading = "Posts CSV")]
    pub csv_author_is_id: bool,
    /// Posts CSV: the text column.
    #[arg(long, value_name = "COLUMN", help_heading = "Posts CSV")]
    pub csv_text: Option<String>,
    /// Posts CSV: the publication time column.
    #[arg(long, value_name = "COLUMN", help_heading = "Posts CSV")]
    pub csv_time: Option<String>,
    /// Posts CSV: the post id column.
    #[arg(long, value_name = "COLUMN", help_heading = "Posts CSV")]
    pub csv_id: Option<String>,
    /// Posts CSV: the repost count column.
    #[arg(long, value_name = "COLUMN", help_heading = "Posts CSV")]
    pub csv_reposts: Option<String>,
    /// Posts CSV: the reply count column.
    #[arg(long, value_name = "COLUMN", help_heading = "Posts CSV")]
    pub csv_replies: Option<String>,
    /// Posts CSV: the like count column.
    #[arg(long, value_name = "COLUMN", help_heading = "Posts CSV")]
    pub csv_likes: Option<String>,
    /// Posts CSV: the quote count column.
    #[arg(long, value_name = "COLUMN", help_heading = "Posts CSV")]
    pub csv_quotes: Option<String>,
    /// Posts CSV: the language column.
    #[arg(long, value_name = "COLUMN", help_heading = "Posts CSV")]
    pub csv_language: Option<String>,

    /// Mastodon: the server the statuses were fetched from (completes local accounts' addresses).
    #[arg(long, value_name = "DOMAIN", help_heading = "Mastodon")]
    pub instance: Option<String>,
    /// Mastodon: read direct messages too (skipped by default: they are private).
    #[arg(long, help_heading = "Mastodon")]
    pub include_direct: bool,

    /// Twitter15/16: keep duplicate tree lines as repeated interactions (dropped and counted by default).
    #[arg(long, help_heading = "Twitter15/16")]
    pub keep_duplicate_tree_lines: bool,

    /// Replace account ids, handles and post ids by keyed hashes (HMAC-SHA-256) as they are read, and strip
    /// @handles, e-mail addresses and URL paths from texts. The key comes from --pseudonym-key-file or the
    /// PORTEVOIX_PSEUDONYM_KEY environment variable, never from the command line; same key, same pseudonyms.
    #[arg(long, help_heading = "Privacy")]
    pub pseudonymize: bool,
    /// With --pseudonymize: the file holding the key (at least 16 bytes; one trailing newline is ignored).
    #[arg(
        long,
        value_name = "FILE",
        requires = "pseudonymize",
        help_heading = "Privacy"
    )]
    pub pseudonym_key_file: Option<PathBuf>,
    /// With --pseudonymize: write the way back (CSV kind,pseudonym,original) to this file; nowhere otherwise.
    #[arg(
        long,
        value_name = "FILE",
        requires = "pseudonymize",
        help_heading = "Privacy"
    )]
    pub pseudonym_map: Option<PathBuf>,
    /// Reports keep post ids and scores but not post texts; texts leave memory once analysed (at once for
    /// commands that do not read them).
    #[arg(long, help_heading = "Privacy")]
    pub redact_text: bool,
}

/// How the network is built.
#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    /// How duplicate edges are merged: sum (default), max, min, mean, first, last, count.
    #[arg(long, value_name = "POLICY", default_value = "sum")]
    pub duplicates: String,
    /// Keep self-loops (dropped and counted by default).
    #[arg(long)]
    pub keep_self_loops: bool,
}

impl GraphArgs {
    /// The build options these flags ask for.
    pub fn build_options(&self) -> Result<BuildOptions, Error> {
        let duplicates: DuplicatePolicy = self
            .duplicates
            .parse()
            .map_err(|e| Error::argument("--duplicates", format!("--duplicates: {e}")))?;
        Ok(BuildOptions {
            duplicates,
            keep_self_loops: self.keep_self_loops,
            ..BuildOptions::default()
        })
    }
}

fn parse_delimiter(s: &str) -> Result<u8, Error> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "space" | " " => Ok(b' '),
        "comma" => Ok(b','),
        "semicolon" => Ok(b';'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(Error::argument(
            "--delimiter",
            format!(
                "--delimiter '{s}': expected tab, space, comma, semicolon or one ASCII character"
            ),
        )),
    }
}

impl InputArgs {
    /// The reader options these flags ask for.
    pub fn read_options(&self) -> Result<ReadOptions, Error> {
        let mut o = ReadOptions {
            mode: if self.lenient {
                Mode::Lenient
            } else {
                Mode::Strict
            },
            max_line_bytes: self.max_line_bytes.unwrap_or(0),
            ..ReadOptions::default()
        };
        let e = &mut o.edgelist;
        if let Some(layer) = self.layer.first() {
            e.layer = layer
                .parse::<Layer>()
                .map_err(|err| Error::argument("--layer", format!("--layer: {err}")))?;
        }
        if let Some(d) = &self.delimiter {
            e.delimiter = Some(parse_delimiter(d)?);
        }
        if self.header {
            e.header = Some(true);
        } else if self.no_header {
            e.header = Some(false);
        }
        if let Some(c) = self.source_col {
            e.source_col = c;
        }
        if let Some(c) = self.target_col {
            e.target_col = c;
        }
        if self.weight_col.is_some() {
            e.weight_col = self.weight_col;
        }
        if self.time_col.is_some() {
            e.time_col = self.time_col;
        }
        if self.sign_col.is_some() {
            e.sign_col = self.sign_col;
        }
        e.reverse = self.reverse;

        // Signed ratings share the delimited-file flags.
        let g = &mut o.signed;
        g.delimiter = o.edgelist.delimiter;
        g.header = o.edgelist.header;
        g.source_col = o.edgelist.source_col;
        g.target_col = o.edgelist.target_col;
        if let Some(c) = self.sign_col {
            g.value_col = c;
        }
        if self.time_col.is_some() {
            g.time_col = self.time_col;
        }

        let c = &mut o.posts_csv;
        c.author = self.csv_author.clone();
        c.author_id = self.csv_author_id.clone();
        c.author_is_handle = !self.csv_author_is_id;
        c.text = self.csv_text.clone();
        c.time = self.csv_time.clone();
        c.id = self.csv_id.clone();
        c.reposts = self.csv_reposts.clone();
        c.replies = self.csv_replies.clone();
        c.likes = self.csv_likes.clone();
        c.quotes = self.csv_quotes.clone();
        c.language = self.csv_language.clone();
        c.delimiter = o.edgelist.delimiter;

        o.mastodon.instance = self.instance.clone();
        o.mastodon.include_direct = self.include_direct;
        o.twitter15.keep_duplicates = self.keep_duplicate_tree_lines;
        o.pseudonymize = self.pseudonymizer()?;
        o.keep_pseudonym_map = self.pseudonym_map.is_some();
        Ok(o)
    }

    /// The pseudonymizer `--pseudonymize` asks for: the key from
    /// `--pseudonym-key-file`, else from `PORTEVOIX_PSEUDONYM_KEY`.
    pub fn pseudonymizer(&self) -> Result<Option<Pseudonymizer>, Error> {
        if !self.pseudonymize {
            return Ok(None);
        }
        if let Some(path) = &self.pseudonym_key_file {
            return Pseudonymizer::from_key_file(path).map(Some);
        }
        Pseudonymizer::from_env(KEY_ENV)?.map(Some).ok_or_else(|| {
            Error::argument("--pseudonymize", format!(
                "--pseudonymize needs a key: set {KEY_ENV} or pass --pseudonym-key-file FILE (the key itself never goes on the command line)"
            ))
        })
    }

    /// A name the user typed (`@handle` or an account id), pseudonymised
    /// like the data when `--pseudonymize` is on.
    pub fn user_reference(&self, name: &str) -> Result<String, Error> {
        Ok(match self.pseudonymizer()? {
            Some(p) if name.trim_start().starts_with(['@', '＠']) => p.reference(name),
            _ => name.to_string(),
        })
    }

    /// The forced format, if any.
    pub fn format(&self) -> Result<Option<FormatKind>, Error> {
        self.format.as_deref().map(str::parse).transpose()
    }

    /// The layers named by `--layer`, in order.
    pub fn layers(&self) -> Result<Vec<Layer>, Error> {
        self.layer
            .iter()
            .map(|l| {
                l.parse::<Layer>()
                    .map_err(|err| Error::argument("--layer", format!("--layer: {err}")))
            })
            .collect()
    }

    /// Loads every input into one dataset, calling `on_input(index, path)`
    /// before each one; `--layer` at most once (the layer of edge lists);
    /// pseudonymised with `--pseudonymize` (the map, if asked for, written
    /// to its file and dropped).
    pub fn load(&self, on_input: impl FnMut(usize, &Path)) -> Result<Dataset, Error> {
        if self.layer.len() > 1 {
            return Err(Error::argument(
                "--layer",
                format!(
                    "--layer is given {} times; only rank takes several (the layers it ranks on)",
                    self.layer.len()
                ),
            ));
        }
        self.load_any_layers(on_input)
    }

    /// [`InputArgs::load`] with `--layer` given any number of times (the
    /// first is the layer of edge lists).
    pub fn load_any_layers(&self, on_input: impl FnMut(usize, &Path)) -> Result<Dataset, Error> {
        let options = self.read_options()?;
        let format = self.format()?;
        let inputs: Vec<(&Path, Option<FormatKind>)> =
            self.inputs.iter().map(|p| (p.as_path(), format)).collect();
        let mut dataset = portevoix_ingest::load_with_progress(&inputs, &options, on_input)?;
        if let (Some(path), Some(map)) = (&self.pseudonym_map, dataset.pseudonym_map.take()) {
            let io = |source| Error::Io {
                path: path.to_path_buf(),
                source,
            };
            let file = std::fs::File::create(path).map_err(io)?;
            write_pseudonym_map(
                &map,
                std::io::BufWriter::new(file),
                &path.display().to_string(),
            )?;
        }
        Ok(dataset)
    }

    /// [`InputArgs::load`] for commands that never read texts: with
    /// `--redact-text` the texts and bios leave memory at once.
    pub fn load_graph_only(&self, on_input: impl FnMut(usize, &Path)) -> Result<Dataset, Error> {
        let mut dataset = self.load(on_input)?;
        if self.redact_text {
            drop_texts(&mut dataset);
        }
        Ok(dataset)
    }
}

/// Parses `--layers`: `layer=weight` pairs, comma-separated; a bare layer weighs 1.
pub fn parse_layers(spec: &str) -> Result<Vec<(Layer, f32)>, Error> {
    spec.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|part| {
            let (name, weight) = part.split_once('=').unwrap_or((part, "1"));
            let layer = name
                .trim()
                .parse::<Layer>()
                .map_err(|e| Error::argument("--layers", format!("--layers: {e}")))?;
            let weight: f32 = weight.trim().parse().map_err(|_| {
                Error::argument(
                    "--layers",
                    format!("--layers: weight '{weight}' of {layer} is not a number"),
                )
            })?;
            if !weight.is_finite() || weight < 0.0 {
                return Err(Error::argument(
                    "--layers",
                    format!("--layers: weight of {layer} must be finite and non-negative"),
                ));
            }
            Ok((layer, weight))
        })
        .collect()
}

/// The layers a kernel runs on (`--layers layer=weight,...`): as asked, or
/// the network's default view ([`Network::default_view_layers`]).
pub fn chosen_layers(network: &Network, spec: Option<&str>) -> Result<Vec<(Layer, f32)>, Error> {
    let layers = match spec {
        Some(s) => parse_layers(s)?,
        None => network.default_view_layers(),
    };
    if layers.is_empty() {
        return Err(Error::argument(
            "--layers",
            "the inputs hold no interaction to run on",
        ));
    }
    Ok(layers)
}
