//! Sentiment toward a target, on real airline tweets that mention two airlines.

mod common;

use std::collections::HashMap;

use portevoix_text::sentiment::{Target, Vader};

fn united() -> Target {
    Target::new(["@united", "United Airlines"])
}

#[test]
fn two_airlines_in_one_tweet_get_their_own_sentences() {
    let tweets: HashMap<String, String> = common::airline_column("text").into_iter().collect();
    let vader = Vader::english();
    let delta = Target::new(["@Delta", "@DeltaAssist", "Delta"]);
    let american = Target::new(["@AmericanAir", "American Airlines"]);
    let virgin = Target::new(["@VirginAmerica", "Virgin America"]);

    // "@united thats weak. See ya 👋\nHey @VirginAmerica !!"
    let t = &tweets["570291813912858625"];
    let ua = vader
        .target_sentiment(t, &united())
        .expect("mentions united");
    let vx = vader.target_sentiment(t, &virgin).expect("mentions virgin");
    assert_eq!(&t[ua.sentences[0].clone()], "@united thats weak.");
    // "united" is a positive word of vader-en (+1.8): masked, "weak" decides.
    assert!(ua.scores.compound <= -0.05, "{ua:?}");
    assert!(vader.polarity_scores(&t[ua.sentences[0].clone()]).compound > -0.05);
    assert_eq!(&t[vx.sentences[0].clone()], "Hey @VirginAmerica !!");
    assert!(vx.scores.compound > ua.scores.compound);
    assert!(vader.target_sentiment(t, &delta).is_none());

    // "@united what a pointless tweet. At least @AmericanAir asked me to follow them ..."
    let t = &tweets["569920593597894657"];
    let ua = vader.target_sentiment(t, &united()).unwrap();
    let aa = vader.target_sentiment(t, &american).unwrap();
    // "pointless" is not in vader-en: neutral toward United, positive toward American.
    assert_eq!(ua.scores.compound, 0.0, "{ua:?}");
    assert!(aa.scores.compound >= 0.05, "{aa:?}");
    assert_eq!(ua.mentions, 1);
    assert_eq!(aa.sentences.len(), 1);

    // "... Just to know, after this experience I'm Cancelled Flighting my miles card. Thank god for @Delta"
    let t = &tweets["569307047285690369"];
    let dl = vader.target_sentiment(t, &delta).unwrap();
    assert_eq!(&t[dl.sentences[0].clone()], "Thank god for @Delta");
    assert!(dl.scores.compound >= 0.05, "{dl:?}");
}

#[test]
fn one_sentence_posts_score_as_the_whole_post() {
    let tweets: HashMap<String, String> = common::airline_column("text").into_iter().collect();
    let vader = Vader::english();
    // "@united Your boarding process sucks. You should learn from @SouthwestAir": two sentences.
    let t = &tweets["568562613040197634"];
    let ua = vader.target_sentiment(t, &united()).unwrap();
    assert_eq!(ua.sentences.len(), 1);
    assert!(ua.scores.compound < 0.0);
    // Every sentence mentions the target: the scores of the whole post,
    // mentions masked.
    let t = "@united you lost my bag and nobody at @united cares";
    let ua = vader.target_sentiment(t, &united()).unwrap();
    assert_eq!(
        ua.scores,
        vader.polarity_scores("@_ you lost my bag and nobody at @_ cares")
    );
    assert_eq!(ua.mentions, 2);
    assert_eq!(ua.sentences, vec![0..t.len()]);
}

#[test]
fn targets_in_french() {
    let vader = Vader::french();
    let af = Target::new(["Air France", "@airfrance"]);
    let t = "Vol annulé par AIR FRANCE, service nul. Merci @transavia, équipage formidable !";
    let s = vader.target_sentiment(t, &af).unwrap();
    assert_eq!(
        &t[s.sentences[0].clone()],
        "Vol annulé par AIR FRANCE, service nul."
    );
    assert!(s.scores.compound < 0.0, "{s:?}");
    let tv = vader
        .target_sentiment(t, &Target::new(["@transavia"]))
        .unwrap();
    assert!(tv.scores.compound > 0.0, "{tv:?}");
    assert!(vader.target_sentiment("Rien à voir", &af).is_none());
}
