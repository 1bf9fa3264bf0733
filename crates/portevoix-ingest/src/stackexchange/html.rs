//! The plain text of a post's rendered HTML (`Body`, `AboutMe`).
//!
//! Stack Exchange publishes bodies as sanitised HTML (a fixed subset:
//! paragraphs, lists, headings, quotes, code, links, images, tables). The
//! text keeps what a reader sees: block elements become paragraph breaks,
//! `<br>` and list items line breaks, code is kept as written, images leave
//! their `alt` text, and every HTML entity (`&amp;`, `&nbsp;`, `&#x27;`) is
//! decoded with the full HTML5 table. A full HTML parser (html5ever) would
//! add a large build for this sanitised subset; a `<` that opens no tag is
//! kept as text, so nothing is lost on odd input.

use crate::html_tag::tag_end;

/// The text of sanitised HTML.
///
/// ```
/// use portevoix_ingest::stackexchange::html_to_text;
/// let html = "<p>Use <code>a &lt; b</code> &amp; see <a href=\"https://x.example\">this</a>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n";
/// assert_eq!(html_to_text(html), "Use a < b & see this.\n\none\ntwo");
/// ```
pub fn html_to_text(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    let mut in_pre = false;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            let next = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |k| i + k);
            push_text(&mut out, &html[i..next], in_pre);
            i = next;
            continue;
        }
        let Some(end) = tag_end(bytes, i + 1) else {
            push_text(&mut out, &html[i..i + 1], in_pre);
            i += 1;
            continue;
        };
        let tag = &html[i + 1..end];
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name_len = body
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(body.len());
        if name_len == 0 || !body.as_bytes()[0].is_ascii_alphabetic() {
            // `<!-- -->`, `<!DOCTYPE>`, or a `<` followed by a non-name: a
            // comment is dropped, anything else is text.
            if !body.starts_with('!') {
                push_text(&mut out, &html[i..=end], in_pre);
            }
            i = end + 1;
            continue;
        }
        let name = body[..name_len].to_ascii_lowercase();
        match name.as_str() {
            "br" => out.push('\n'),
            "p" | "div" | "blockquote" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol"
            | "table" | "hr" | "dl" => paragraph(&mut out),
            "pre" => {
                paragraph(&mut out);
                in_pre = !closing;
            }
            "li" | "tr" | "dt" | "dd" if !closing => line(&mut out),
            "td" | "th" if !closing && !out.ends_with(['\n', ' ']) && !out.is_empty() => {
                out.push(' ');
            }
            "img" if !closing => {
                if let Some(alt) = attribute(&body[name_len..], "alt").filter(|a| !a.is_empty()) {
                    push_text(&mut out, &alt, false);
                }
            }
            _ => {}
        }
        i = end + 1;
    }
    let decoded = html_escape::decode_html_entities(&out);
    tidy(&decoded)
}

/// Appends text; outside `<pre>`, raw newlines are spaces (HTML collapses them).
fn push_text(out: &mut String, text: &str, in_pre: bool) {
    if in_pre || memchr::memchr(b'\n', text.as_bytes()).is_none() {
        out.push_str(text);
    } else {
        for (k, part) in text.split('\n').enumerate() {
            if k > 0 && !out.ends_with([' ', '\n']) && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(part.trim_end_matches('\r'));
        }
    }
}

fn paragraph(out: &mut String) {
    let trimmed = out.trim_end_matches([' ', '\t']).len();
    out.truncate(trimmed);
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
}

fn line(out: &mut String) {
    let trimmed = out.trim_end_matches([' ', '\t']).len();
    out.truncate(trimmed);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Trims every line's end, keeps at most one blank line in a row, trims the whole.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for l in text.trim().lines() {
        let l = l.trim_end();
        if l.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        if !out.is_empty() || !l.is_empty() {
            out.push_str(l);
            out.push('\n');
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// The value of attribute `name` in a tag's attribute text.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(k) = lower[from..].find(name) {
        let at = from + k;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = attrs[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        return Some(match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &rest[1..];
                body[..body.find(q).unwrap_or(body.len())].to_string()
            }
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_body_shapes() {
        let body = "<p>I know that a <a href=\"https://en.wikipedia.org/wiki/Turing_machine\" rel=\"noreferrer\">Turing machine</a><sup>1</sup> can simulate &quot;anything&quot;</p>\n\n<pre><code>x = 1\n  y = 2\n</code></pre>\n\n<blockquote>\n  <p>quoted</p>\n</blockquote>\n<p><img src=\"https://i.sstatic.net/a.png\" alt=\"circuit diagram\"></p>";
        assert_eq!(
            html_to_text(body),
            "I know that a Turing machine1 can simulate \"anything\"\n\nx = 1\n  y = 2\n\nquoted\n\ncircuit diagram"
        );
        assert_eq!(html_to_text("a < b and 3<4"), "a < b and 3<4");
        assert_eq!(html_to_text("x&nbsp;y &eacute;"), "x\u{a0}y é");
        assert_eq!(html_to_text(""), "");
        assert_eq!(html_to_text("<p>unclosed <b"), "unclosed <b");
    }
}
