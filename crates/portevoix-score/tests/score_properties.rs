//! Properties of `scoring::compute` on random signal matrices (several value
//! families: small integers with ties and zeros, continuous, mostly zero,
//! heavy-tailed, constant), checked against an independent brute-force
//! oracle of the formulas in the `scoring` module docs.

use ndarray::Array2;
use portevoix_core::{Evidence, NodeId};
use portevoix_score::campaign::Weights;
use portevoix_score::campaign::{Normalisation, Scale};
use portevoix_score::names::BASELINE as BASELINE_SIGNALS;
use portevoix_score::scoring::{self as score, Gate, ScoreOptions, Scores, compute};
use portevoix_score::signals::{Family, SignalInfo, SignalMatrix};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use std::collections::BTreeMap;

const FAMILIES: [Family; 5] = [
    Family::Reach,
    Family::Resonance,
    Family::Relevance,
    Family::Trust,
    Family::BrandAffinity,
];

/// A random scoring problem.
#[derive(Debug, Clone)]
struct Case {
    /// Column-major values: `columns[j][i]`.
    columns: Vec<Vec<f64>>,
    families: Vec<Family>,
    shares: Vec<f64>,
    weights: Weights,
    communities: Vec<u32>,
    /// Name the first three columns after the baseline signals.
    baseline_names: bool,
}

impl Case {
    fn n(&self) -> usize {
        self.communities.len()
    }

    fn names(&self) -> Vec<String> {
        (0..self.columns.len())
            .map(|j| {
                if self.baseline_names && j < 3 {
                    BASELINE_SIGNALS[j].to_string()
                } else {
                    format!("{}.s{j}", self.families[j].name())
                }
            })
            .collect()
    }

    fn matrix(&self) -> SignalMatrix {
        let n = self.n();
        let s = self.columns.len();
        let names = self.names();
        let mut values = Array2::zeros((n, s));
        for (j, col) in self.columns.iter().enumerate() {
            for (i, v) in col.iter().enumerate() {
                values[[i, j]] = *v;
            }
        }
        SignalMatrix {
            accounts: (0..n as u32).map(NodeId).collect(),
            signals: (0..s)
                .map(|j| SignalInfo {
                    name: names[j].clone(),
                    family: self.families[j],
                    description: String::new(),
                    weight: self.shares[j],
                })
                .collect(),
            values,
            columns: None,
        }
    }

    fn family_weight(&self, f: Family) -> f64 {
        match f {
            Family::Reach => self.weights.reach,
            Family::Resonance => self.weights.resonance,
            Family::Relevance => self.weights.relevance,
            Family::Trust => self.weights.trust,
            Family::BrandAffinity => self.weights.brand_affinity,
        }
    }
}

fn column(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        // Small integers: many ties and zeros.
        prop::collection::vec((0u8..4).prop_map(f64::from), n),
        // Continuous.
        prop::collection::vec(0.0f64..1000.0, n),
        // Mostly zero ("no evidence").
        prop::collection::vec(prop_oneof![3 => Just(0.0), 1 => 0.0f64..10.0], n),
        // Heavy-tailed.
        prop::collection::vec((-3.0f64..9.0).prop_map(f64::exp), n),
        // Constant.
        (0.0f64..5.0).prop_map(move |c| vec![c; n]),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (2usize..30, 1usize..8)
        .prop_flat_map(|(n, s)| {
            (
                prop::collection::vec(column(n), s),
                prop::collection::vec(0usize..5, s),
                prop::collection::vec(
                    prop_oneof![Just(0.0), Just(0.5), Just(1.0), Just(2.0), 0.1f64..3.0],
                    s,
                ),
                prop::collection::vec(prop_oneof![Just(0.0), 0.0f64..1.0], 5),
                prop::collection::vec(0u32..4, n),
                any::<bool>(),
            )
        })
        .prop_map(|(columns, fam, shares, w, communities, baseline_names)| {
            let mut families: Vec<Family> = fam.iter().map(|&f| FAMILIES[f]).collect();
            let baseline_names = baseline_names && columns.len() >= 3;
            if baseline_names {
                families[0] = Family::Reach;
                families[1] = Family::Reach;
                families[2] = Family::Resonance;
            }
            let mut weights = Weights {
                reach: w[0],
                resonance: w[1],
                relevance: w[2],
                trust: w[3],
                brand_affinity: w[4],
            };
            if w.iter().all(|&x| x == 0.0) {
                weights.reach = 1.0;
            }
            Case {
                columns,
                families,
                shares,
                weights,
                communities,
                baseline_names,
            }
        })
}

