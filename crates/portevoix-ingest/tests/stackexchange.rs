//! The Stack Exchange reader on the four shared sites: every count checked
//! against an independent parse of the same files (roxmltree), the mapping
//! rules of `docs/stackexchange-format.md` checked on real rows, the `.7z`
//! read equal to its unpacked folder, determinism across thread counts, and
//! bad input (damaged rows, a truncated file, a truncated or corrupt
//! archive, missing files) with exact locations.

use portevoix_core::{Error, Layer, PostKind, ReactionKind};
use portevoix_ingest::stackexchange::{DumpFile, read_site};
use portevoix_ingest::{Dataset, FormatKind, Mode, ReadOptions, load};
use portevoix_testdata::shared_dataset;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

const FOLDERS: [&str; 3] = ["cardano", "quantumcomputing", "ai"];
const COFFEE: &str = "stackexchange/coffee/coffee.stackexchange.com.7z";

fn site(name: &str) -> PathBuf {
    shared_dataset(&format!("stackexchange/{name}"))
}

fn read(path: &Path, mode: Mode) -> Result<Dataset, Error> {
    load(
        &[(path, Some(FormatKind::StackExchange))],
        &ReadOptions {
            mode,
            ..ReadOptions::default()
        },
    )
}

/// The rows of one file as attribute maps, parsed by roxmltree (the oracle).
fn oracle_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(text.trim_start_matches('\u{feff}')).unwrap();
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name("row"))
        .map(|n| {
            n.attributes()
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect()
        })
        .collect()
}

fn note(ds: &Dataset, file: &str, kind: &str) -> u64 {
    ds.report
        .files
        .iter()
        .filter(|f| f.file.ends_with(file))
        .map(|f| f.notes.get(kind).copied().unwrap_or(0))
        .sum()
}

