//! Keyness: the terms that set a target group's comments (detractors', a segment's, a period's) apart from
//! a reference group's.
//!
//! The unit is the comment: a comment mentions a term or it does not, because the words of one comment are
//! not independent draws (a customer who writes "refund" once is likely to write it again). Per term:
//!
//! - mention rates p_t = m_t/n_t and p_r = m_r/n_r (m comments mentioning it, n comments), in percent;
//! - their difference in points with Newcombe's hybrid score interval, and the Miettinen–Nurminen score
//!   test of p_t = p_r — the two-proportion comparison cem uses everywhere (`compare::two_proportions_score`,
//!   as statsmodels `test_proportions_2indep`);
//! - Benjamini–Hochberg q-values over the tested terms (those with at least `min_count` mentions in the
//!   two groups), or another `correction`;
//! - a display log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, eq. 16),
//!   the prior being the pooled counts as tidylo's empirical Bayes prior: with m = m_t + m_r and
//!   n = n_t + n_r, δ = ln((m_t + m)/(n_t − m_t + n − m)) − ln((m_r + m)/(n_r − m_r + n − m)). It shrinks
//!   rare terms' odds towards zero and never changes p or q.
//!
//! Groups with fewer than `min_n` comments are flagged `low_n` and not tested.
//!
//! For users of other tools, one parity statistic, on **occurrences** except `log_odds_z` (a = the term's
//! occurrences in the target, b in the reference, c = t − a, d = r − b with t, r the groups' total
//! occurrences, N = a+b+c+d, E = (a+b)(a+c)/N), each signed + when the target uses the term more than expected (a > E):
//!
//! - `chi2`: N(|ad − bc| − Nδ)² / ((a+b)(c+d)(a+c)(b+d)), with quanteda `textstat_keyness`'s default Yates
//!   correction δ = ½ when |ad − bc| ≥ N/2 and an expected count is under 5, else 0;
//! - `lr`: G² = 2 Σ O ln(O/E + 10⁻⁹) over the four cells after the same correction (each cell moved ½
//!   towards its expectation), as quanteda;
//! - `pmi`: ln(a/E + 10⁻⁹), as quanteda;
//! - `weighted_log_odds`: tidylo's `bind_log_odds` with the two groups as its sets — counts y = a + α with
//!   α = a + b, the group's n = Σ over its terms of (count + α), δ = ln(y/(n − y)) − ln(y_w/(Y − y_w)) with
//!   y_w the term's pseudo-count summed over the groups using it and Y over all, z = δ/√(1/y + 1/y_w);
//!   `None` for a term the target never uses (tidylo has no such row);
//! - `log_odds_z`: on **mentions**, the display log-odds' z (Monroe et al.'s "Fightin' Words" z, eqs. 18–20,
//!   as scattertext's `LogOddsRatioInformativeDirichletPrior`): δ/σ with σ² the sum of the reciprocals of
//!   the four pseudo-counts m_t + m, n_t − m_t + n − m, m_r + m, n_r − m_r + n − m (all four: a term most
//!   comments mention has few non-mentions, so Monroe's two-term approximation does not hold here).

use serde::{Deserialize, Serialize};

use super::count::Counted;
use super::tally::{side_by_side, TermTally};
use crate::error::{CemError, Result};
use crate::inference::adjust::{adjust_pvalues, Correction};
use crate::inference::dist::norm_sf;
use crate::order::argsort;
use crate::score::compare::{two_proportions_score, Side};

crate::vocabulary::vocabulary! {
    /// The extra statistic of a keyness table, for users coming from other tools (see the module's doc);
    /// p- and q-values always come from the score test on mentions.
    #[derive(Default)]
    pub enum KeynessStatistic as "statistic" {
        /// The score test's z on mention rates only (no extra column).
        #[default]
        Score = "score",
        /// Chi-squared on occurrences with quanteda's default Yates correction.
        Chi2 = "chi2",
        /// Likelihood-ratio G² on occurrences, as quanteda.
        Lr = "lr" | "g2",
        /// Pointwise mutual information of the term and the target, as quanteda.
        Pmi = "pmi",
        /// tidylo's weighted log odds (a z-score) on occurrences.
        WeightedLogOdds = "weighted_log_odds",
        /// The z of the display log-odds on mentions (Fightin' Words, as scattertext).
        LogOddsZ = "log_odds_z",
    }
}

