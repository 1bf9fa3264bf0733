//! `[brand] stance_engine = "encoder"`: its configuration errors (without the feature, without
//! `encoder = "DIR"`, with `stance_examples`, not loaded, a bad directory) and, with the feature and
//! the model files (`PORTEVOIX_ENCODER_DIR`, `scripts/fetch-encoder.sh DIR`), the stances of the
//! brand mentions of the 1,000-tweet airline sample: the same posts as the model engine, judged by the
//! encoder, identical for 1 and 2 threads, and closer to the annotators than the majority class.

#[cfg(not(feature = "encoder"))]
use portevoix_score::campaign::{Campaign, StanceEngine};

const CAMPAIGN: &str = r#"
name = "United"
languages = ["en"]
objective = "advocacy"
[brand]
handles = ["@united"]
names = ["United Airlines", "United"]
stance_engine = "encoder"
encoder = "models/minilm"
"#;

#[cfg(not(feature = "encoder"))]
#[test]
fn without_the_feature_the_encoder_engine_is_a_config_error_naming_it() {
    let err = Campaign::from_toml_str(CAMPAIGN, "united.toml").unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("feature `encoder`") && message.contains("--features encoder"),
        "{message}"
    );
    assert!(message.starts_with("united.toml:"), "{message}");
    // The other engines are unaffected.
    let model = CAMPAIGN.replace("stance_engine = \"encoder\"", "stance_engine = \"model\"");
    assert_eq!(
        Campaign::from_toml_str(&model, "united.toml")
            .unwrap()
            .brand
            .stance_engine,
        StanceEngine::Model
    );
}

#[cfg(feature = "encoder")]
mod with_the_feature {
    use super::CAMPAIGN;
    use portevoix_graph::BuildOptions;
    use portevoix_ingest::{FormatKind, ReadOptions, load};
    use portevoix_score::campaign::{Campaign, StanceEngine};
    use portevoix_score::context::CampaignContext;
    use portevoix_score::engine::Engine;
    use portevoix_text::analysis::Analyzer;
    use portevoix_text::encoder::EncoderFiles;
    use std::path::{Path, PathBuf};

    fn repo(relative: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(relative)
    }

    fn sample() -> Engine {
        let path = repo("datasets/airline-sample/tweets.first1000.csv");
        let dataset = load(
            &[(path.as_path(), Some(FormatKind::PostsCsv))],
            &ReadOptions::default(),
        )
        .unwrap();
        Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap()
    }

    #[test]
    fn configuration_errors_name_the_key() {
        let campaign = Campaign::from_toml_str(CAMPAIGN, "united.toml").unwrap();
        assert_eq!(campaign.brand.stance_engine, StanceEngine::Encoder);
        assert_eq!(campaign.brand.encoder.as_deref(), Some("models/minilm"));

        let no_dir = CAMPAIGN.replace("encoder = \"models/minilm\"\n", "");
        let err = Campaign::from_toml_str(&no_dir, "united.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("encoder = \"DIR\"") && err.contains("fetch-encoder.sh"),
            "{err}"
        );

        let examples = format!("{CAMPAIGN}stance_examples = \"united.csv\"\n");
        let err = Campaign::from_toml_str(&examples, "united.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("stance_examples"), "{err}");

        // Parsed but not loaded: the context refuses it rather than judging with another engine.
        let engine = sample();
        let err = CampaignContext::new(&engine, &campaign)
            .err()
            .expect("an error")
            .to_string();
        assert!(err.contains("not loaded"), "{err}");

        // Damaged model files: a configuration error at brand.encoder naming the file.
        let mut damaged = campaign.clone();
        let files = EncoderFiles {
            config: b"{not json".to_vec(),
            tokenizer: b"{}".to_vec(),
            weights: Vec::new(),
            sentence_config: None,
        };
        let err = damaged
            .set_stance_encoder(Path::new("models/minilm"), files)
            .unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("models/minilm/config.json: not a BERT configuration"),
            "{message}"
        );
        assert!(
            matches!(err, portevoix_core::Error::Config { key: Some(k), .. } if k == "brand.encoder")
        );
        assert!(damaged.brand.encoder_engine.is_none());
    }

    /// The files of a model directory, read from disk.
    fn read_files(dir: &Path) -> EncoderFiles {
        EncoderFiles::read_with(|name| match std::fs::read(dir.join(name)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(portevoix_text::encoder::EncoderError::model(
                name,
                e.to_string(),
            )),
        })
        .expect("the model files")
    }

    #[test]
    fn the_encoder_judges_the_brand_mentions_for_any_thread_count() {
        let required = std::env::var("PORTEVOIX_REQUIRE_ENCODER").is_ok_and(|v| v == "1");
        let Some(dir) = std::env::var_os("PORTEVOIX_ENCODER_DIR").map(PathBuf::from) else {
            assert!(!required, "PORTEVOIX_ENCODER_DIR is not set");
            eprintln!("SKIPPED: PORTEVOIX_ENCODER_DIR is not set (scripts/fetch-encoder.sh DIR)");
            return;
        };
        let engine = sample();
        let mut encoder = Campaign::from_toml_str(CAMPAIGN, "united.toml").unwrap();
        encoder.set_stance_encoder(&dir, read_files(&dir)).unwrap();
        let mut model = encoder.clone();
        model.brand.stance_engine = StanceEngine::Model;
        let stances = |campaign: &Campaign, threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    CampaignContext::new(&engine, campaign)
                        .unwrap()
                        .brand_post_sentiment()
                        .to_vec()
                })
        };
        let by_encoder = stances(&encoder, 1);
        assert_eq!(by_encoder, stances(&encoder, 2));
        let by_model = stances(&model, 2);
        // The same posts are brand mentions; the engines judge them differently.
        let mentions = |v: &[Option<_>]| v.iter().map(Option::is_some).collect::<Vec<bool>>();
        assert_eq!(mentions(&by_encoder), mentions(&by_model));
        let judged = by_encoder.iter().flatten().count();
        assert!(judged > 500, "{judged} brand mentions");
        let differ = by_encoder
            .iter()
            .zip(&by_model)
            .filter(|(a, b)| a != b)
            .count();
        assert!(differ > judged / 2, "{differ} of {judged} differ");
        // Against the annotators (the airline column says which airline the label is about).
        let mut reader =
            csv::Reader::from_path(repo("datasets/airline-sample/tweets.first1000.csv")).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
        let (id, airline, label) = (col("tweet_id"), col("airline"), col("airline_sentiment"));
        let gold: std::collections::HashMap<String, String> = reader
            .records()
            .map(|r| r.unwrap())
            .filter(|r| &r[airline] == "United")
            .map(|r| (r[id].to_string(), r[label].to_string()))
            .collect();
        let (mut right, mut total) = (0, 0);
        for (post, stance) in engine.posts().iter().zip(&by_encoder) {
            if let (Some(s), Some(g)) = (stance, gold.get(&post.id)) {
                total += 1;
                right += usize::from(s.class.name() == g);
            }
        }
        let accuracy = right as f64 / total as f64;
        eprintln!("encoder stance accuracy {accuracy:.3} on {total} United tweets");
        // The default head (the full-pool run, written 2026-12-08) scores 0.771 on these 693
        // tweets; the 8,192-tweet head 0.759, the embedded model 0.700 (tests/adapted_stance.rs),
        // the 2,048-tweet head 0.700.
        assert!(total > 500 && accuracy > 0.73, "{right} of {total}");
    }
}