/// `#{k in rows : x_k < x_i} / (|rows| − 1)`; a group of one: 1 if > 0.
fn percentile(col: &[f64], rows: &[usize], i: usize) -> f64 {
    if rows.len() == 1 {
        return if col[i] > 0.0 { 1.0 } else { 0.0 };
    }
    let below = rows.iter().filter(|&&k| col[k] < col[i]).count();
    below as f64 / (rows.len() - 1) as f64
}

/// `1 − ln(1 + #{k in rows : x_k > x_i}) / ln |rows|`, 0 for the group
/// minimum; a group of one: 1 if > 0.
fn log_rank(col: &[f64], rows: &[usize], i: usize) -> f64 {
    if rows.len() == 1 {
        return if col[i] > 0.0 { 1.0 } else { 0.0 };
    }
    if !rows.iter().any(|&k| col[k] < col[i]) {
        return 0.0;
    }
    let above = rows.iter().filter(|&&k| col[k] > col[i]).count();
    1.0 - ((1 + above) as f64).ln() / (rows.len() as f64).ln()
}

fn scaled(scale: Scale, col: &[f64], rows: &[usize], i: usize) -> f64 {
    match scale {
        Scale::Percentile => percentile(col, rows, i),
        Scale::LogRank => log_rank(col, rows, i),
    }
}

fn scales() -> impl Strategy<Value = Scale> {
    prop_oneof![Just(Scale::LogRank), Just(Scale::Percentile)]
}

fn varies(col: &[f64]) -> bool {
    col.iter().any(|v| *v != col[0])
}

/// Effective weights per the module docs, written independently.
fn oracle_weights(case: &Case, shares: &[f64]) -> Vec<f64> {
    let s = case.columns.len();
    let informative: Vec<bool> = (0..s)
        .map(|j| shares[j] > 0.0 && varies(&case.columns[j]))
        .collect();
    let fam_share = |f: Family| -> f64 {
        (0..s)
            .filter(|&j| informative[j] && case.families[j] == f)
            .map(|j| shares[j])
            .sum()
    };
    let live: f64 = FAMILIES
        .iter()
        .filter(|&&f| fam_share(f) > 0.0)
        .map(|&f| case.family_weight(f))
        .sum();
    (0..s)
        .map(|j| {
            if !informative[j] || live == 0.0 {
                0.0
            } else {
                let f = case.families[j];
                case.family_weight(f) / live * shares[j] / fam_share(f)
            }
        })
        .collect()
}

fn pool_rows(n: usize) -> Vec<usize> {
    (0..n).collect()
}

