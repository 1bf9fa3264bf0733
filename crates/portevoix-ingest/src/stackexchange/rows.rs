//! The records of each dump file, typed and validated, as the public schema
//! defines them (attributes the schema does not know are ignored, absent
//! optional attributes are `None`).

use super::html::html_to_text;
use super::xml::{FieldProblem, Row};
use portevoix_core::Timestamp;
use std::borrow::Cow;

type Parsed<T> = std::result::Result<T, FieldProblem>;

/// A user (`Users.xml`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserRow {
    /// `Id` (−1 is the Community bot).
    pub id: i64,
    /// `Reputation`.
    pub reputation: Option<i64>,
    /// `CreationDate`.
    pub created: Option<Timestamp>,
    /// `DisplayName`.
    pub display_name: Option<String>,
    /// `LastAccessDate`.
    pub last_access: Option<Timestamp>,
    /// `WebsiteUrl`.
    pub website: Option<String>,
    /// `Location`.
    pub location: Option<String>,
    /// `AboutMe`, HTML turned into text.
    pub about_me: Option<String>,
    /// `Views`.
    pub views: Option<u64>,
    /// `UpVotes` cast.
    pub up_votes: Option<u64>,
    /// `DownVotes` cast.
    pub down_votes: Option<u64>,
}

/// A post (`Posts.xml`): a question, an answer, a wiki text, ...
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PostRow {
    /// `Id`.
    pub id: i64,
    /// `PostTypeId` (1 question, 2 answer, 3 orphaned tag wiki, 4 tag wiki
    /// excerpt, 5 tag wiki, 6 moderator nomination, 7 `WikiPlaceholder` (the dump's name), 8
    /// privilege wiki; newer dumps have more).
    pub post_type: u32,
    /// `AcceptedAnswerId` (questions).
    pub accepted_answer: Option<i64>,
    /// `ParentId` (answers).
    pub parent: Option<i64>,
    /// `CreationDate`.
    pub created: Option<Timestamp>,
    /// `Score`.
    pub score: Option<i64>,
    /// `ViewCount`.
    pub views: Option<u64>,
    /// `Body`, HTML turned into text.
    pub body: String,
    /// `OwnerUserId` (absent for deleted users).
    pub owner: Option<i64>,
    /// `OwnerDisplayName` (the name of a deleted owner, usually).
    pub owner_name: Option<String>,
    /// `Title` (questions).
    pub title: Option<String>,
    /// `Tags`, in order (`<a><b>` or `|a|b|`).
    pub tags: Vec<String>,
    /// `AnswerCount`.
    pub answer_count: Option<u64>,
    /// `CommentCount`.
    pub comment_count: Option<u64>,
    /// `FavoriteCount`.
    pub favorite_count: Option<u64>,
}

/// A comment (`Comments.xml`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommentRow {
    /// `Id` (its own id space, distinct from posts').
    pub id: i64,
    /// `PostId`: the post commented on.
    pub post: i64,
    /// `Score`.
    pub score: Option<i64>,
    /// `Text` (plain text with Markdown-style links, as published).
    pub text: String,
    /// `CreationDate`.
    pub created: Option<Timestamp>,
    /// `UserId` (absent for deleted users).
    pub user: Option<i64>,
    /// `UserDisplayName` (the name of a deleted author).
    pub user_name: Option<String>,
}

/// A vote (`Votes.xml`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VoteRow {
    /// `Id`.
    pub id: i64,
    /// `PostId`.
    pub post: i64,
    /// `VoteTypeId` (see [`VoteType`]).
    pub vote_type: u32,
    /// `UserId` (present for favourites and bounty starts only; −1 for a deleted user).
    pub user: Option<i64>,
    /// `CreationDate` (the day only: the time is always midnight).
    pub created: Option<Timestamp>,
    /// `BountyAmount` (bounty start and close).
    pub bounty: Option<u64>,
}

/// A link between posts (`PostLinks.xml`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinkRow {
    /// `Id`.
    pub id: i64,
    /// `CreationDate`.
    pub created: Option<Timestamp>,
    /// `PostId`: the post that links.
    pub post: i64,
    /// `RelatedPostId`: the post linked to.
    pub related: i64,
    /// `LinkTypeId`: 1 linked (related), 3 duplicate.
    pub link_type: u32,
}