#[test]
fn every_row_of_the_shared_folders_is_read_and_mapped_as_the_oracle_says() {
    for name in FOLDERS {
        let dir = site(name);
        let ds = read(&dir, Mode::Strict).unwrap();
        let users = oracle_rows(&dir.join("Users.xml"));
        let posts = oracle_rows(&dir.join("Posts.xml"));
        let comments = oracle_rows(&dir.join("Comments.xml"));
        let votes = oracle_rows(&dir.join("Votes.xml"));
        let badges = oracle_rows(&dir.join("Badges.xml"));
        let get = |r: &HashMap<String, String>, k: &str| r.get(k).cloned();

        // Records examined = rows, nothing skipped.
        assert_eq!(ds.report.skipped_total(), 0, "{name}");
        for (file, rows) in [
            ("Users.xml", &users),
            ("Posts.xml", &posts),
            ("Comments.xml", &comments),
        ] {
            let r = ds
                .report
                .files
                .iter()
                .find(|f| f.file.ends_with(file))
                .unwrap();
            assert_eq!(r.records, rows.len() as u64, "{name} {file}");
        }

        // Accounts: every user, plus one stand-in per deleted owner name.
        let deleted: std::collections::BTreeSet<String> = posts
            .iter()
            .chain(&comments)
            .filter(|r| !r.contains_key("OwnerUserId") && !r.contains_key("UserId"))
            .map(|r| {
                get(r, "OwnerDisplayName")
                    .or_else(|| get(r, "UserDisplayName"))
                    .unwrap_or_else(|| format!("row {}", get(r, "Id").unwrap()))
            })
            .collect();
        assert_eq!(ds.accounts.len(), users.len() + deleted.len(), "{name}");
        assert_eq!(
            note(&ds, "Posts.xml", "stand-in accounts for deleted users"),
            deleted.len() as u64
        );
        // Reputation is the declared score; badges land on their users.
        for u in users.iter().step_by(97) {
            let node = ds.interner.get(&get(u, "Id").unwrap()).unwrap();
            let a = ds.account(node).unwrap();
            let rep: f64 = get(u, "Reputation").unwrap().parse().unwrap();
            assert_eq!(a.declared_score, Some(rep));
            assert_eq!(a.display_name, get(u, "DisplayName"));
            assert_eq!(a.location, get(u, "Location"));
            assert_eq!(a.profile_views, get(u, "Views").map(|v| v.parse().unwrap()));
        }
        let badge_total: usize = ds.accounts.iter().map(|a| a.badges.len()).sum();
        assert_eq!(badge_total, badges.len(), "{name}");

        // Posts: every post and comment, kinds by PostTypeId.
        assert_eq!(ds.posts.len(), posts.len() + comments.len(), "{name}");
        let kind_count = |k: PostKind| ds.posts.iter().filter(|p| p.kind == k).count();
        let type_count = |t: &str| posts.iter().filter(|r| r["PostTypeId"] == t).count();
        assert_eq!(kind_count(PostKind::Question), type_count("1"));
        assert_eq!(kind_count(PostKind::Answer), type_count("2"));
        assert_eq!(kind_count(PostKind::Comment), comments.len());

        // Every answer replies to its question's owner; every comment to its post's owner.
        let owner: HashMap<String, Option<String>> = posts
            .iter()
            .map(|r| (r["Id"].clone(), get(r, "OwnerUserId")))
            .collect();
        let answers_to_known_owner = posts
            .iter()
            .filter(|r| r["PostTypeId"] == "2")
            .filter(|r| owner.contains_key(&r["ParentId"]))
            .count();
        let comments_on_known_post = comments
            .iter()
            .filter(|r| owner.contains_key(&r["PostId"]))
            .count();
        assert_eq!(
            ds.interactions.layer(Layer::Reply).len(),
            answers_to_known_owner + comments_on_known_post,
            "{name}"
        );

        // Likes: accepted answers + known bookmarks + bounty offers + sponsored awards.
        let accepted = posts
            .iter()
            .filter(|r| get(r, "AcceptedAnswerId").is_some_and(|a| owner.contains_key(&a)))
            .count();
        let bookmarks = votes
            .iter()
            .filter(|v| v["VoteTypeId"] == "5" && owner.contains_key(&v["PostId"]))
            .filter(|v| get(v, "UserId").is_some_and(|u| u.parse::<i64>().unwrap() > 0))
            .count();
        let offers = votes
            .iter()
            .filter(|v| v["VoteTypeId"] == "8" && owner.contains_key(&v["PostId"]))
            .count();
        let likes = ds.interactions.layer(Layer::Like);
        let valued = (0..likes.len())
            .filter(|&i| likes.get(Layer::Like, i).value.is_some())
            .count();
        assert!(
            valued >= offers,
            "{name}: {valued} valued likes, {offers} offers"
        );
        assert_eq!(likes.len() - valued, accepted + bookmarks, "{name}");

        // Up-votes and down-votes become dated reaction counts.
        let ups = votes
            .iter()
            .filter(|v| v["VoteTypeId"] == "2" && owner.contains_key(&v["PostId"]))
            .count();
        let downs = votes
            .iter()
            .filter(|v| v["VoteTypeId"] == "3" && owner.contains_key(&v["PostId"]))
            .count();
        let sum = |k: ReactionKind| -> u64 {
            ds.posts
                .iter()
                .flat_map(|p| &p.reaction_history)
                .filter(|r| r.kind == k)
                .map(|r| r.count)
                .sum()
        };
        assert_eq!(sum(ReactionKind::Like), ups as u64, "{name}");
        assert_eq!(sum(ReactionKind::Dislike), downs as u64, "{name}");
        let likes_total: u64 = ds
            .posts
            .iter()
            .filter(|p| p.kind != PostKind::Comment)
            .map(|p| p.reactions.likes.unwrap_or(0))
            .sum();
        assert_eq!(likes_total, ups as u64);
    }
}