fn run(case: &Case, options: &ScoreOptions) -> Scores {
    compute(
        &case.matrix(),
        &case.weights,
        options,
        Some(&case.communities),
    )
    .unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The whole contextual score against the brute-force oracle (pool
    /// percentiles, effective weights, 100 × Σ e p), and the explanations add
    /// up (contextual and baseline).
    #[test]
    fn scores_match_the_formulas_and_explanations_add_up(case in case(), scale in scales()) {
        let matrix = case.matrix();
        let scores = run(&case, &ScoreOptions { scale, ..ScoreOptions::default() });
        let n = case.n();
        let rows = pool_rows(n);
        let want_w = oracle_weights(&case, &case.shares);
        for (j, w) in scores.effective_weights.iter().enumerate() {
            prop_assert!(close(*w, want_w[j]), "weight {j}: {w} vs {}", want_w[j]);
        }
        for i in 0..n {
            let mut want = 0.0;
            for (j, col) in case.columns.iter().enumerate() {
                let p = scaled(scale, col, &rows, i);
                prop_assert!(close(scores.normalised[[i, j]], p), "p[{i},{j}]");
                want += 100.0 * want_w[j] * p;
            }
            prop_assert!(close(scores.contextual[i], want), "row {i}: {} vs {want}", scores.contextual[i]);
            prop_assert!((0.0..=100.0 + 1e-9).contains(&scores.contextual[i]));
            prop_assert!(scores.gates[i].is_none());

            let e = score::explain_contextual(&matrix, &scores, i);
            prop_assert_eq!(e.contributions.len(), case.columns.len());
            prop_assert_eq!(e.score, scores.contextual[i]);
            prop_assert!((e.total() - scores.contextual[i]).abs() < 1e-9);
            for (j, c) in e.contributions.iter().enumerate() {
                prop_assert_eq!(&c.signal, &matrix.signals[j].name);
                prop_assert_eq!(c.raw, case.columns[j][i]);
                prop_assert!(close(c.contribution, c.weight * c.normalised));
            }

            let b = score::explain_baseline(&matrix, &scores, i);
            prop_assert_eq!(b.score, scores.baseline[i]);
            prop_assert!((b.total() - scores.baseline[i]).abs() < 1e-9);
            prop_assert!((0.0..=100.0 + 1e-9).contains(&scores.baseline[i]));
            if case.baseline_names {
                // The baseline formula: 100/3 × Σ ln(1 + x) / ln(1 + max).
                let mut want_b = 0.0;
                for col in &case.columns[..3] {
                    let max = col.iter().fold(0.0f64, |m, v| m.max(*v));
                    if max > 0.0 {
                        want_b += 100.0 / 3.0 * col[i].max(0.0).ln_1p() / max.ln_1p();
                    }
                }
                prop_assert!(close(scores.baseline[i], want_b), "{} vs {want_b}", scores.baseline[i]);
                prop_assert_eq!(b.contributions.len(), 3);
            } else {
                prop_assert_eq!(scores.baseline[i], 0.0);
            }
        }
    }

    /// (a) Monotone: a row at least as good as another on every signal never
    /// scores lower (pool normalisation, and community normalisation within
    /// the same community), with no gate.
    #[test]
    fn a_dominating_row_never_scores_lower(
        case in case(),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
        min_size in 1usize..6,
    ) {
        let mut case = case;
        let n = case.n();
        let (a, b) = (a.index(n), b.index(n));
        prop_assume!(a != b);
        for col in &mut case.columns {
            col[a] = col[a].max(col[b]);
        }
        let pool = run(&case, &ScoreOptions::default());
        prop_assert!(
            pool.contextual[a] >= pool.contextual[b] - 1e-9,
            "{} < {}", pool.contextual[a], pool.contextual[b]
        );
        case.communities[a] = case.communities[b];
        let by_community = run(&case, &ScoreOptions {
            normalisation: Normalisation::Community { min_size },
            ..ScoreOptions::default()
        });
        prop_assert!(
            by_community.contextual[a] >= by_community.contextual[b] - 1e-9,
            "{} < {}", by_community.contextual[a], by_community.contextual[b]
        );
        // Strictly better on an informative signal: strictly higher score.
        let strictly = (0..case.columns.len()).any(|j| {
            pool.effective_weights[j] > 0.0 && case.columns[j][a] > case.columns[j][b]
        });
        if strictly {
            prop_assert!(pool.contextual[a] > pool.contextual[b]);
        }
    }

    /// (c) Effective weights sum to 1 when a weighted signal varies, and are
    /// all 0 (every score 0, with a note) when none does.
    #[test]
    fn effective_weights_sum_to_one(case in case()) {
        let scores = run(&case, &ScoreOptions::default());
        let total: f64 = scores.effective_weights.iter().sum();
        let live = (0..case.columns.len()).any(|j| {
            case.shares[j] > 0.0
                && varies(&case.columns[j])
                && case.family_weight(case.families[j]) > 0.0
        });
        prop_assert!(scores.effective_weights.iter().all(|w| *w >= 0.0));
        if live {
            prop_assert!((total - 1.0).abs() < 1e-9, "{total}");
        } else {
            prop_assert_eq!(total, 0.0);
            prop_assert!(scores.contextual.iter().all(|s| *s == 0.0));
            if !scores.notes.is_empty() {
                prop_assert!(scores.notes.iter().any(|n| n.contains("not weighted") || n.contains("every score is 0") || n.contains("goes to the other")));
            }
        }
    }

    /// (d) A constant column gets weight 0, percentile 0, and removing it
    /// changes no contextual score.
    #[test]
    fn a_constant_column_carries_no_weight(case in case(), k in any::<prop::sample::Index>(), c in 0.0f64..5.0) {
        let mut case = case;
        let s = case.columns.len();
        let k = k.index(s);
        let n = case.n();
        case.columns[k] = vec![c; n];
        case.shares[k] = case.shares[k].max(1.0);
        let with = run(&case, &ScoreOptions::default());
        prop_assert_eq!(with.effective_weights[k], 0.0);
        prop_assert!((0..n).all(|i| with.normalised[[i, k]] == 0.0));
        let name = &case.matrix().signals[k].name.clone();
        prop_assert!(with.notes.iter().any(|note| note.contains(name.as_str()) && note.contains("same value")), "{:?}", with.notes);
        if s > 1 {
            let mut without = case.clone();
            without.columns.remove(k);
            without.families.remove(k);
            without.shares.remove(k);
            without.baseline_names = false;
            let w = run(&without, &ScoreOptions::default());
            for i in 0..n {
                prop_assert!(close(with.contextual[i], w.contextual[i]), "{} vs {}", with.contextual[i], w.contextual[i]);
            }
        }
    }

    /// (e) Gates: accounts whose authenticity is below the gate, or whose
    /// relevance percentile is below the floor, score 0 with every
    /// contribution 0 and a note; the others keep their ungated score.
    #[test]
    fn gates_zero_the_score(
        case in case(),
        auth in prop::collection::vec(prop_oneof![Just(0.0), Just(0.5), Just(1.0), 0.0f64..1.0], 30),
        gate in 0.0f64..1.0,
        floor in 0.0f64..1.0,
    ) {
        let mut case = case;
        let n = case.n();
        case.columns.push(auth[..n].to_vec());
        case.families.push(Family::Trust);
        case.shares.push(1.0);
        let mut matrix = case.matrix();
        let last = matrix.signals.len() - 1;
        matrix.signals[last].name = "trust.authenticity".into();
        let free = compute(&matrix, &case.weights, &ScoreOptions::default(), None).unwrap();
        let options = ScoreOptions {
            authenticity_gate: gate,
            relevance_floor: floor,
            ..ScoreOptions::default()
        };
        let gated = compute(&matrix, &case.weights, &options, None).unwrap();
        prop_assert_eq!(&gated.effective_weights, &free.effective_weights);
        // Relevance percentile: share-weighted mean of the informative
        // relevance columns' percentiles.
        let rel_cols: Vec<usize> = (0..case.columns.len())
            .filter(|&j| case.families[j] == Family::Relevance && case.shares[j] > 0.0 && varies(&case.columns[j]))
            .collect();
        let rows = pool_rows(n);
        let relevance: Option<Vec<f64>> = if rel_cols.is_empty() {
            None
        } else {
            let total: f64 = rel_cols.iter().map(|&j| case.shares[j]).sum();
            Some((0..n).map(|i| rel_cols.iter().map(|&j| case.shares[j] * percentile(&case.columns[j], &rows, i)).sum::<f64>() / total).collect())
        };
        prop_assert_eq!(gated.relevance.is_some(), relevance.is_some());
        if relevance.is_none() && floor > 0.0 {
            prop_assert!(gated.notes.iter().any(|n| n.contains("relevance floor skipped")));
        }
        for i in 0..n {
            let by_auth = auth[i] < gate;
            let by_rel = relevance.as_ref().is_some_and(|r| r[i] < floor - 1e-12);
            let e = score::explain_contextual(&matrix, &gated, i);
            if by_auth {
                prop_assert!(matches!(gated.gates[i], Some(Gate::Authenticity { .. })), "{:?}", gated.gates[i]);
            }
            if by_auth || by_rel {
                prop_assert!(gated.gates[i].is_some());
                prop_assert_eq!(gated.contextual[i], 0.0);
                prop_assert!(e.contributions.iter().all(|c| c.contribution == 0.0));
                let noted = e.evidence.iter().any(|ev| matches!(ev, Evidence::Note { text } if text.contains("score set to 0")));
                prop_assert!(noted);
            } else if relevance.as_ref().is_none_or(|r| r[i] > floor + 1e-12) {
                prop_assert!(gated.gates[i].is_none());
                prop_assert_eq!(gated.contextual[i], free.contextual[i]);
                prop_assert!((e.total() - gated.contextual[i]).abs() < 1e-9);
            }
        }
    }

    /// (f) Community normalisation: percentiles within every community of at
    /// least `min_size` candidates.
    #[test]
    fn community_percentiles_are_computed_within_groups(case in case(), min_size in 1usize..8, scale in scales()) {
        let n = case.n();
        let scores = run(&case, &ScoreOptions {
            normalisation: Normalisation::Community { min_size },
            scale,
            ..ScoreOptions::default()
        });
        let mut groups: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, c) in case.communities.iter().enumerate() {
            groups.entry(*c).or_default().push(i);
        }
        for rows in groups.values().filter(|r| r.len() >= min_size.max(2)) {
            for &i in rows {
                for (j, col) in case.columns.iter().enumerate() {
                    let want = scaled(scale, col, rows, i);
                    prop_assert!(close(scores.normalised[[i, j]], want), "row {i} col {j}: {} vs {want}", scores.normalised[[i, j]]);
                }
            }
        }
        // Weights do not depend on the normalisation, and the score is
        // still Σ e × p.
        let pool = run(&case, &ScoreOptions::default());
        prop_assert_eq!(&scores.effective_weights, &pool.effective_weights);
        for i in 0..n {
            let want: f64 = (0..case.columns.len()).map(|j| 100.0 * scores.effective_weights[j] * scores.normalised[[i, j]]).sum();
            prop_assert!(close(scores.contextual[i], want));
        }
        // Wrong number of labels: an error.
        let short = compute(&case.matrix(), &case.weights, &ScoreOptions::default(), Some(&case.communities[1..]));
        prop_assert!(short.is_err());
    }

    /// (g) Per-signal weight overrides act as the signal's share; 0 removes
    /// the signal from the score.
    #[test]
    fn signal_weight_overrides(case in case(), k in any::<prop::sample::Index>(), w in prop_oneof![Just(0.0), 0.1f64..5.0]) {
        let s = case.columns.len();
        let k = k.index(s);
        let name = case.matrix().signals[k].name.clone();
        let options = ScoreOptions {
            signal_weights: BTreeMap::from([(name.clone(), w)]),
            ..ScoreOptions::default()
        };
        let overridden = run(&case, &options);
        let mut shares = case.shares.clone();
        shares[k] = w;
        let want = oracle_weights(&case, &shares);
        for (j, (got, want)) in overridden.effective_weights.iter().zip(&want).enumerate() {
            prop_assert!(close(*got, *want), "{j}: {got} vs {want}");
        }
        if w == 0.0 {
            prop_assert_eq!(overridden.effective_weights[k], 0.0);
            let m = case.matrix();
            for i in 0..case.n() {
                prop_assert_eq!(score::explain_contextual(&m, &overridden, i).contributions[k].contribution, 0.0);
            }
        }
        // Same as declaring that share on the signal itself.
        let mut declared = case.clone();
        declared.shares[k] = w;
        let d = run(&declared, &ScoreOptions::default());
        for i in 0..case.n() {
            prop_assert!(close(d.contextual[i], overridden.contextual[i]));
        }
    }
}