/// What a keyness table is computed with; `Default`: 95%, Benjamini–Hochberg, min_count 5, min_n 30.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeynessOptions {
    /// Fewest mentions (target and reference together) for a term to be listed and tested.
    pub min_count: u64,
    /// Fewest comments in each group for the terms to be tested.
    pub min_n: u64,
    /// Confidence level of the differences' intervals.
    pub level: f64,
    /// Multiplicity correction across the tested terms.
    pub correction: Correction,
    /// The extra statistic.
    pub statistic: KeynessStatistic,
}

impl Default for KeynessOptions {
    fn default() -> Self {
        KeynessOptions {
            min_count: 5,
            min_n: 30,
            level: 0.95,
            correction: Correction::BenjaminiHochberg,
            statistic: KeynessStatistic::Score,
        }
    }
}

/// One term of a keyness table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeynessRow {
    /// The word or n-gram (words joined by a space).
    pub term: String,
    /// Target comments mentioning it.
    pub target_mentions: u64,
    /// Reference comments mentioning it.
    pub reference_mentions: u64,
    /// Its occurrences in the target.
    pub target_occurrences: u64,
    /// Its occurrences in the reference.
    pub reference_occurrences: u64,
    /// Share of target comments mentioning it, in percent.
    pub target_rate: f64,
    /// Share of reference comments mentioning it, in percent.
    pub reference_rate: f64,
    /// target_rate − reference_rate, in points.
    pub difference: f64,
    /// Lower bound of the difference's Newcombe interval.
    pub difference_lower: f64,
    /// Upper bound of the difference's Newcombe interval.
    pub difference_upper: f64,
    /// Display log-odds ratio with the informative Dirichlet prior (target over reference).
    pub log_odds: f64,
    /// The score test's z; `None` when a group is low n.
    pub statistic: Option<f64>,
    /// Its two-sided p-value.
    pub p_value: Option<f64>,
    /// The p-value adjusted across the tested terms (Benjamini–Hochberg by default).
    pub q_value: Option<f64>,
    /// 1 = strongest evidence (smallest q, then p, then largest |difference|, then term).
    pub rank: usize,
    /// `above`: the target mentions it more; `below`: less.
    pub side: Side,
    /// Chi-squared, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chi2: Option<f64>,
    /// Likelihood-ratio G², when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lr: Option<f64>,
    /// Pointwise mutual information, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pmi: Option<f64>,
    /// tidylo's weighted log odds, when asked for (none for a term the target never uses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted_log_odds: Option<f64>,
    /// The display log-odds' z, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_odds_z: Option<f64>,
}

/// A keyness table: the target and reference groups and their terms by rank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyness {
    /// The target group's label.
    pub target: String,
    /// The reference group's label (`rest`: every other comment).
    pub reference: String,
    /// Comments in the target.
    pub target_texts: u64,
    /// Comments in the reference.
    pub reference_texts: u64,
    /// Term occurrences in the target.
    pub target_tokens: u64,
    /// Term occurrences in the reference.
    pub reference_tokens: u64,
    /// A group has fewer than `min_n` comments: nothing is tested.
    pub low_n: bool,
    /// Terms tested.
    pub tested: usize,
    /// The extra statistic's name.
    pub statistic: KeynessStatistic,
    /// The terms with at least `min_count` mentions, by rank.
    pub terms: Vec<KeynessRow>,
}

/// The 2×2 table of a term's occurrences: (a, b, c, d) = (target, reference, rest of target, rest of reference).
fn cells(a: f64, b: f64, t: f64, r: f64) -> (f64, f64, f64, f64, f64, f64) {
    let (c, d) = (t - a, r - b);
    let n = a + b + c + d;
    (a, b, c, d, n, (a + b) * (a + c) / n)
}

/// quanteda's default Yates correction: ½ when |ad − bc| ≥ N/2 and an expected count is under 5.
fn yates(a: f64, b: f64, c: f64, d: f64, n: f64) -> f64 {
    let small = (a + b) * (a + c) / n < 5.0
        || (a + b) * (b + d) / n < 5.0
        || (a + c) * (c + d) / n < 5.0
        || (c + d) * (b + d) / n < 5.0;
    if (a * d - b * c).abs() >= n / 2.0 && small {
        0.5
    } else {
        0.0
    }
}