#[test]
fn a_real_question_its_answer_and_the_acceptance() {
    // ai.stackexchange post 1: "What is the "backprop"?" by user 8, answer 3 by user 4, accepted.
    let ds = read(&site("ai"), Mode::Strict).unwrap();
    let q = &ds.posts[ds.post_index("1").unwrap()];
    assert_eq!(q.kind, PostKind::Question);
    assert_eq!(q.title.as_deref(), Some("What is \"backprop\"?"));
    assert!(
        q.text
            .starts_with("What is \"backprop\"?\n\nWhat does \"backprop\" mean?"),
        "{}",
        q.text
    );
    assert_eq!(q.tags, ["neural-networks", "definitions"]);
    assert_eq!(q.accepted_reply.as_deref(), Some("3"));
    assert_eq!(ds.interner.name(q.author).to_string(), "8");
    let a = &ds.posts[ds.post_index("3").unwrap()];
    assert_eq!(a.kind, PostKind::Answer);
    assert_eq!(a.reply_to.as_ref().unwrap().post, "1");
    assert_eq!(a.reply_to.as_ref().unwrap().author, Some(q.author));
    assert_eq!(a.score, Some(10));
    assert_eq!(ds.interner.name(a.author).to_string(), "4");
    // The acceptance: asker 8 → answerer 4 on the like layer, on the answer, dated.
    let likes = ds.interactions.layer(Layer::Like);
    let accept = (0..likes.len())
        .map(|i| likes.get(Layer::Like, i))
        .find(|l| l.post == ds.post_index("3").map(|i| i as u32))
        .unwrap();
    assert_eq!((accept.actor, accept.target), (q.author, a.author));
    assert!(accept.time.is_some());
    // Its up-votes are dated by day; the score is ups minus downs.
    let ups = a.reactions.likes.unwrap() as i64;
    let downs = a.reactions.dislikes.unwrap() as i64;
    assert_eq!(ups - downs, 10);
    assert!(
        a.reaction_history
            .windows(2)
            .all(|w| (w[0].time, w[0].kind) < (w[1].time, w[1].kind))
    );
}

#[test]
fn the_archive_reads_as_its_unpacked_folder() {
    let archive = shared_dataset(COFFEE);
    let from_archive = read(&archive, Mode::Strict).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut reader =
        sevenz_rust2::ArchiveReader::open(&archive, sevenz_rust2::Password::empty()).unwrap();
    reader
        .for_each_entries(|entry, data| {
            let mut out = std::fs::File::create(dir.path().join(entry.name()))?;
            std::io::copy(data, &mut out)?;
            Ok(true)
        })
        .unwrap();
    let from_folder = read(dir.path(), Mode::Strict).unwrap();
    assert_eq!(from_archive.posts, from_folder.posts);
    assert_eq!(from_archive.accounts, from_folder.accounts);
    let rows = |d: &Dataset| d.interactions.iter().collect::<Vec<_>>();
    assert_eq!(rows(&from_archive), rows(&from_folder));
    // The SOURCE.md counts of coffee.
    let site = read_site(&archive, Mode::Strict).unwrap();
    assert_eq!(site.users.len(), 456);
    assert_eq!(site.posts.len(), 592);
    assert_eq!(site.comments.len(), 758);
    assert_eq!(site.votes.len(), 3445);
    assert_eq!(site.links.len(), 106);
    assert_eq!(site.badges.len(), 1214);
    assert_eq!(site.tags.len(), 123);
    assert_eq!(site.history.values().sum::<u64>(), 1531);
    assert!(from_archive.report.files[0].file.ends_with(".7z:Users.xml"));
}

#[test]
fn the_same_dataset_whatever_the_number_of_threads() {
    let dir = site("quantumcomputing");
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| read(&dir, Mode::Strict).unwrap());
    let many = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap()
        .install(|| read(&dir, Mode::Strict).unwrap());
    assert_eq!(one.posts, many.posts);
    assert_eq!(one.accounts, many.accounts);
    let rows = |d: &Dataset| d.interactions.iter().collect::<Vec<_>>();
    assert_eq!(rows(&one), rows(&many));
    let names = |d: &Dataset| {
        d.interner
            .iter()
            .map(|(_, n)| n.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&one), names(&many));
}

/// A copy of a shared site in a temporary folder, with `edit` applied to one file.
fn damaged(name: &str, file: &str, edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in DumpFile::ALL {
        let from = site(name).join(f.file_name());
        if from.exists() {
            std::fs::copy(&from, dir.path().join(f.file_name())).unwrap();
        }
    }
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    dir
}

/// 1-based line and column of the first occurrence of `needle`.
fn position(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() as u64 + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |k| k + 1) + 1;
    (line, col as u64)
}

