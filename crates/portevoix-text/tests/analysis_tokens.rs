//! Segmentation and normalisation: social tokens, French elision on real
//! fr-media tweets, hashtag words, positions and byte ranges.

use portevoix_testdata::shared_dataset;
use portevoix_text::analysis::{
    Analyzer, AnalyzerRegistry, Language, SocialTokenizer, Token, TokenFilter, TokenKind, Tokenizer,
};

fn raw(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    SocialTokenizer::new().tokenize(text, &mut tokens);
    tokens
}

fn kinds_terms(tokens: &[Token]) -> Vec<(TokenKind, &str)> {
    tokens.iter().map(|t| (t.kind, t.term.as_str())).collect()
}

fn french_tweets() -> Vec<String> {
    let mut out = Vec::new();
    for file in ["fr-media/twitter-tweets.json", "fr-media/fusion.json"] {
        let data = std::fs::read_to_string(shared_dataset(file)).unwrap();
        let value: serde_json::Value = serde_json::from_str(&data).unwrap();
        for tweets in value.as_object().unwrap().values() {
            for tweet in tweets.as_array().unwrap() {
                out.push(tweet["text"].as_str().unwrap().to_string());
            }
        }
    }
    out
}

#[test]
fn social_tweet() {
    let text = "RT @Air_France: Vol AF1234 😡 annulé :-( mais merci ;D <3 \
                https://www.airfrance.fr/x?y=1. $AAPL #VoyageEnFamille 👨‍👩‍👧‍👦 🇫🇷 👍🏽 :)";
    let tokens = raw(text);
    use TokenKind::*;
    assert_eq!(
        kinds_terms(&tokens),
        [
            (Word, "RT"),
            (Mention, "@air_france"),
            (Word, "Vol"),
            (Word, "AF1234"),
            (Emoji, "😡"),
            (Word, "annulé"),
            (Emoticon, ":-("),
            (Word, "mais"),
            (Word, "merci"),
            (Emoticon, ";D"),
            (Emoticon, "<3"),
            (Url, "https://www.airfrance.fr/x?y=1"),
            (Cashtag, "$AAPL"),
            (Hashtag, "#VoyageEnFamille"),
            (Word, "Voyage"),
            (Word, "En"),
            (Word, "Famille"),
            (Emoji, "👨‍👩‍👧‍👦"),
            (Emoji, "🇫🇷"),
            (Emoji, "👍🏽"),
            (Emoticon, ":)"),
        ]
    );
    // Byte ranges point at the original text.
    assert_eq!(tokens[1].source(text), "@Air_France");
    assert_eq!(tokens[11].source(text), "https://www.airfrance.fr/x?y=1");
    assert_eq!(tokens[13].source(text), "#VoyageEnFamille");
    assert_eq!(tokens[14].source(text), "Voyage");
    assert_eq!(tokens[17].source(text), "👨‍👩‍👧‍👦");
    // Hashtag words share the hashtag's position.
    assert_eq!(tokens[14].position, tokens[13].position);
    assert_eq!(tokens[16].position, tokens[13].position);
    assert_eq!(tokens[17].position, tokens[13].position + 1);
}

#[test]
fn standard_terms_of_a_social_tweet() {
    let a = Analyzer::standard()
        .analyze("@United thanks for the great flight to #NewYork :) $UAL http://t.co/abc… 👍");
    assert_eq!(a.effective_language(), Some(Language::English));
    assert_eq!(
        a.terms().collect::<Vec<_>>(),
        [
            "@united",
            "thank",
            "great",
            "flight",
            "#newyork",
            "new",
            "york",
            ":)",
            "$UAL",
            "http://t.co/abc",
            "👍"
        ]
    );
}

#[test]
fn emoticons_and_lookalikes() {
    use TokenKind::*;
    assert_eq!(
        kinds_terms(&raw("xD :P :'( ^_^ -_- o_O </3 :)))")),
        [
            (Emoticon, "xD"),
            (Emoticon, ":P"),
            (Emoticon, ":'("),
            (Emoticon, "^_^"),
            (Emoticon, "-_-"),
            (Emoticon, "o_O"),
            (Emoticon, "</3"),
            (Emoticon, ":)"),
        ]
    );
    // Times, ratios, URLs, code: no emoticon.
    let tokens = raw("à 10:30, 3:2 ftp://x.fr Dépôt:Paris");
    assert!(tokens.iter().all(|t| t.kind != Emoticon), "{tokens:?}");
}