/// A badge awarded (`Badges.xml`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BadgeRow {
    /// `Id`.
    pub id: i64,
    /// `UserId`.
    pub user: i64,
    /// `Name`.
    pub name: String,
    /// `Date`.
    pub date: Option<Timestamp>,
    /// `Class`: 1 gold, 2 silver, 3 bronze.
    pub class: Option<u8>,
    /// `TagBased`: the name is a tag.
    pub tag_based: Option<bool>,
}

/// A tag (`Tags.xml`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TagRow {
    /// `Id`.
    pub id: i64,
    /// `TagName`.
    pub name: String,
    /// `Count`: questions carrying it.
    pub count: Option<u64>,
    /// `ExcerptPostId`: the tag's wiki excerpt.
    pub excerpt_post: Option<i64>,
    /// `WikiPostId`: the tag's wiki.
    pub wiki_post: Option<i64>,
}

/// The vote types of the public schema (`VoteTypeId`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VoteType {
    /// 1: the asker accepted this answer.
    AcceptedByOriginator,
    /// 2: up-vote.
    UpMod,
    /// 3: down-vote.
    DownMod,
    /// 4: offensive flag.
    Offensive,
    /// 5: favourite (bookmark); carries `UserId`.
    Favorite,
    /// 6: close vote (in `PostHistory` since 2013).
    Close,
    /// 7: reopen vote.
    Reopen,
    /// 8: bounty started; carries `UserId` (the sponsor) and `BountyAmount`.
    BountyStart,
    /// 9: bounty closed; carries `BountyAmount` when awarded (on the awarded answer).
    BountyClose,
    /// 10: deletion vote.
    Deletion,
    /// 11: undeletion vote.
    Undeletion,
    /// 12: spam flag.
    Spam,
    /// 13: moderator informed.
    InformModerator,
    /// 15: moderator review.
    ModeratorReview,
    /// 16: suggested edit approved.
    ApproveEditSuggestion,
    /// Another id (14 is unused; newer dumps add reactions and more).
    Other(u32),
}

impl VoteType {
    /// The type of a `VoteTypeId`.
    pub fn from_id(id: u32) -> VoteType {
        match id {
            1 => VoteType::AcceptedByOriginator,
            2 => VoteType::UpMod,
            3 => VoteType::DownMod,
            4 => VoteType::Offensive,
            5 => VoteType::Favorite,
            6 => VoteType::Close,
            7 => VoteType::Reopen,
            8 => VoteType::BountyStart,
            9 => VoteType::BountyClose,
            10 => VoteType::Deletion,
            11 => VoteType::Undeletion,
            12 => VoteType::Spam,
            13 => VoteType::InformModerator,
            15 => VoteType::ModeratorReview,
            16 => VoteType::ApproveEditSuggestion,
            other => VoteType::Other(other),
        }
    }
}

fn missing(name: &str) -> FieldProblem {
    FieldProblem::new("missing attribute", format!("missing attribute {name}"))
}

fn int(name: &str, v: &str) -> Parsed<i64> {
    v.trim()
        .parse()
        .map_err(|_| FieldProblem::new("bad number", format!("{name}: not an integer: {v:?}")))
}

fn count(name: &str, v: &str) -> Parsed<u64> {
    v.trim().parse().map_err(|_| {
        FieldProblem::new(
            "bad number",
            format!("{name}: not a non-negative integer: {v:?}"),
        )
    })
}

fn small(name: &str, v: &str) -> Parsed<u32> {
    v.trim()
        .parse()
        .map_err(|_| FieldProblem::new("bad number", format!("{name}: not a type id: {v:?}")))
}

fn date(name: &str, v: &str) -> Parsed<Timestamp> {
    parse_dump_date(v)
        .or_else(|| Timestamp::parse(v))
        .ok_or_else(|| FieldProblem::new("bad date", format!("{name}: not a date: {v:?}")))
}

fn boolean(name: &str, v: &str) -> Parsed<bool> {
    match v.trim() {
        "True" | "true" | "1" => Ok(true),
        "False" | "false" | "0" => Ok(false),
        _ => Err(FieldProblem::new(
            "bad boolean",
            format!("{name}: not True or False: {v:?}"),
        )),
    }
}

