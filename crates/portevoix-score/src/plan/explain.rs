//! Why each person was chosen, in words: what they add, what they share
//! with the people chosen before, where they stand in `discover`, and what
//! they cost.

use super::PlannedPick;
use portevoix_graph::kernels::influence_max::SelectionRule;

/// A number for people: no decimals from 100 up, one below.
fn amount(x: f64) -> String {
    if x.abs() >= 100.0 {
        let s = format!("{:.0}", x);
        // Thousands separators for readability.
        let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        format!("{sign}{out}")
    } else {
        format!("{x:.1}")
    }
}

/// The explanation of `pick`: `one_hop` is the size of its one-hop
/// audience in the influence view, `audience` the target audience's size.
pub(super) fn explain(
    pick: &PlannedPick,
    one_hop: usize,
    audience: usize,
    rule: SelectionRule,
) -> String {
    let mut text = match rule {
        SelectionRule::BestSingle => format!(
            "the single affordable account of largest reach, which beats the cost-ratio greedy: reaches {} of the {} audience members",
            amount(pick.solo_reach),
            amount(audience as f64)
        ),
        _ if pick.pick == 1 => format!(
            "largest expected reach{}: {} of the {} audience members",
            if rule == SelectionRule::CostRatioGreedy {
                " per unit of cost"
            } else {
                ""
            },
            amount(pick.solo_reach),
            amount(audience as f64)
        ),
        _ => {
            let share = if pick.solo_reach > 0.0 {
                100.0 * pick.overlap / pick.solo_reach
            } else {
                0.0
            };
            let mut t = format!(
                "adds {} audience members not reached by the {} chosen before{} (reaches {} alone; {} of them, {share:.0}%, already reached",
                amount(pick.marginal_gain),
                pick.pick - 1,
                if rule == SelectionRule::CostRatioGreedy {
                    format!(
                        ", {} per unit of cost",
                        amount(pick.marginal_gain / pick.cost)
                    )
                } else {
                    String::new()
                },
                amount(pick.solo_reach),
                amount(pick.overlap),
            );
            if let Some((id, shared)) = &pick.most_overlap_with {
                t.push_str(&format!("; most shared with {id}: {}", amount(*shared)));
            }
            t.push(')');
            t
        }
    };
    text.push_str(&format!(
        "; {} accounts in one hop; contextual score {:.1}, rank {} in discover; tier {}; cost {}",
        one_hop,
        pick.contextual_score,
        pick.rank,
        pick.tier.name(),
        pick.cost
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::amount;

    #[test]
    fn amounts_read_like_numbers() {
        assert_eq!(amount(1234567.4), "1,234,567");
        assert_eq!(amount(999.6), "1,000");
        assert_eq!(amount(12.34), "12.3");
        assert_eq!(amount(-2500.0), "-2,500");
    }
}
