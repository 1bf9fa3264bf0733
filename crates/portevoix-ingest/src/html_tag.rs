//! Scanning HTML tags in post bodies (Mastodon statuses, Stack Exchange
//! posts): both readers turn HTML into text with their own rules for
//! blocks and links, on the same tag scanner.

/// The index of the `>` closing a tag whose name starts at `from`, skipping
/// quoted attribute values; `None` if another `<` or the end comes first.
pub(crate) fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (k, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(k),
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::tag_end;

    #[test]
    fn quoted_angle_brackets_do_not_close_a_tag() {
        let s = br#"<a href="x>y" title='>'>text"#;
        assert_eq!(tag_end(s, 1), Some(23));
        assert_eq!(tag_end(b"<p <b>", 1), None);
        assert_eq!(tag_end(b"<p", 1), None);
    }
}