fn sign(a: f64, e: f64) -> f64 {
    if a > e {
        1.0
    } else {
        -1.0
    }
}

/// Signed chi-squared with quanteda's default correction.
pub(crate) fn chi2(a: f64, b: f64, t: f64, r: f64) -> f64 {
    let (a, b, c, d, n, e) = cells(a, b, t, r);
    let delta = yates(a, b, c, d, n);
    n * ((a * d - b * c).abs() - n * delta).powi(2) / ((a + b) * (c + d) * (a + c) * (b + d)) * sign(a, e)
}

/// Signed likelihood-ratio G² with quanteda's default correction.
pub(crate) fn lr(a: f64, b: f64, t: f64, r: f64) -> f64 {
    const EPS: f64 = 1e-9;
    let (a0, b0, c0, d0, n, e) = cells(a, b, t, r);
    let delta = yates(a0, b0, c0, d0, n);
    let s = if a0 * d0 - b0 * c0 > 0.0 { delta } else { -delta };
    let (a, b, c, d) = (a0 - s, b0 + s, c0 + s, d0 - s);
    let g = a * (a / ((a + b) * (a + c) / n) + EPS).ln()
        + b * (b / ((a + b) * (b + d) / n) + EPS).ln()
        + c * (c / ((a + c) * (c + d) / n) + EPS).ln()
        + d * (d / ((b + d) * (c + d) / n) + EPS).ln();
    2.0 * g * sign(a0, e)
}

/// Pointwise mutual information as quanteda.
pub(crate) fn pmi(a: f64, b: f64, t: f64, r: f64) -> f64 {
    let (a, _, _, _, _, e) = cells(a, b, t, r);
    (a / e + 1e-9).ln()
}

/// Monroe et al.'s log-odds ratio with the pooled counts as prior (see the module's doc): counts `mt`, `mr`
/// out of `nt`, `nr`. A term every comment of both groups mentions has no odds on either side (∞/∞): the
/// groups do not differ in it, so 0.
pub(crate) fn log_odds(mt: f64, mr: f64, nt: f64, nr: f64) -> f64 {
    let (m, n) = (mt + mr, nt + nr);
    if m == n {
        return 0.0;
    }
    ((mt + m) / (nt - mt + n - m)).ln() - ((mr + m) / (nr - mr + n - m)).ln()
}

/// [`log_odds`] over its standard error (see the module's doc); 0 where it is 0 for every comment
/// mentioning the term.
pub(crate) fn log_odds_z(mt: f64, mr: f64, nt: f64, nr: f64) -> f64 {
    let (m, n) = (mt + mr, nt + nr);
    if m == n {
        return 0.0;
    }
    let variance = 1.0 / (mt + m) + 1.0 / (nt - mt + n - m) + 1.0 / (mr + m) + 1.0 / (nr - mr + n - m);
    log_odds(mt, mr, nt, nr) / variance.sqrt()
}

/// tidylo's sums over the two groups' tidy rows (a row per group and term used there).
struct Tidylo {
    n_target: f64,
    all: f64,
}

impl Tidylo {
    /// From the groups' totals of [`side_by_side`]: Σ over a group's terms of count + the term's count in
    /// both groups.
    fn new([n_target, n_reference]: [f64; 2]) -> Tidylo {
        Tidylo { n_target, all: n_target + n_reference }
    }

    /// The target row's weighted log odds of a term used `a` times in the target and `b` in the reference.
    fn z(&self, a: f64, b: f64) -> Option<f64> {
        if a == 0.0 {
            return None;
        }
        let alpha = a + b;
        let y = a + alpha;
        let y_w = y + if b > 0.0 { b + alpha } else { 0.0 };
        let delta = (y / (self.n_target - y)).ln() - (y_w / (self.all - y_w)).ln();
        Some(delta / (1.0 / y + 1.0 / y_w).sqrt())
    }
}