#[test]
fn a_bad_value_stops_strict_with_its_row_and_is_skipped_in_lenient() {
    let needle = "<row Id=\"3\" PostTypeId=\"2\"";
    let mut at = (0, 0);
    let dir = damaged("ai", "Posts.xml", |t| {
        at = position(&t, needle);
        t.replacen(
            "ParentId=\"1\" CreationDate=\"2016-08-02T15:40:24.820\" Score=\"10\"",
            "ParentId=\"1\" CreationDate=\"2016-08-02T15:40:24.820\" Score=\"ten\"",
            1,
        )
    });
    let err = read(dir.path(), Mode::Strict).unwrap_err().to_string();
    assert!(
        err.contains(&format!(
            "Posts.xml:{}:{}: Score: not an integer: \"ten\"",
            at.0, at.1
        )),
        "{err}"
    );
    let ds = read(dir.path(), Mode::Lenient).unwrap();
    let posts = ds
        .report
        .files
        .iter()
        .find(|f| f.file.ends_with("Posts.xml"))
        .unwrap();
    assert_eq!(posts.skipped["bad number"], 1);
    assert_eq!(posts.examples[0].location.line, at.0);
    assert!(ds.post_index("3").is_none());
    assert!(ds.post_index("1").is_some());
    // Comments on the skipped answer are still read, without a reply interaction.
    let whole = read(&site("ai"), Mode::Strict).unwrap();
    assert_eq!(ds.posts.len(), whole.posts.len() - 1);
}

#[test]
fn malformed_xml_has_its_line_and_column() {
    // The 20th comment loses its closing quote and gets a stray `<`: the
    // XML stops making sense on its line.
    let dir = damaged("ai", "Comments.xml", |t| {
        let k = t.match_indices("<row ").nth(19).unwrap().0;
        let end = k + t[k..].find("/>").unwrap();
        format!(
            "{}<row Id=\"999999\" PostId=\"1\" Text=\"<oops />{}",
            &t[..k],
            &t[end + 2..]
        )
    });
    let text = std::fs::read_to_string(dir.path().join("Comments.xml")).unwrap();
    let (line, _) = position(&text, "<row Id=\"999999\"");
    let err = read(dir.path(), Mode::Strict).unwrap_err().to_string();
    assert!(err.contains(&format!("Comments.xml:{line}:")), "{err}");
    let ds = read(dir.path(), Mode::Lenient).unwrap();
    let report = ds
        .report
        .files
        .iter()
        .find(|f| f.file.ends_with("Comments.xml"))
        .unwrap();
    assert!(report.skipped_total() >= 1, "{report:?}");
    assert_eq!(report.examples[0].location.line, line);
    // The damage cost the rows around it, not the file.
    let whole = oracle_rows(&site("ai").join("Comments.xml"));
    let comments = ds
        .posts
        .iter()
        .filter(|p| p.kind == PostKind::Comment)
        .count();
    assert!(
        comments + 3 >= whole.len() && comments < whole.len(),
        "{comments} of {}",
        whole.len()
    );
}

#[test]
fn a_file_cut_short_keeps_its_complete_rows_in_lenient_mode() {
    let dir = damaged("cardano", "Votes.xml", |t| t[..t.len() / 2].to_string());
    let err = read(dir.path(), Mode::Strict).unwrap_err().to_string();
    assert!(err.contains("Votes.xml:"), "{err}");
    let ds = read(dir.path(), Mode::Lenient).unwrap();
    let votes = ds
        .report
        .files
        .iter()
        .find(|f| f.file.ends_with("Votes.xml"))
        .unwrap();
    assert!(votes.skipped_total() >= 1, "{votes:?}");
    let full = oracle_rows(&site("cardano").join("Votes.xml")).len() as u64;
    assert!(
        votes.records > full / 3 && votes.records < full,
        "{} of {full}",
        votes.records
    );
}