fn text(v: Cow<'_, str>) -> Option<String> {
    if v.is_empty() {
        None
    } else {
        Some(v.into_owned())
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fff…]` without a zone, taken as UTC (the dumps'
/// spelling): a fast path for the millions of dates of a large site; other
/// spellings go through [`Timestamp::parse`].
pub fn parse_dump_date(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let mut v = 0i64;
        for &c in &b[r] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut millis = 0i64;
    if b.len() > 19 {
        if b[19] != b'.' || b.len() == 20 {
            return None;
        }
        let frac = &b[20..];
        if frac.len() > 9 || !frac.iter().all(u8::is_ascii_digit) {
            return None;
        }
        for (i, &c) in frac.iter().take(3).enumerate() {
            millis += i64::from(c - b'0') * [100, 10, 1][i];
        }
    }
    let days_in = [
        31,
        28 + i64::from(is_leap(y)),
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo)
        || d < 1
        || d > days_in[(mo - 1) as usize]
        || h > 23
        || mi > 59
        || sec > 59
    {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    Some(Timestamp(
        ((days * 24 + h) * 60 + mi) * 60_000 + sec * 1000 + millis,
    ))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The tags of a post, written `<a><b>` (dumps up to 2023) or `|a|b|`
/// (later dumps); an empty value has none.
///
/// # Errors
///
/// A value in neither spelling, or an empty tag inside one.
pub fn parse_tags(v: &str) -> Parsed<Vec<String>> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(Vec::new());
    }
    let bad = || FieldProblem::new("bad tags", format!("Tags: neither <a><b> nor |a|b|: {v:?}"));
    let parts: Vec<&str> = if let Some(inner) = v.strip_prefix('<') {
        let inner = inner.strip_suffix('>').ok_or_else(bad)?;
        inner.split("><").collect()
    } else if let Some(inner) = v.strip_prefix('|') {
        inner
            .strip_suffix('|')
            .ok_or_else(bad)?
            .split('|')
            .collect()
    } else {
        return Err(bad());
    };
    if parts
        .iter()
        .any(|t| t.is_empty() || t.contains(['<', '>', '|']) || t.chars().any(char::is_whitespace))
    {
        return Err(bad());
    }
    Ok(parts.into_iter().map(str::to_string).collect())
}

/// Reads a `Users.xml` row.
pub(crate) fn user(row: &Row<'_>) -> Parsed<UserRow> {
    let mut u = UserRow::default();
    let mut id = None;
    row.for_each_attribute(|k, v| {
        match k {
            b"Id" => id = Some(int("Id", &v)?),
            b"Reputation" => u.reputation = Some(int("Reputation", &v)?),
            b"CreationDate" => u.created = Some(date("CreationDate", &v)?),
            b"DisplayName" => u.display_name = text(v),
            b"LastAccessDate" => u.last_access = Some(date("LastAccessDate", &v)?),
            b"WebsiteUrl" => u.website = text(v),
            b"Location" => u.location = text(v),
            b"AboutMe" => u.about_me = Some(html_to_text(&v)).filter(|t| !t.is_empty()),
            b"Views" => u.views = Some(count("Views", &v)?),
            b"UpVotes" => u.up_votes = Some(count("UpVotes", &v)?),
            b"DownVotes" => u.down_votes = Some(count("DownVotes", &v)?),
            _ => {}
        }
        Ok(())
    })?;
    u.id = id.ok_or_else(|| missing("Id"))?;
    Ok(u)
}

/// Reads a `Posts.xml` row.
pub(crate) fn post(row: &Row<'_>) -> Parsed<PostRow> {
    let mut p = PostRow::default();
    let (mut id, mut post_type) = (None, None);
    row.for_each_attribute(|k, v| {
        match k {
            b"Id" => id = Some(int("Id", &v)?),
            b"PostTypeId" => post_type = Some(small("PostTypeId", &v)?),
            b"AcceptedAnswerId" => p.accepted_answer = Some(int("AcceptedAnswerId", &v)?),
            b"ParentId" => p.parent = Some(int("ParentId", &v)?),
            b"CreationDate" => p.created = Some(date("CreationDate", &v)?),
            b"Score" => p.score = Some(int("Score", &v)?),
            b"ViewCount" => p.views = Some(count("ViewCount", &v)?),
            b"Body" => p.body = html_to_text(&v),
            b"OwnerUserId" => p.owner = Some(int("OwnerUserId", &v)?),
            b"OwnerDisplayName" => p.owner_name = text(v),
            b"Title" => p.title = text(v),
            b"Tags" => p.tags = parse_tags(&v)?,
            b"AnswerCount" => p.answer_count = Some(count("AnswerCount", &v)?),
            b"CommentCount" => p.comment_count = Some(count("CommentCount", &v)?),
            b"FavoriteCount" => p.favorite_count = Some(count("FavoriteCount", &v)?),
            _ => {}
        }
        Ok(())
    })?;
    p.id = id.ok_or_else(|| missing("Id"))?;
    p.post_type = post_type.ok_or_else(|| missing("PostTypeId"))?;
    if p.post_type == 2 && p.parent.is_none() {
        return Err(FieldProblem::new(
            "answer without ParentId",
            format!("post {}: an answer (PostTypeId 2) without ParentId", p.id),
        ));
    }
    Ok(p)
}

/// Reads a `Comments.xml` row.
pub(crate) fn comment(row: &Row<'_>) -> Parsed<CommentRow> {
    let mut c = CommentRow::default();
    let (mut id, mut post) = (None, None);
    row.for_each_attribute(|k, v| {
        match k {
            b"Id" => id = Some(int("Id", &v)?),
            b"PostId" => post = Some(int("PostId", &v)?),
            b"Score" => c.score = Some(int("Score", &v)?),
            b"Text" => c.text = v.into_owned(),
            b"CreationDate" => c.created = Some(date("CreationDate", &v)?),
            b"UserId" => c.user = Some(int("UserId", &v)?),
            b"UserDisplayName" => c.user_name = text(v),
            _ => {}
        }
        Ok(())
    })?;
    c.id = id.ok_or_else(|| missing("Id"))?;
    c.post = post.ok_or_else(|| missing("PostId"))?;
    Ok(c)
}

/// Reads a `Votes.xml` row.
pub(crate) fn vote(row: &Row<'_>) -> Parsed<VoteRow> {
    let mut r = VoteRow::default();
    let (mut id, mut post, mut kind) = (None, None, None);
    row.for_each_attribute(|k, v| {
        match k {
            b"Id" => id = Some(int("Id", &v)?),
            b"PostId" => post = Some(int("PostId", &v)?),
            b"VoteTypeId" => kind = Some(small("VoteTypeId", &v)?),
            b"UserId" => r.user = Some(int("UserId", &v)?),
            b"CreationDate" => r.created = Some(date("CreationDate", &v)?),
            b"BountyAmount" => r.bounty = Some(count("BountyAmount", &v)?),
            _ => {}
        }
        Ok(())
    })?;
    r.id = id.ok_or_else(|| missing("Id"))?;
    r.post = post.ok_or_else(|| missing("PostId"))?;
    r.vote_type = kind.ok_or_else(|| missing("VoteTypeId"))?;
    Ok(r)
}

/// Reads a `PostLinks.xml` row.
pub(crate) fn link(row: &Row<'_>) -> Parsed<LinkRow> {
    let mut l = LinkRow::default();
    let (mut id, mut post, mut related, mut kind) = (None, None, None, None);
    row.for_each_attribute(|k, v| {
        match k {
            b"Id" => id = Some(int("Id", &v)?),
            b"CreationDate" => l.created = Some(date("CreationDate", &v)?),
            b"PostId" => post = Some(int("PostId", &v)?),
            b"RelatedPostId" => related = Some(int("RelatedPostId", &v)?),
            b"LinkTypeId" => kind = Some(small("LinkTypeId", &v)?),
            _ => {}
        }
        Ok(())
    })?;
    l.id = id.ok_or_else(|| missing("Id"))?;
    l.post = post.ok_or_else(|| missing("PostId"))?;
    l.related = related.ok_or_else(|| missing("RelatedPostId"))?;
    l.link_type = kind.ok_or_else(|| missing("LinkTypeId"))?;
    Ok(l)
}

/// Reads a `Badges.xml` row.
pub(crate) fn badge(row: &Row<'_>) -> Parsed<BadgeRow> {
    let mut b = BadgeRow::default();
    let (mut id, mut user, mut name) = (None, None, None);
    row.for_each_attribute(|k, v| {
        match k {
            b"Id" => id = Some(int("Id", &v)?),
            b"UserId" => user = Some(int("UserId", &v)?),
            b"Name" => name = Some(v.into_owned()),
            b"Date" => b.date = Some(date("Date", &v)?),
            b"Class" => {
                let c = small("Class", &v)?;
                if !(1..=3).contains(&c) {
                    return Err(FieldProblem::new(
                        "bad number",
                        format!("Class: not 1, 2 or 3: {v:?}"),
                    ));
                }
                b.class = Some(c as u8);
            }
            b"TagBased" => b.tag_based = Some(boolean("TagBased", &v)?),
            _ => {}
        }
        Ok(())
    })?;
    b.id = id.ok_or_else(|| missing("Id"))?;
    b.user = user.ok_or_else(|| missing("UserId"))?;
    b.name = name.ok_or_else(|| missing("Name"))?;
    Ok(b)
}

/// Reads a `Tags.xml` row.
pub(crate) fn tag(row: &Row<'_>) -> Parsed<TagRow> {
    let mut t = TagRow::default();
    let (mut id, mut name) = (None, None);
    row.for_each_attribute(|k, v| {
        match k {
            b"Id" => id = Some(int("Id", &v)?),
            b"TagName" => name = Some(v.into_owned()),
            b"Count" => t.count = Some(count("Count", &v)?),
            b"ExcerptPostId" => t.excerpt_post = Some(int("ExcerptPostId", &v)?),
            b"WikiPostId" => t.wiki_post = Some(int("WikiPostId", &v)?),
            _ => {}
        }
        Ok(())
    })?;
    t.id = id.ok_or_else(|| missing("Id"))?;
    t.name = name
        .filter(|n| !n.is_empty())
        .ok_or_else(|| missing("TagName"))?;
    Ok(t)
}

/// Reads a `PostHistory.xml` row: its `PostHistoryTypeId`, which is all the
/// mapping uses (the file is validated and its rows counted by type).
pub(crate) fn history_type(row: &Row<'_>) -> Parsed<u32> {
    let mut kind = None;
    let mut id = None;
    row.for_each_attribute(|k, v| {
        match k {
            b"Id" => id = Some(int("Id", &v)?),
            b"PostHistoryTypeId" => kind = Some(small("PostHistoryTypeId", &v)?),
            _ => {}
        }
        Ok(())
    })?;
    id.ok_or_else(|| missing("Id"))?;
    kind.ok_or_else(|| missing("PostHistoryTypeId"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_dates_are_utc_and_match_the_general_parser() {
        for s in [
            "2016-08-02T15:39:14.947",
            "2021-12-05T00:00:00.000",
            "2000-02-29T23:59:59.9",
            "1969-12-31T23:59:59.999",
            "2024-04-01T10:00:00",
        ] {
            assert_eq!(parse_dump_date(s), Timestamp::parse(s), "{s}");
        }
        assert_eq!(
            parse_dump_date("2016-08-02T15:39:14.947")
                .unwrap()
                .to_iso8601(),
            "2016-08-02T15:39:14.947Z"
        );
        for bad in [
            "2021-02-29T00:00:00.000",
            "2021-13-01T00:00:00",
            "2021-01-01T24:00:00",
            "2021-01-01T00:00:00.",
            "2021-01-01 00:00:00",
        ] {
            assert_eq!(parse_dump_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn both_tag_spellings() {
        assert_eq!(
            parse_tags("<plutus><smart-contract>").unwrap(),
            ["plutus", "smart-contract"]
        );
        assert_eq!(
            parse_tags("|plutus|smart-contract|").unwrap(),
            ["plutus", "smart-contract"]
        );
        assert_eq!(parse_tags("<c++>").unwrap(), ["c++"]);
        assert!(parse_tags("").unwrap().is_empty());
        assert!(parse_tags("plutus").is_err());
        assert!(parse_tags("<a><>").is_err());
        assert!(parse_tags("|a||b|").is_err());
    }
}