/// The keyness table of `target` against `reference` (two tallies counted under the same options), with
/// the groups' labels for the result.
///
/// # Errors
/// `incompatible` for tallies counted under different options; `empty` when a group has no comment;
/// `invalid_parameter` for a level outside (0, 1) or `min_count` 0.
///
/// ```
/// use cem_core::{keyness, KeynessOptions, TermTally, TokenOptions};
/// let tally = |texts: &[&str]| {
///     let mut t = TermTally::new(TokenOptions::default()).unwrap();
///     t.update(&texts.iter().map(|s| Some(*s)).collect::<Vec<_>>(), None).unwrap();
///     t
/// };
/// let detractors = tally(&["on hold for ages", "refund now", "on hold again", "on hold"]);
/// let promoters = tally(&["easy app", "so easy", "quick refund", "great"]);
/// let opts = KeynessOptions { min_count: 2, min_n: 1, ..Default::default() };
/// let k = keyness(&detractors, &promoters, ("detractor", "promoter"), &opts)?;
/// assert_eq!(k.terms[0].term, "hold");
/// assert_eq!((k.terms[0].target_rate, k.terms[0].reference_rate), (75.0, 0.0));
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn keyness(
    target: &TermTally,
    reference: &TermTally,
    labels: (&str, &str),
    options: &KeynessOptions,
) -> Result<Keyness> {
    if target.options() != reference.options() {
        let mut copy = target.clone();
        copy.merge(reference)?; // the incompatible error, worded once
    }
    let (texts, tokens) = ([target.texts(), reference.texts()], [target.tokens(), reference.tokens()]);
    check(texts, labels, options)?;
    let (listed, sums) = side_by_side(target, reference, options.min_count);
    table(texts, tokens, listed, sums, labels, options)
}

/// The keyness table of two groups counted side by side (the operations' path): as [`keyness`].
pub(crate) fn keyness_of(counted: &Counted, labels: (&str, &str), options: &KeynessOptions) -> Result<Keyness> {
    check(counted.texts(), labels, options)?;
    let (listed, sums) = counted.listed(options.min_count);
    table(counted.texts(), counted.tokens(), listed, sums, labels, options)
}

fn check(texts: [u64; 2], labels: (&str, &str), options: &KeynessOptions) -> Result<()> {
    crate::inference::interval::check_level(options.level)?;
    if options.min_count == 0 {
        return Err(CemError::param("min_count", 0, "a term needs at least 1 mention to be listed"));
    }
    for (label, texts) in [labels.0, labels.1].into_iter().zip(texts) {
        if texts == 0 {
            return Err(CemError::Empty { what: format!("the group {label:?} (its comments)") });
        }
    }
    Ok(())
}