/// Small communities (below `min_size`) are normalised over the whole pool,
/// as `Normalisation::Community` documents ("else the pool").
#[test]
fn small_communities_use_the_pool() {
    // Communities: {0,1,2,3} (normalised alone with min_size 4), {4}, {5}.
    let values = [1.0, 2.0, 3.0, 4.0, 10.0, 0.5];
    let matrix = SignalMatrix {
        accounts: (0..6).map(NodeId).collect(),
        signals: vec![SignalInfo {
            name: "reach.x".into(),
            family: Family::Reach,
            description: String::new(),
            weight: 1.0,
        }],
        values: Array2::from_shape_vec((6, 1), values.to_vec()).unwrap(),
        columns: None,
    };
    let normalised = |matrix: &SignalMatrix, scale: Scale| {
        compute(
            matrix,
            &Weights {
                reach: 1.0,
                resonance: 0.0,
                relevance: 0.0,
                trust: 0.0,
                brand_affinity: 0.0,
            },
            &ScoreOptions {
                normalisation: Normalisation::Community { min_size: 4 },
                scale,
                ..ScoreOptions::default()
            },
            Some(&[0, 0, 0, 0, 1, 2]),
        )
        .unwrap()
        .normalised
    };
    let scores = normalised(&matrix, Scale::Percentile);
    // Row 4 (10.0) beats all 5 others of the pool; row 5 (0.5) beats none.
    assert_eq!(scores[[4, 0]], 1.0);
    assert_eq!(scores[[5, 0]], 0.0);
    // Row 0 (1.0) in its own community of 4 beats nobody there.
    assert_eq!(scores[[0, 0]], 0.0);
    // Pool percentile of a lone small-community account with 2.5 among 6
    // would be 2/5; a "rest" group of {4, 5} gives it 1 or 0 instead.
    let mut v = values.to_vec();
    v[4] = 2.5;
    let matrix = SignalMatrix {
        values: Array2::from_shape_vec((6, 1), v).unwrap(),
        ..matrix
    };
    let scores = normalised(&matrix, Scale::Percentile);
    assert!((scores[[4, 0]] - 0.6).abs() < 1e-12, "{}", scores[[4, 0]]);
    // Log-ranks against the pool too: 2.5 is beaten by 3 and 4, rank 3
    // of 6; 0.5 is the pool minimum.
    let scores = normalised(&matrix, Scale::LogRank);
    let want = 1.0 - 3f64.ln() / 6f64.ln();
    assert!((scores[[4, 0]] - want).abs() < 1e-12);
    assert_eq!(scores[[5, 0]], 0.0);
    // Within the community {1, 2, 3, 4}: 4 is first, 1 the minimum.
    assert_eq!(scores[[3, 0]], 1.0);
    assert_eq!(scores[[0, 0]], 0.0);
}