#[test]
fn mentions_hashtags_cashtags_edge_cases() {
    use TokenKind::*;
    assert_eq!(
        kinds_terms(&raw(
            "contact@example.com @alice@piaille.fr ＃Fête ＠Bob $5 $TOOLONGX #2022 #1er"
        )),
        [
            (Word, "contact"),
            (Word, "example.com"),
            (Mention, "@alice@piaille.fr"),
            (Hashtag, "#Fête"),
            (Word, "Fête"),
            (Mention, "@bob"),
            (Number, "5"),
            (Word, "TOOLONGX"),
            (Number, "2022"),
            (Hashtag, "#1er"),
            (Word, "1er"),
        ]
    );
}

#[test]
fn html_entities_of_exports() {
    use TokenKind::*;
    assert_eq!(
        kinds_terms(&raw("fast &amp; friendly &lt;3 &quot;ok&quot; it&#39;s")),
        [
            (Word, "fast"),
            (Word, "friendly"),
            (Emoticon, "<3"),
            (Word, "ok"),
            (Word, "it"),
            (Word, "s"),
        ]
    );
}

#[test]
fn french_elision_on_real_tweets() {
    let tweets = french_tweets();
    let fr = Analyzer::builder("fr_plain")
        .languages(&[Language::French])
        .stop_words(false)
        .stem(false)
        .build();
    let elided = [
        "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu",
    ];
    let mut with_curly = 0;
    let mut with_straight = 0;
    for text in &tweets {
        let curly = elided
            .iter()
            .any(|p| text.to_lowercase().contains(&format!(" {p}\u{2019}")));
        let straight = elided
            .iter()
            .any(|p| text.to_lowercase().contains(&format!(" {p}'")));
        with_curly += usize::from(curly);
        with_straight += usize::from(straight);
        for token in fr.analyze(text).tokens {
            if token.kind != TokenKind::Word {
                continue;
            }
            assert!(!token.term.contains('\u{2019}'), "{token:?} in {text:?}");
            if let Some((prefix, rest)) = token.term.split_once('\'') {
                assert!(
                    !elided.contains(&prefix) || rest.is_empty(),
                    "elision left in {:?} of {text:?}",
                    token.term
                );
            }
        }
    }
    assert!(with_curly > 100, "{with_curly}");
    assert!(with_straight > 100, "{with_straight}");
    // A tweet of twitter-tweets.json: « à l’hôpital public », « d'augmenter ».
    let first = tweets
        .iter()
        .find(|t| t.contains("l\u{2019}hôpital public"))
        .unwrap();
    assert!(first.contains("d'augmenter"), "{first}");
    let terms: Vec<String> = fr
        .analyze(first)
        .tokens
        .into_iter()
        .map(|t| t.term)
        .collect();
    assert!(terms.iter().any(|t| t == "hôpital"), "{terms:?}");
    assert!(terms.iter().any(|t| t == "augmenter"), "{terms:?}");
    // Stemmed by the standard analyser, the language detected.
    let standard = Analyzer::standard().analyze(first);
    assert_eq!(standard.effective_language(), Some(Language::French));
    assert!(standard.terms().any(|t| t == "hôpital"));
    assert!(standard.terms().any(|t| t == "augment"));
}

#[test]
fn elision_forms() {
    let fr = Analyzer::builder("fr")
        .languages(&[Language::French])
        .stop_words(false)
        .stem(false)
        .build();
    let terms: Vec<String> = fr
        .analyze("L'influence d’un créateur qu'il suit jusqu'à aujourd'hui, jusqu’au bout")
        .tokens
        .into_iter()
        .map(|t| t.term)
        .collect();
    assert_eq!(
        terms,
        [
            "influence",
            "un",
            "créateur",
            "il",
            "suit",
            "à",
            "aujourd'hui",
            "au",
            "bout"
        ]
    );
}

