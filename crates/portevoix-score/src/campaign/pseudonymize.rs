//! A campaign hashed like pseudonymised data (`--pseudonymize`), so that
//! its lists still name the accounts they named.
//!
//! The ingest stage replaces every external id by `i…`, every handle by
//! `u…` and every `@mention` in texts by `@u…`
//! ([`portevoix_ingest::privacy`]). A campaign written against the original
//! data names `@united`, `@AmericanAir` or `35`: run as it is on the
//! pseudonymised data, its brand account is not found (and ranked as a
//! candidate), its competitors are not excluded, its seeds seed nothing.
//! [`Campaign::pseudonymized`] maps it the same way.

use super::Campaign;
use portevoix_ingest::privacy::Pseudonymizer;

impl Campaign {
    /// The campaign with every account it names hashed like the data:
    ///
    /// - the brand's handles, the employees, the customers, the trusted
    ///   seeds and the excluded accounts through
    ///   [`Pseudonymizer::reference`] (`@handle` → `@u…`, an account id →
    ///   `i…`);
    /// - the texts it matches against posts (the topic's keywords,
    ///   exclusions and examples, the brand's names and keywords) through
    ///   [`Pseudonymizer::text`], as the posts' texts were: an `@mention`
    ///   among them becomes `@u…`, an e-mail address or a URL's path its
    ///   pseudonym, every other word stays (so `#flyunited` or "lost
    ///   luggage" still match).
    ///
    /// Everything else (name, weights, gates, window, thresholds) is kept.
    /// Lists must be written with the original names, `@` before handles
    /// (a bare handle is taken for an account id, as in the data).
    ///
    /// # Example
    ///
    /// ```
    /// use portevoix_ingest::privacy::Pseudonymizer;
    /// use portevoix_score::Campaign;
    ///
    /// let p = Pseudonymizer::new(b"a key of at least 16 bytes")?;
    /// let c = Campaign::builder("x").brand_handle("@United").trusted_seed("35").build()?;
    /// let hashed = c.pseudonymized(&p);
    /// assert_eq!(hashed.brand.handles, [format!("@{}", p.handle("united"))]);
    /// assert_eq!(hashed.trusted_seeds, [p.id("35")]);
    /// assert_eq!(hashed.topic.keywords[0].text, hashed.brand.handles[0]);
    /// # Ok::<(), portevoix_core::Error>(())
    /// ```
    pub fn pseudonymized(&self, p: &Pseudonymizer) -> Campaign {
        let mut c = self.clone();
        c.brand.handles = p.references(&c.brand.handles);
        c.employees = p.references(&c.employees);
        c.customers = p.references(&c.customers);
        c.trusted_seeds = p.references(&c.trusted_seeds);
        c.candidates.exclude = p.references(&c.candidates.exclude);
        let texts = |v: &mut Vec<String>| {
            for t in v.iter_mut() {
                *t = p.text(t);
            }
        };
        texts(&mut c.brand.names);
        texts(&mut c.brand.keywords);
        texts(&mut c.topic.exclusions);
        texts(&mut c.topic.examples);
        for k in &mut c.topic.keywords {
            k.text = p.text(&k.text);
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_is_hashed_and_plain_words_stay() {
        let p = Pseudonymizer::new(b"0123456789abcdef-test").unwrap();
        let text = r##"
name = "United"
employees = ["@united_jobs", "1234"]
customers = ["@Frequent"]
trusted_seeds = ["@faa"]
[brand]
name = "United"
handles = ["@united"]
names = ["United Airlines"]
keywords = ["#flyunited", "@unitedcargo"]
[candidates]
exclude = ["@AmericanAir"]
[topic]
exclude = ["@spam"]
examples = ["lost my bag, @united please help"]
[topic.keywords]
"lost luggage" = 2.0
"@united" = 1.0
"##;
        let c = Campaign::from_toml_str(text, "u.toml").unwrap();
        let h = c.pseudonymized(&p);
        let at = |s: &str| format!("@{}", p.handle(s));
        assert_eq!(h.brand.handles, [at("united")]);
        assert_eq!(h.employees, [at("united_jobs"), p.id("1234")]);
        assert_eq!(h.customers, [at("frequent")]);
        assert_eq!(h.trusted_seeds, [at("faa")]);
        assert_eq!(h.candidates.exclude, [at("americanair")]);
        assert_eq!(h.brand.names, ["United Airlines"]);
        assert_eq!(
            h.brand.keywords,
            ["#flyunited".to_string(), at("unitedcargo")]
        );
        assert_eq!(h.topic.exclusions, [at("spam")]);
        assert_eq!(
            h.topic.examples,
            [format!("lost my bag, {} please help", at("united"))]
        );
        let words: Vec<&str> = h.topic.keywords.iter().map(|k| k.text.as_str()).collect();
        assert!(words.contains(&"lost luggage"), "{words:?}");
        assert!(words.contains(&at("united").as_str()), "{words:?}");
        assert_eq!((h.name.as_str(), h.weights()), ("United", c.weights()));
        h.validate().unwrap();
    }
}