#[test]
fn invalid_weights_are_errors() {
    let matrix = SignalMatrix {
        accounts: vec![NodeId(0), NodeId(1)],
        signals: vec![SignalInfo {
            name: "reach.x".into(),
            family: Family::Reach,
            description: String::new(),
            weight: 1.0,
        }],
        values: Array2::from_shape_vec((2, 1), vec![1.0, 2.0]).unwrap(),
        columns: None,
    };
    let w = Weights {
        reach: 1.0,
        resonance: 0.0,
        relevance: 0.0,
        trust: 0.0,
        brand_affinity: 0.0,
    };
    let with = |name: &str, v: f64| ScoreOptions {
        signal_weights: BTreeMap::from([(name.to_string(), v)]),
        ..ScoreOptions::default()
    };
    let e = compute(&matrix, &w, &with("reach.nope", 1.0), None).unwrap_err();
    assert!(
        e.to_string().contains("reach.nope") && e.to_string().contains("not computed"),
        "{e}"
    );
    let e = compute(&matrix, &w, &with("reach.x", -1.0), None).unwrap_err();
    assert!(e.to_string().contains("reach.x"), "{e}");
    assert!(compute(&matrix, &w, &with("reach.x", f64::NAN), None).is_err());
    assert!(compute(&matrix, &w, &with("reach.x", f64::INFINITY), None).is_err());
    let zero = Weights { reach: 0.0, ..w };
    assert!(compute(&matrix, &zero, &ScoreOptions::default(), None).is_err());
    let negative = Weights { trust: -0.1, ..w };
    assert!(compute(&matrix, &negative, &ScoreOptions::default(), None).is_err());
    // The valid override works.
    let ok = compute(&matrix, &w, &with("reach.x", 2.0), None).unwrap();
    assert_eq!(ok.contextual, vec![0.0, 100.0]);
}