#[test]
fn a_missing_posts_file_and_other_missing_files() {
    let dir = damaged("cardano", "Tags.xml", |t| t);
    std::fs::remove_file(dir.path().join("Posts.xml")).unwrap();
    for mode in [Mode::Strict, Mode::Lenient] {
        let err = read(dir.path(), mode).unwrap_err().to_string();
        assert!(err.contains("no Posts.xml"), "{err}");
    }
    let dir = damaged("cardano", "Tags.xml", |t| t);
    std::fs::remove_file(dir.path().join("Votes.xml")).unwrap();
    let err = read(dir.path(), Mode::Strict).unwrap_err().to_string();
    assert!(err.contains("missing Votes.xml"), "{err}");
    let ds = read(dir.path(), Mode::Lenient).unwrap();
    assert_eq!(note(&ds, "Posts.xml", "dump files missing (lenient)"), 1);
    assert!(ds.posts.iter().all(|p| p.reaction_history.is_empty()));
    // An empty folder is not a site.
    let empty = tempfile::tempdir().unwrap();
    assert!(read(empty.path(), Mode::Lenient).is_err());
}

#[test]
fn a_truncated_archive_is_an_error_that_says_so() {
    let bytes = std::fs::read(shared_dataset(COFFEE)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for cut in [bytes.len() / 2, bytes.len() - 10, 40] {
        let path = dir.path().join(format!("cut{cut}.7z"));
        std::fs::write(&path, &bytes[..cut]).unwrap();
        for mode in [Mode::Strict, Mode::Lenient] {
            let err = read(&path, mode).unwrap_err().to_string();
            assert!(err.contains("truncated or corrupt"), "{cut}: {err}");
        }
    }
}

#[test]
fn a_corrupt_archive_keeps_what_decoded_in_lenient_mode() {
    let mut bytes = std::fs::read(shared_dataset(COFFEE)).unwrap();
    // Damage the packed stream in its middle (the header at the end stays intact).
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0x5a;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coffee.7z");
    std::fs::write(&path, &bytes).unwrap();
    let err = read(&path, Mode::Strict).unwrap_err().to_string();
    assert!(err.contains("coffee.7z"), "{err}");
    match read(&path, Mode::Lenient) {
        Ok(ds) => {
            let damaged: u64 = ds.report.skipped_total();
            let whole = read(&shared_dataset(COFFEE), Mode::Strict).unwrap();
            assert!(damaged >= 1 || ds.posts.len() < whole.posts.len());
        }
        // Damage before the first entry leaves nothing to keep but the error.
        Err(e) => assert!(e.to_string().contains("coffee.7z"), "{e}"),
    }
}

#[test]
fn guessing_and_naming_the_format() {
    use portevoix_ingest::guess_format;
    assert_eq!(
        guess_format(&site("cardano")).unwrap(),
        FormatKind::StackExchange
    );
    assert_eq!(
        guess_format(&shared_dataset(COFFEE)).unwrap(),
        FormatKind::StackExchange
    );
    assert_eq!(
        "stackexchange".parse::<FormatKind>().unwrap(),
        FormatKind::StackExchange
    );
    // A dump file alone is not a site.
    let err = read(&site("cardano").join("Posts.xml"), Mode::Strict).unwrap_err();
    assert!(err.to_string().contains("7z"), "{err}");
}

#[test]
fn deleted_users_are_stand_ins_and_tags_are_topic_terms() {
    let ds = read(&site("cardano"), Mode::Strict).unwrap();
    let stand_ins: Vec<_> = ds
        .accounts
        .iter()
        .filter(|a| a.external_id.starts_with("deleted:"))
        .collect();
    assert_eq!(
        stand_ins.len() as u64,
        note(&ds, "Posts.xml", "stand-in accounts for deleted users")
    );
    assert!(!stand_ins.is_empty());
    let mut by_tag: BTreeMap<&str, usize> = BTreeMap::new();
    for p in ds.posts.iter().filter(|p| p.kind == PostKind::Question) {
        for t in p.topic_terms() {
            *by_tag.entry(t).or_default() += 1;
        }
    }
    // SOURCE.md: plutus(242), wallet(131), smart-contract(115).
    assert_eq!(by_tag["plutus"], 242);
    assert_eq!(by_tag["wallet"], 131);
    assert_eq!(by_tag["smart-contract"], 115);
    // Tag wikis carry their tag.
    assert!(
        ds.posts
            .iter()
            .any(|p| p.kind == PostKind::Wiki && p.tags == ["plutus"])
    );
}
