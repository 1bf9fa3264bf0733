//! Volume over time: posts and distinct authors per calendar period, and
//! the trend of the last complete period.
//!
//! Periods are calendar periods in UTC: days, ISO weeks (Monday to
//! Sunday), months, quarters, years. Every topic of one run is counted on
//! the same grid, from the period of the data's first dated content post
//! to the period of its last, empty periods included, so that series can
//! be compared side by side.
//!
//! **Trend.** The last period of the grid is usually cut short by the end
//! of the export (a dump taken on the 7th holds a week of that month), so
//! the trend compares the last *complete* period, the last one that ends
//! at or before the data's last post, with the mean of the topic's earlier
//! periods (from the period of its first post):
//! `trend = (last − mean) / mean`. `+0.5` is half again the usual volume,
//! `−1` nothing at all. It is `None` when the topic has no earlier period
//! before the last complete one (a new topic) or no complete period.

use chrono::{DateTime, Datelike, Duration, NaiveDate};
use portevoix_core::{Error, Timestamp};
use rustc_hash::FxHashSet;
use std::str::FromStr;

/// A calendar period of the volume series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// A UTC day, labelled `2015-02-16`.
    Day,
    /// An ISO week (Monday to Sunday), labelled `2015-W08`.
    Week,
    /// A month, labelled `2021-03`.
    Month,
    /// A quarter, labelled `2021-Q1`.
    Quarter,
    /// A year, labelled `2021`.
    Year,
}

impl Period {
    /// The name (`day`, `week`, `month`, `quarter`, `year`).
    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// The period that suits a span of data from `first` to `last`: days
    /// up to 3 weeks, weeks up to 3 months, months up to 10 years,
    /// quarters beyond (at most about 120 points a series; weeks of a
    /// small community's topics hold too few posts for a trend).
    ///
    /// ```
    /// use portevoix_core::Timestamp;
    /// use portevoix_score::topics::Period;
    /// let day = 86_400;
    /// assert_eq!(Period::auto(Timestamp::from_secs(0), Timestamp::from_secs(9 * day)), Period::Day);
    /// assert_eq!(Period::auto(Timestamp::from_secs(0), Timestamp::from_secs(60 * day)), Period::Week);
    /// assert_eq!(Period::auto(Timestamp::from_secs(0), Timestamp::from_secs(4 * 365 * day)), Period::Month);
    /// ```
    pub fn auto(first: Timestamp, last: Timestamp) -> Period {
        let days = (last.millis() - first.millis()).max(0) / 86_400_000;
        match days {
            0..=21 => Period::Day,
            22..=91 => Period::Week,
            92..=3652 => Period::Month,
            _ => Period::Quarter,
        }
    }

    /// The first day of the period holding `day`.
    fn start_of(self, day: NaiveDate) -> NaiveDate {
        let first_of = |month: u32| NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day);
        match self {
            Period::Day => day,
            Period::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            Period::Month => first_of(day.month()),
            Period::Quarter => first_of((day.month0() / 3) * 3 + 1),
            Period::Year => first_of(1),
        }
    }

    /// The first day of the period after the one starting on `start`.
    fn next(self, start: NaiveDate) -> NaiveDate {
        let months = |n: u32| {
            start
                .checked_add_months(chrono::Months::new(n))
                .unwrap_or(NaiveDate::MAX)
        };
        match self {
            Period::Day => start.succ_opt().unwrap_or(NaiveDate::MAX),
            Period::Week => start + Duration::days(7),
            Period::Month => months(1),
            Period::Quarter => months(3),
            Period::Year => months(12),
        }
    }

    /// The label of the period starting on `start`.
    fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Day => start.format("%Y-%m-%d").to_string(),
            Period::Week => {
                let w = start.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Period::Month => start.format("%Y-%m").to_string(),
            Period::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
            Period::Year => start.year().to_string(),
        }
    }
}

impl FromStr for Period {
    type Err = Error;

    fn from_str(s: &str) -> Result<Period, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" | "daily" => Ok(Period::Day),
            "week" | "weekly" => Ok(Period::Week),
            "month" | "monthly" => Ok(Period::Month),
            "quarter" | "quarterly" => Ok(Period::Quarter),
            "year" | "yearly" => Ok(Period::Year),
            other => Err(Error::argument(
                "--period",
                format!("period '{other}': expected day, week, month, quarter or year"),
            )),
        }
    }
}

