//! The tweet normalisation the encoder's stance head is trained and applied with.

/// Replaces every `@handle` by `@user` and every link by `http`, word by word (words split on
/// single spaces and joined back with them), as TweetEval and the Cardiff NLP tweet models
/// preprocess tweets.
///
/// The training pool keeps real handles and links while TweetEval's validation tweets are
/// anonymised; normalising both the same way keeps the model from learning handles, and keeps a
/// brand's handle from swaying its own stance.
///
/// # Example
/// ```
/// use portevoix_text::encoder::normalize_tweet;
/// assert_eq!(
///     normalize_tweet("@united lost my bag https://t.co/x again"),
///     "@user lost my bag http again"
/// );
/// ```
pub fn normalize_tweet(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.len() > 1 && word.starts_with('@') {
            out.push_str("@user");
        } else if word.starts_with("http") {
            out.push_str("http");
        } else {
            out.push_str(word);
        }
    }
    out
}
