//! Writes a large Stack Exchange site by replicating a real one with new ids,
//! for the load benchmark (`benches/stackexchange_load.rs`) and its measured
//! number in BENCHMARKS.md.
//!
//! ```sh
//! cargo run --release --example stackexchange_replicate -- \
//!     --site ../shared/datasets/stackexchange/cardano --posts 1000000 --out /tmp/se-1m
//! ```
//!
//! Copy `k` of every file shifts each id space (users, posts, comments,
//! votes, links, badges, history rows) by `k` times the largest id of that
//! space plus one, so references stay inside their copy and every id is new;
//! the Community user (`-1`) and `Tags.xml` are written once, and dates are
//! kept. The real dumps hold one `<row>` per line, which is what the copy
//! relies on (it reads the real files, not arbitrary XML).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Which attributes of a file are ids of which space.
fn id_attributes(file: &str) -> &'static [(&'static str, Space)] {
    use Space::*;
    match file {
        "Users.xml" => &[("Id", User)],
        "Posts.xml" => &[
            ("Id", Post),
            ("ParentId", Post),
            ("AcceptedAnswerId", Post),
            ("OwnerUserId", User),
            ("LastEditorUserId", User),
        ],
        "Comments.xml" => &[("Id", Comment), ("PostId", Post), ("UserId", User)],
        "Votes.xml" => &[("Id", Vote), ("PostId", Post), ("UserId", User)],
        "PostLinks.xml" => &[("Id", Link), ("PostId", Post), ("RelatedPostId", Post)],
        "Badges.xml" => &[("Id", Badge), ("UserId", User)],
        "PostHistory.xml" => &[("Id", History), ("PostId", Post), ("UserId", User)],
        _ => &[],
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Space {
    User,
    Post,
    Comment,
    Vote,
    Link,
    Badge,
    History,
}

const FILES: [&str; 8] = [
    "Users.xml",
    "Posts.xml",
    "Comments.xml",
    "Votes.xml",
    "PostLinks.xml",
    "Badges.xml",
    "Tags.xml",
    "PostHistory.xml",
];

/// The value of attribute `name` in a row line, with its byte range.
fn attribute(line: &str, name: &str) -> Option<(usize, usize)> {
    let key = format!(" {name}=\"");
    let start = line.find(&key)? + key.len();
    let end = start + line[start..].find('"')?;
    Some((start, end))
}

fn shifted(line: &str, attrs: &[(&str, Space)], shift: impl Fn(Space) -> i64) -> String {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for &(name, space) in attrs {
        if let Some((s, e)) = attribute(line, name)
            && let Ok(v) = line[s..e].parse::<i64>()
            && v > 0
        {
            edits.push((s, e, (v + shift(space)).to_string()));
        }
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(line.len() + 16);
    let mut at = 0;
    for (s, e, v) in edits {
        out.push_str(&line[at..s]);
        out.push_str(&v);
        at = e;
    }
    out.push_str(&line[at..]);
    out
}

/// Writes `copies` of `site` into `out` so that it holds at least
/// `target_posts` posts; returns the number of copies and the bytes of XML
/// written.
pub fn replicate(site: &Path, target_posts: u64, out: &Path) -> std::io::Result<(u64, u64)> {
    std::fs::create_dir_all(out)?;
    let mut rows: Vec<(&str, Vec<String>, Vec<String>)> = Vec::new();
    let mut max = std::collections::HashMap::new();
    for file in FILES {
        let Ok(text) = std::fs::read_to_string(site.join(file)) else {
            continue;
        };
        let (mut head, mut body) = (Vec::new(), Vec::new());
        for line in text.lines() {
            if line.trim_start().starts_with("<row") {
                for &(name, space) in id_attributes(file) {
                    if let Some((s, e)) = attribute(line, name)
                        && let Ok(v) = line[s..e].parse::<i64>()
                    {
                        let m = max.entry(space).or_insert(0i64);
                        *m = (*m).max(v);
                    }
                }
                body.push(line.to_string());
            } else if body.is_empty() {
                head.push(line.to_string());
            }
        }
        rows.push((file, head, body));
    }
    let posts_per_copy = rows
        .iter()
        .find(|r| r.0 == "Posts.xml")
        .map_or(1, |r| r.2.len() as u64)
        .max(1);
    let copies = target_posts.div_ceil(posts_per_copy);
    let mut bytes = 0u64;
    for (file, head, body) in &rows {
        let path = out.join(file);
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&path)?);
        for h in head {
            writeln!(w, "{h}\r")?;
        }
        let attrs = id_attributes(file);
        let n = if *file == "Tags.xml" { 1 } else { copies };
        for k in 0..n as i64 {
            let shift = |s: Space| k * (max.get(&s).copied().unwrap_or(0) + 1);
            for line in body {
                if k > 0 && *file == "Users.xml" && line.contains(" Id=\"-1\"") {
                    continue;
                }
                writeln!(w, "{}\r", shifted(line, attrs, shift))?;
            }
        }
        let root = head
            .last()
            .map_or("", |h| h.trim())
            .trim_start_matches('<')
            .trim_end_matches('>');
        writeln!(w, "</{root}>\r")?;
        w.flush()?;
        bytes += std::fs::metadata(&path)?.len();
    }
    Ok((copies, bytes))
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    let mut site = PathBuf::from("../shared/datasets/stackexchange/cardano");
    let mut out = PathBuf::from("/tmp/se-replicated");
    let mut target_posts: u64 = 1_000_000;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--site" => site = args.next().expect("--site DIR").into(),
            "--out" => out = args.next().expect("--out DIR").into(),
            "--posts" => target_posts = args.next().expect("--posts N").parse().expect("a number"),
            other => panic!("unknown argument {other}"),
        }
    }
    let (copies, bytes) = replicate(&site, target_posts, &out)?;
    println!(
        "{copies} copies of {}: {:.1} MB of XML in {}",
        site.display(),
        bytes as f64 / 1e6,
        out.display()
    );
    Ok(())
}
