//! Shared by the text tests: columns of the real airline tweets.

/// `(tweet_id, value of column)` for every row of
/// `airline-sentiment/tweets.csv`, in file order (repeated ids kept).
pub fn airline_column(column: &str) -> Vec<(String, String)> {
    let path = portevoix_testdata::shared_dataset("airline-sentiment/tweets.csv");
    let mut reader = csv::Reader::from_path(path).expect("tweets.csv");
    let headers = reader.headers().expect("header").clone();
    let position = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (id, value) = (position("tweet_id"), position(column));
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            (r[id].to_string(), r[value].to_string())
        })
        .collect()
}