/// The UTC day of a timestamp (clamped to chrono's range).
fn day_of(t: Timestamp) -> NaiveDate {
    DateTime::from_timestamp_millis(t.millis())
        .map(|d| d.date_naive())
        .unwrap_or(if t.millis() < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// The grid of periods of one run.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The period.
    pub period: Period,
    /// First day of each period, ascending, contiguous.
    starts: Vec<NaiveDate>,
    /// Index of the last period that ends at or before the data's last
    /// post (`None`: the data covers no whole period).
    last_complete: Option<usize>,
}

/// Longest grid built: a day grid over centuries of bad dates would
/// otherwise take all memory (dates outside are clamped to the ends).
const MAX_PERIODS: usize = 100_000;

impl Grid {
    /// The grid from `first` to `last` (the data's first and last dated
    /// content posts) in periods of `period`.
    pub fn new(period: Period, first: Timestamp, last: Timestamp) -> Grid {
        let (first_day, last_day) = (day_of(first), day_of(last));
        let mut starts = vec![period.start_of(first_day)];
        let end = period.start_of(last_day);
        while starts.len() < MAX_PERIODS
            && let Some(&s) = starts.last()
            && s < end
        {
            starts.push(period.next(s));
        }
        // The last period is complete when the data reaches its last day.
        let last_start = *starts.last().unwrap_or(&first_day);
        let complete = period.next(last_start).pred_opt() == Some(last_day);
        let last_complete = if complete {
            Some(starts.len() - 1)
        } else {
            starts.len().checked_sub(2)
        };
        Grid {
            period,
            starts,
            last_complete,
        }
    }

    /// Number of periods.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether the grid has no period (never: it has at least one).
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Index of the period holding `t` (clamped to the grid).
    pub fn index(&self, t: Timestamp) -> usize {
        let day = day_of(t);
        self.starts.partition_point(|&s| s <= day).saturating_sub(1)
    }

    /// The label of period `i`.
    pub fn label(&self, i: usize) -> String {
        self.period.label(self.starts[i])
    }

    /// The index of the last complete period.
    pub fn last_complete(&self) -> Option<usize> {
        self.last_complete
    }
}

/// Posts and distinct authors of one topic in one period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VolumePoint {
    /// The period's label (`2021-03`, `2015-W08`, `2015-02-16`, ...).
    pub period: String,
    /// The topic's posts in the period.
    pub posts: u64,
    /// Distinct authors of those posts.
    pub authors: u64,
}

/// A topic's series on `grid`: one point per period, and the posts
/// without a date (not in any period).
///
/// # Arguments
///
/// - `grid`: the run's periods;
/// - `posts`: `(time, author)` of each of the topic's posts.
///
/// # Returns
///
/// The points (every period of the grid) and the number of undated posts.
///
/// # Complexity
///
/// O(p log P) for p posts and P periods.
pub fn series(
    grid: &Grid,
    posts: impl Iterator<Item = (Option<Timestamp>, u32)>,
) -> (Vec<VolumePoint>, u64) {
    let mut counts = vec![0u64; grid.len()];
    let mut authors: Vec<FxHashSet<u32>> = vec![FxHashSet::default(); grid.len()];
    let mut undated = 0;
    for (time, author) in posts {
        match time {
            Some(t) => {
                let i = grid.index(t);
                counts[i] += 1;
                authors[i].insert(author);
            }
            None => undated += 1,
        }
    }
    let points = counts
        .iter()
        .zip(&authors)
        .enumerate()
        .map(|(i, (&posts, a))| VolumePoint {
            period: grid.label(i),
            posts,
            authors: a.len() as u64,
        })
        .collect();
    (points, undated)
}

