//! Timestamps: milliseconds since the Unix epoch, UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A point in time, in milliseconds since 1970-01-01T00:00:00Z.
///
/// Milliseconds keep the fractional seconds of real exports (Bitcoin OTC
/// rating times, Twitter snowflake ids) without loss, and an `i64` covers
/// ±292 million years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

/// Twitter's snowflake epoch (2010-11-04T01:42:54.657Z) in Unix milliseconds.
pub const TWITTER_EPOCH_MS: i64 = 1_288_834_974_657;

/// First snowflake id: ids below this were assigned sequentially before
/// November 2010 and carry no time.
const FIRST_SNOWFLAKE: u64 = 29_700_859_247;

impl Timestamp {
    /// From whole seconds since the epoch.
    pub fn from_secs(secs: i64) -> Timestamp {
        Timestamp(secs.saturating_mul(1000))
    }

    /// From fractional seconds since the epoch, rounded to the millisecond.
    /// Returns `None` for non-finite or out-of-range values.
    pub fn from_secs_f64(secs: f64) -> Option<Timestamp> {
        let ms = (secs * 1000.0).round();
        if ms.is_finite() && ms.abs() < 9.0e18 {
            Some(Timestamp(ms as i64))
        } else {
            None
        }
    }

    /// Milliseconds since the epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// Whole seconds since the epoch (floor).
    pub fn secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// The creation time carried by a Twitter snowflake id (ids issued since
    /// November 2010: `(id >> 22) + 1288834974657` ms). `None` for older,
    /// sequential ids.
    pub fn from_snowflake(id: u64) -> Option<Timestamp> {
        if id < FIRST_SNOWFLAKE {
            return None;
        }
        Some(Timestamp((id >> 22) as i64 + TWITTER_EPOCH_MS))
    }

    /// Parses the date-time spellings found in real exports:
    /// RFC 3339 / ISO 8601 with offset or `Z` (`2022-05-10T13:37:00.000Z`),
    /// naive ISO date-times taken as UTC (`2015-02-24T11:35`, `2015-02-24 11:35:07`),
    /// plain dates (`2015-02-24`), and integer or fractional Unix seconds.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let s = text.trim();
        if s.is_empty() {
            return None;
        }
        if s.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            && s.bytes().any(|b| b.is_ascii_digit())
        {
            if let Ok(v) = s.parse::<i64>() {
                return Some(Timestamp::from_secs(v));
            }
            if let Ok(v) = s.parse::<f64>() {
                return Timestamp::from_secs_f64(v);
            }
        }
        if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            return Some(Timestamp(dt.timestamp_millis()));
        }
        // Mastodon and some exports use "+0000" offsets without a colon.
        if let Ok(dt) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z") {
            return Some(Timestamp(dt.timestamp_millis()));
        }
        // Twitter API v1.1 style: "Wed Oct 10 20:19:24 +0000 2018".
        if let Ok(dt) = DateTime::parse_from_str(s, "%a %b %d %H:%M:%S %z %Y") {
            return Some(Timestamp(dt.timestamp_millis()));
        }
        for fmt in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%d %H:%M",
        ] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(s, fmt) {
                return Some(Timestamp(Utc.from_utc_datetime(&naive).timestamp_millis()));
            }
        }
        if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            let naive = date.and_hms_opt(0, 0, 0)?;
            return Some(Timestamp(Utc.from_utc_datetime(&naive).timestamp_millis()));
        }
        None
    }

    /// ISO 8601 in UTC with millisecond precision, e.g. `2012-07-01T00:02:52.000Z`.
    pub fn to_iso8601(self) -> String {
        match DateTime::<Utc>::from_timestamp_millis(self.0) {
            Some(dt) => dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            None => format!("@{}ms", self.0),
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_export_spellings() {
        // fr-media (Twitter API v2)
        let t = Timestamp::parse("2022-05-10T13:37:00.000Z").unwrap();
        assert_eq!(t.to_iso8601(), "2022-05-10T13:37:00.000Z");
        // airline-sentiment
        assert_eq!(
            Timestamp::parse("2015-02-24T11:35").unwrap().to_iso8601(),
            "2015-02-24T11:35:00.000Z"
        );
        // Higgs (integer seconds) and Bitcoin OTC (fractional seconds)
        assert_eq!(
            Timestamp::parse("1341100972").unwrap().secs(),
            1_341_100_972
        );
        assert_eq!(
            Timestamp::parse("1289241911.72836").unwrap().millis(),
            1_289_241_911_728
        );
        // Mastodon
        assert!(Timestamp::parse("2019-12-08T03:48:33.901Z").is_some());
        assert!(Timestamp::parse("Wed Oct 10 20:19:24 +0000 2018").is_some());
        assert!(Timestamp::parse("yesterday").is_none());
        assert!(Timestamp::parse("").is_none());
    }

    #[test]
    fn snowflake_ids_carry_time() {
        // A Twitter15 source tweet: 2012-11-06.
        let t = Timestamp::from_snowflake(265_953_285_247_209_472).unwrap();
        assert!(t.to_iso8601().starts_with("2012-11-06"), "{t}");
        assert_eq!(Timestamp::from_snowflake(12345), None);
    }
}