#[test]
fn same_scores_on_one_and_three_threads() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..32 {
        let case = case().new_tree(&mut runner).unwrap().current();
        let options = ScoreOptions {
            normalisation: Normalisation::Community { min_size: 2 },
            ..ScoreOptions::default()
        };
        let on = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| run(&case, &options))
        };
        let (a, b) = (on(1), on(3));
        assert_eq!(a.contextual, b.contextual);
        assert_eq!(a.baseline, b.baseline);
        assert_eq!(a.normalised, b.normalised);
        assert_eq!(a.effective_weights, b.effective_weights);
    }
}

#[test]
fn ranks_are_a_permutation_with_ties_by_id() {
    let scores = [5.0, 7.0, 5.0, 0.0, 7.0];
    let ids = ["e", "d", "c", "b", "a"];
    // 7.0: "a" (4) then "d" (1); 5.0: "c" (2) then "e" (0); then "b".
    assert_eq!(score::ranks(&scores, &ids), vec![4, 2, 3, 5, 1]);
    proptest!(|(values in prop::collection::vec((0u8..4).prop_map(f64::from), 1..40))| {
        let ids: Vec<usize> = (0..values.len()).rev().collect();
        let r = score::ranks(&values, &ids);
        let mut sorted = r.clone();
        sorted.sort_unstable();
        prop_assert_eq!(sorted, (1..=values.len() as u32).collect::<Vec<_>>());
        for a in 0..values.len() {
            for b in 0..values.len() {
                if values[a] > values[b] || (values[a] == values[b] && ids[a] < ids[b]) {
                    prop_assert!(r[a] < r[b]);
                }
            }
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The relevance-first rule of tag campaigns against its formula
    /// (`100 × R × (1 + λ·O) / (1 + λ)` over the effective weights and
    /// normalised values of the additive score), explanations adding up,
    /// monotone, and 0 without relevance whatever the other families.
    #[test]
    fn relevance_first_matches_its_formula_and_stays_monotone(
        case in case(),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
        blend in 0.0f64..2.0,
    ) {
        let options = ScoreOptions { relevance_first: Some(blend), ..ScoreOptions::default() };
        let additive = run(&case, &ScoreOptions::default());
        let first = run(&case, &options);
        let n = case.n();
        let e = &additive.effective_weights;
        let rel: Vec<bool> = case.families.iter().map(|f| *f == Family::Relevance).collect();
        let sum = |r: bool| (0..e.len()).filter(|&j| rel[j] == r).map(|j| e[j]).sum::<f64>();
        let (er, eo) = (sum(true), sum(false));
        prop_assert_eq!(first.relevance_first.is_some(), er > 0.0 && eo > 0.0);
        let matrix = case.matrix();
        for i in 0..n {
            let want = if er > 0.0 && eo > 0.0 {
                let mean = |r: bool, t: f64| (0..e.len()).filter(|&j| rel[j] == r)
                    .map(|j| e[j] * additive.normalised[[i, j]]).sum::<f64>() / t;
                let (rr, oo) = (mean(true, er), mean(false, eo));
                if additive.gates[i].is_some() { 0.0 } else { 100.0 * rr * (1.0 + blend * oo) / (1.0 + blend) }
            } else {
                additive.contextual[i]
            };
            prop_assert!(close(first.contextual[i], want), "row {i}: {} vs {want}", first.contextual[i]);
            prop_assert!(first.contextual[i] <= 100.0 + 1e-9);
            let x = score::explain_contextual(&matrix, &first, i);
            prop_assert!(close(x.total(), first.contextual[i]));
        }
        // Monotone: a row at least as good on every signal never scores lower.
        let mut case = case;
        let (a, b) = (a.index(n), b.index(n));
        prop_assume!(a != b);
        for col in &mut case.columns {
            col[a] = col[a].max(col[b]);
        }
        let s = run(&case, &options);
        prop_assert!(s.contextual[a] >= s.contextual[b] - 1e-9, "{} < {}", s.contextual[a], s.contextual[b]);
    }
}