/// The trend of a series (see the module documentation):
/// `(last − mean) / mean` of the last complete period against the mean of
/// the topic's earlier periods.
///
/// ```
/// use portevoix_score::topics::{trend, VolumePoint};
/// let p = |posts| VolumePoint { period: String::new(), posts, authors: 1 };
/// // Periods 0..3; the last complete one is 2 (period 3 is cut short).
/// let s = [p(0), p(4), p(6), p(1)];
/// assert_eq!(trend(&s, Some(2)), Some(0.5)); // 6 against the mean of [4]
/// assert_eq!(trend(&s, Some(1)), None); // no earlier period with the topic
/// ```
pub fn trend(points: &[VolumePoint], last_complete: Option<usize>) -> Option<f64> {
    let last = last_complete?;
    let first = points.iter().position(|p| p.posts > 0)?;
    if first >= last {
        return None;
    }
    let earlier = &points[first..last];
    let mean = earlier.iter().map(|p| p.posts as f64).sum::<f64>() / earlier.len() as f64;
    (mean > 0.0).then(|| (points[last].posts as f64 - mean) / mean)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(date: &str) -> Timestamp {
        Timestamp::parse(date).unwrap()
    }

    #[test]
    fn weeks_are_iso_weeks_and_the_cut_short_last_one_is_not_complete() {
        // 2015-02-16 is a Monday; 2015-02-24 a Tuesday.
        let g = Grid::new(Period::Week, ts("2015-02-17T10:00"), ts("2015-02-24T09:00"));
        assert_eq!(g.len(), 2);
        assert_eq!(g.label(0), "2015-W08");
        assert_eq!(g.label(1), "2015-W09");
        assert_eq!(g.index(ts("2015-02-22T23:59")), 0);
        assert_eq!(g.index(ts("2015-02-23T00:00")), 1);
        assert_eq!(g.last_complete(), Some(0));
    }

    #[test]
    fn months_quarters_and_years_label_and_index() {
        let g = Grid::new(
            Period::Month,
            ts("2020-11-30T00:00"),
            ts("2021-02-28T12:00"),
        );
        let labels: Vec<String> = (0..g.len()).map(|i| g.label(i)).collect();
        assert_eq!(labels, ["2020-11", "2020-12", "2021-01", "2021-02"]);
        assert_eq!(g.last_complete(), Some(3)); // the data reaches 28 February
        let q = Grid::new(
            Period::Quarter,
            ts("2020-11-30T00:00"),
            ts("2021-05-01T00:00"),
        );
        assert_eq!(q.label(0), "2020-Q4");
        assert_eq!(q.label(2), "2021-Q2");
        assert_eq!(q.last_complete(), Some(1));
        let y = Grid::new(Period::Year, ts("2019-01-01T00:00"), ts("2019-12-31T00:00"));
        assert_eq!(
            (y.len(), y.label(0), y.last_complete()),
            (1, "2019".into(), Some(0))
        );
    }

    #[test]
    fn series_count_posts_and_distinct_authors_and_undated_posts() {
        let g = Grid::new(Period::Day, ts("2015-02-16T00:00"), ts("2015-02-18T00:00"));
        let posts = [
            (Some(ts("2015-02-16T08:00")), 1),
            (Some(ts("2015-02-16T09:00")), 1),
            (Some(ts("2015-02-18T09:00")), 2),
            (None, 3),
        ];
        let (points, undated) = series(&g, posts.into_iter());
        let got: Vec<(u64, u64)> = points.iter().map(|p| (p.posts, p.authors)).collect();
        assert_eq!(got, [(2, 1), (0, 0), (1, 1)]);
        assert_eq!(undated, 1);
    }

    proptest::proptest! {
        /// Any dates, any period: every post falls in a period of the
        /// grid, in order, and the series counts each once.
        #[test]
        fn every_date_falls_in_one_period_in_order(
            first in -2_000_000_000_000i64..4_000_000_000_000,
            span in 0i64..400_000_000_000,
            offsets in proptest::collection::vec(0.0f64..=1.0, 1..40),
            p in 0usize..5,
        ) {
            let period = [Period::Day, Period::Week, Period::Month, Period::Quarter, Period::Year][p];
            let (a, b) = (Timestamp(first), Timestamp(first + span));
            let g = Grid::new(period, a, b);
            proptest::prop_assert!(!g.is_empty());
            let mut times: Vec<Timestamp> =
                offsets.iter().map(|f| Timestamp(first + (span as f64 * f) as i64)).collect();
            times.sort();
            let idx: Vec<usize> = times.iter().map(|&t| g.index(t)).collect();
            proptest::prop_assert!(idx.windows(2).all(|w| w[0] <= w[1]));
            proptest::prop_assert_eq!(g.index(a), 0);
            proptest::prop_assert_eq!(g.index(b), g.len() - 1);
            let (points, undated) = series(&g, times.iter().map(|&t| (Some(t), 1)));
            proptest::prop_assert_eq!(undated, 0);
            proptest::prop_assert_eq!(points.iter().map(|p| p.posts).sum::<u64>(), times.len() as u64);
            if let Some(last) = g.last_complete() {
                proptest::prop_assert!(last < g.len());
            }
        }
    }

    #[test]
    fn periods_parse_and_refuse_other_names() {
        assert_eq!("Week".parse::<Period>().unwrap(), Period::Week);
        let e = "fortnight".parse::<Period>().unwrap_err();
        assert!(e.to_string().contains("fortnight"), "{e}");
    }
}