/// The table of the listed terms (in term order, so ties rank by term) of groups of `texts` comments
/// and `tokens` term occurrences, with tidylo's group `sums`.
fn table(
    texts: [u64; 2],
    tokens: [u64; 2],
    listed: Vec<(String, [u64; 4])>,
    sums: [f64; 2],
    labels: (&str, &str),
    options: &KeynessOptions,
) -> Result<Keyness> {
    let (nt, nr) = (texts[0] as f64, texts[1] as f64);
    let (tt, tr) = (tokens[0] as f64, tokens[1] as f64);
    let low_n = texts[0] < options.min_n || texts[1] < options.min_n;
    let tidylo = (options.statistic == KeynessStatistic::WeightedLogOdds).then(|| Tidylo::new(sums));
    // Each row's statistics, on several threads for many terms (a row costs about what counting 256
    // answers does); the terms are moved in afterwards.
    let row = |&(_, [mt, mr, ot, or]): &(String, [u64; 4])| {
        let (mt_f, mr_f, ot_f, or_f) = (mt as f64, mr as f64, ot as f64, or as f64);
        let (lo, hi, z) = two_proportions_score(mt_f, nt, mr_f, nr, options.level);
        let difference = 100.0 * (mt_f / nt - mr_f / nr);
        let extra = |s: KeynessStatistic, f: &dyn Fn() -> Option<f64>| (options.statistic == s).then(f).flatten();
        KeynessRow {
            term: String::new(),
            target_mentions: mt,
            reference_mentions: mr,
            target_occurrences: ot,
            reference_occurrences: or,
            target_rate: 100.0 * mt_f / nt,
            reference_rate: 100.0 * mr_f / nr,
            difference,
            difference_lower: 100.0 * lo.max(-1.0),
            difference_upper: 100.0 * hi.min(1.0),
            log_odds: log_odds(mt_f, mr_f, nt, nr),
            statistic: (!low_n).then_some(z),
            p_value: (!low_n).then(|| 2.0 * norm_sf(z.abs())).map(|p| p.min(1.0)),
            q_value: None,
            rank: 0,
            side: Side::of(difference),
            chi2: extra(KeynessStatistic::Chi2, &|| Some(chi2(ot_f, or_f, tt, tr))),
            lr: extra(KeynessStatistic::Lr, &|| Some(lr(ot_f, or_f, tt, tr))),
            pmi: extra(KeynessStatistic::Pmi, &|| Some(pmi(ot_f, or_f, tt, tr))),
            weighted_log_odds: tidylo.as_ref().and_then(|t| t.z(ot_f, or_f)),
            log_odds_z: extra(KeynessStatistic::LogOddsZ, &|| Some(log_odds_z(mt_f, mr_f, nt, nr))),
        }
    };
    let threads = crate::parallel::threads(listed.len().saturating_mul(256), 1);
    let parts = crate::parallel::split(listed.len(), threads, |r| listed[r].iter().map(row).collect::<Vec<_>>());
    let mut rows: Vec<KeynessRow> = parts.into_iter().flatten().collect();
    for (row, (term, _)) in rows.iter_mut().zip(listed) {
        row.term = term;
    }
    let tested = if low_n { 0 } else { rows.len() };
    if tested > 0 {
        let p: Vec<f64> = rows.iter().map(|r| r.p_value.unwrap_or(1.0)).collect();
        for (row, q) in rows.iter_mut().zip(adjust_pvalues(&p, options.correction)?) {
            row.q_value = Some(q);
        }
    }
    // Rank: smallest q, then p, then largest |difference|; ties keep term order (a stable sort).
    let keys: Vec<(f64, f64, f64)> =
        rows.iter().map(|r| (r.q_value.unwrap_or(2.0), r.p_value.unwrap_or(2.0), -r.difference.abs())).collect();
    let order = argsort(rows.len(), &|a, b| keys[a].partial_cmp(&keys[b]).unwrap_or(std::cmp::Ordering::Equal));
    let mut ranked: Vec<Option<KeynessRow>> = rows.into_iter().map(Some).collect();
    let terms: Vec<KeynessRow> = order
        .iter()
        .enumerate()
        .filter_map(|(rank, &i)| ranked[i].take().map(|r| KeynessRow { rank: rank + 1, ..r }))
        .collect();
    Ok(Keyness {
        target: labels.0.to_string(),
        reference: labels.1.to_string(),
        target_texts: texts[0],
        reference_texts: texts[1],
        target_tokens: tokens[0],
        reference_tokens: tokens[1],
        low_n,
        tested,
        statistic: options.statistic,
        terms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quanteda_chi2_matches_its_own_test_table() {
        // quanteda's test: d1 = "b b b b b b b a a a", d2 = "a a a a a a a b b", which it checks against
        // R's chisq.test(correct = TRUE): feature "a" is [[3, 7], [7, 2]], an expected count is 4.74 < 5, so
        // Yates applies: 19 (|3·2 − 7·7| − 19/2)² / (10·9·10·9) = 2.632438…, signed − (3 < E = 5.26).
        let a = chi2(3.0, 7.0, 10.0, 9.0);
        assert!((a + 21_322.75 / 8100.0).abs() < 1e-12, "{a}");
    }

    #[test]
    fn the_display_log_odds_shrinks_towards_zero_and_keeps_its_sign() {
        let raw = ((30.0 / 70.0) / (5.0 / 95.0_f64)).ln();
        let shrunk = log_odds(30.0, 5.0, 100.0, 100.0);
        assert!(shrunk > 0.0 && shrunk < raw);
        assert!((log_odds(5.0, 30.0, 100.0, 100.0) + shrunk).abs() < 1e-12);
    }

    #[test]
    fn a_term_every_comment_mentions_has_log_odds_and_z_zero_not_nan() {
        assert_eq!((log_odds(40.0, 25.0, 40.0, 25.0), log_odds_z(40.0, 25.0, 40.0, 25.0)), (0.0, 0.0));
        // Every target comment but not every reference one: finite, and the target's side.
        let (d, z) = (log_odds(40.0, 20.0, 40.0, 25.0), log_odds_z(40.0, 20.0, 40.0, 25.0));
        assert!(d.is_finite() && d > 0.0 && z.is_finite() && z > 0.0, "{d} {z}");
    }
}