#[test]
fn hashtag_matches_keyword() {
    let fr = Analyzer::builder("fr")
        .languages(&[Language::French])
        .build();
    let keyword: Vec<String> = fr
        .analyze("influence")
        .tokens
        .into_iter()
        .map(|t| t.term)
        .collect();
    let post = fr.analyze("Le pouvoir de l'#Influence et du #MarketingDInfluence");
    for k in &keyword {
        assert!(post.terms().any(|t| t == k), "{k} not in {:?}", post.tokens);
    }
    let higgs = Analyzer::builder("en")
        .languages(&[Language::English])
        .build();
    let a = higgs.analyze("#HiggsBoson found");
    assert_eq!(
        a.terms().collect::<Vec<_>>(),
        ["#higgsboson", "higg", "boson", "found"]
    );
    assert_eq!(a.tokens[1].position, a.tokens[0].position);
    assert_eq!(a.tokens[2].position, a.tokens[0].position);
}

#[test]
fn positions_survive_stop_words() {
    let en = Analyzer::builder("en")
        .languages(&[Language::English])
        .build();
    let a = en.analyze("the state of the art");
    assert_eq!(a.terms().collect::<Vec<_>>(), ["state", "art"]);
    assert_eq!(a.tokens[0].position, 1);
    assert_eq!(a.tokens[1].position, 4);
    assert_eq!(a.tokens[1].source("the state of the art"), "art");
}

#[test]
fn options() {
    let folded = Analyzer::builder("folded")
        .languages(&[Language::French])
        .fold_accents(true)
        .keep_numbers(false)
        .build();
    assert_eq!(
        folded
            .analyze("Élysée : 3 œuvres #Été2022")
            .terms()
            .collect::<Vec<_>>(),
        ["elys", "oeuvr", "#ete2022", "ete2022"]
    );
    let plain = Analyzer::builder("plain")
        .languages(&[Language::English])
        .stop_words(false)
        .stem(false)
        .build();
    assert_eq!(
        plain
            .analyze("The Runners ran 10.5 km")
            .terms()
            .collect::<Vec<_>>(),
        ["the", "runners", "ran", "10.5", "km"]
    );
}

#[derive(Debug)]
struct DropEmoji;

impl TokenFilter for DropEmoji {
    fn name(&self) -> &str {
        "drop_emoji"
    }
    fn apply(&self, _language: Option<Language>, tokens: &mut Vec<Token>) {
        tokens.retain(|t| t.kind != TokenKind::Emoji);
    }
}

#[test]
fn user_parts_and_registry() {
    let a = Analyzer::builder("no_emoji")
        .languages(&[Language::English])
        .filter(DropEmoji)
        .build();
    assert_eq!(a.name(), "no_emoji");
    assert_eq!(a.parts().last(), Some(&"drop_emoji"));
    assert_eq!(a.analyze("nice 🚀").terms().collect::<Vec<_>>(), ["nice"]);
    let b = a.clone();
    std::thread::spawn(move || b.analyze("threads ok"))
        .join()
        .unwrap();
    let mut registry = AnalyzerRegistry::with_builtins();
    registry.register(a);
    assert!(registry.get("no_emoji").is_some());
    assert_eq!(
        registry.get("fr").unwrap().forced_language(),
        Some(Language::French)
    );
    assert!(registry.names().any(|n| n == "standard"));
}

#[test]
fn analyze_par_matches_sequential() {
    let tweets = french_tweets();
    let sample: Vec<&str> = tweets.iter().take(300).map(String::as_str).collect();
    let a = Analyzer::standard();
    let par = a.analyze_par(&sample);
    for (text, p) in sample.iter().zip(&par) {
        assert_eq!(&a.analyze(text), p);
    }
}

#[test]
fn every_post_of_the_datasets_has_valid_ranges() {
    let a = Analyzer::standard();
    for text in french_tweets() {
        let analysis = a.analyze(&text);
        let mut last = (0u32, 0u32);
        for t in &analysis.tokens {
            assert!(t.start < t.end && t.end as usize <= text.len());
            assert!(
                text.is_char_boundary(t.start as usize) && text.is_char_boundary(t.end as usize)
            );
            assert!((t.position, t.start) >= last, "{t:?} in {text:?}");
            last = (t.position, t.start);
        }
    }
}

#[test]
fn analysis_serialises() {
    let a = Analyzer::standard().analyze_in("Vive #LaFrance :)", Some(Language::French));
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["language"]["language"], "fr");
    assert_eq!(json["language"]["reliable"], true);
    assert_eq!(json["tokens"][1]["kind"], "Hashtag");
    assert_eq!(json["tokens"][1]["term"], "#lafrance");
    assert_eq!(json["tokens"][1]["start"], 5);
}
