//! Metrics: rules from a tally to a number with its uncertainty — NPS, CSAT, CES, boxes and means.
//!
//! Units follow what practitioners report: net scores in points (−100..100), proportions in percent
//! (0..100), means in scale units; standard errors and intervals in the same unit.
//!
//! Weighted tallies: shares are weighted, the effective n is Kish's (Σw)²/Σw², the standard error is the
//! linearised (Taylor) one, Σ w²(y − ȳ)² / (Σw)², and intervals are computed from effective counts
//! (weighted share × effective n), which reduce to the plain counts when every weight is equal.

use serde::{Deserialize, Serialize};

use crate::error::{CemError, Result};
use crate::inference::interval::{self, Family, IntervalOptions, Method};
use crate::score::scale::Scale;
use crate::score::tally::Tally;

crate::vocabulary::vocabulary! {
    /// Which way is better for a metric.
    pub enum Direction as "direction" {
        /// Higher values are better (NPS, CSAT, CES 2.0).
        HigherIsBetter = "higher_is_better",
        /// Lower values are better (CES 1.0: lower effort).
        LowerIsBetter = "lower_is_better",
    }
}

crate::vocabulary::vocabulary! {
    /// The kinds of metric, as options name them (`metric="csat"`) and as [`Metric`]'s JSON `kind`.
    pub enum MetricKind as "metric" {
        /// Net Promoter Score.
        Nps = "nps",
        /// CSAT (% satisfied).
        Csat = "csat",
        /// Customer Effort Score.
        Ces = "ces",
        /// % at or above a threshold.
        TopBox = "top_box",
        /// % at or below a threshold.
        BottomBox = "bottom_box",
        /// % top box − % bottom box.
        NetBox = "net_box",
        /// Mean answer.
        Mean = "mean",
    }
}

/// A rule from a tally to a number.
///
/// ```
/// use cem_core::{IntervalOptions, Metric, Scale, Tally};
/// let t = Tally::from_counts(Scale::CSAT, &[5, 5, 10, 40, 40]).unwrap();
/// let e = Metric::csat(Scale::CSAT, None).unwrap().estimate(&t, &IntervalOptions::default()).unwrap();
/// assert_eq!(e.value, 80.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "MetricFields")]
pub enum Metric {
    /// Net Promoter Score on 0–10: % promoters (9–10) − % detractors (0–6), in points.
    Nps,
    /// CSAT: % of answers at or above `threshold` (top-2-box, 4–5 on 1–5, by default).
    Csat {
        /// Lowest satisfied answer.
        threshold: i32,
    },
    /// Customer Effort Score: mean answer. Version 2 (1–7 agreement that it was easy; higher is easier)
    /// or version 1 (1–5 effort; lower is easier).
    Ces {
        /// 1 or 2.
        version: u8,
    },
    /// % of answers at or above `threshold`.
    TopBox {
        /// Lowest answer in the box.
        threshold: i32,
    },
    /// % of answers at or below `threshold`.
    BottomBox {
        /// Highest answer in the box.
        threshold: i32,
    },
    /// % at or above `top` minus % at or below `bottom`, in points (NPS is `top` 9, `bottom` 6 on 0–10).
    NetBox {
        /// Lowest answer of the top box.
        top: i32,
        /// Highest answer of the bottom box.
        bottom: i32,
    },
    /// Mean answer, in scale units.
    Mean,
}

/// What an estimate is made of, beyond its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged, from = "BreakdownFields")]
pub enum Breakdown {
    /// Net scores: the three groups (for a generic net box: bottom box, middle, top box).
    Net {
        /// Answers in the bottom box (NPS 0–6).
        detractors: u64,
        /// Answers between the boxes (NPS 7–8).
        passives: u64,
        /// Answers in the top box (NPS 9–10).
        promoters: u64,
        /// Weighted % detractors.
        detractor_share: f64,
        /// Weighted % passives.
        passive_share: f64,
        /// Weighted % promoters.
        promoter_share: f64,
    },
    /// Proportions: answers in and out of the box.
    Proportion {
        /// Answers in the box (for CSAT: satisfied).
        in_box: u64,
        /// Answers outside the box.
        out_of_box: u64,
    },
    /// Means: spread, and for CES the % who found it easy.
    Mean {
        /// Sample standard deviation (weighted; n−1 on the effective n); `None` for a single answer.
        standard_deviation: Option<f64>,
        /// CES only: % agreeing it was easy (5–7 on CES 2.0) or low effort (1–2 on CES 1.0).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        easy_share: Option<f64>,
    },
}

// Metric and Breakdown are read through flat records. serde's derived readers for an internally tagged
// or untagged enum buffer the whole object first and cost ≈ 15 KB of the .wasm; these read one pass.

/// Metric's JSON as one record: `kind` and whichever parameters it has.
#[derive(Deserialize)]
struct MetricFields {
    kind: MetricKind,
    threshold: Option<i32>,
    version: Option<u8>,
    top: Option<i32>,
    bottom: Option<i32>,
}

impl TryFrom<MetricFields> for Metric {
    type Error = String;
    fn try_from(f: MetricFields) -> std::result::Result<Metric, String> {
        let need = |v: Option<i32>, name: &str| v.ok_or_else(|| format!("missing field `{name}`"));
        Ok(match f.kind {
            MetricKind::Nps => Metric::Nps,
            MetricKind::Csat => Metric::Csat { threshold: need(f.threshold, "threshold")? },
            MetricKind::Ces => Metric::Ces { version: f.version.ok_or("missing field `version`")? },
            MetricKind::TopBox => Metric::TopBox { threshold: need(f.threshold, "threshold")? },
            MetricKind::BottomBox => Metric::BottomBox { threshold: need(f.threshold, "threshold")? },
            MetricKind::NetBox => Metric::NetBox { top: need(f.top, "top")?, bottom: need(f.bottom, "bottom")? },
            MetricKind::Mean => Metric::Mean,
        })
    }
}

/// Breakdown's JSON as one record; the variant is the first whose fields are all there (as untagged).
#[derive(Deserialize)]
struct BreakdownFields {
    detractors: Option<u64>,
    passives: Option<u64>,
    promoters: Option<u64>,
    detractor_share: Option<f64>,
    passive_share: Option<f64>,
    promoter_share: Option<f64>,
    in_box: Option<u64>,
    out_of_box: Option<u64>,
    standard_deviation: Option<f64>,
    easy_share: Option<f64>,
}

impl From<BreakdownFields> for Breakdown {
    fn from(f: BreakdownFields) -> Breakdown {
        let net = (f.detractors, f.passives, f.promoters, f.detractor_share, f.passive_share, f.promoter_share);
        match (net, f.in_box, f.out_of_box) {
            ((Some(detractors), Some(passives), Some(promoters), Some(ds), Some(ps), Some(pr)), _, _) => {
                Breakdown::Net {
                    detractors,
                    passives,
                    promoters,
                    detractor_share: ds,
                    passive_share: ps,
                    promoter_share: pr,
                }
            }
            (_, Some(in_box), Some(out_of_box)) => Breakdown::Proportion { in_box, out_of_box },
            _ => Breakdown::Mean { standard_deviation: f.standard_deviation, easy_share: f.easy_share },
        }
    }
}

/// A confidence (or credible) interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound, in the metric's unit.
    pub lower: f64,
    /// Upper bound, in the metric's unit.
    pub upper: f64,
    /// Confidence level.
    pub level: f64,
    /// How it was computed.
    pub method: Method,
}

/// A metric's value with its uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Which metric.
    pub metric: Metric,
    /// Which way is better.
    pub direction: Direction,
    /// The point estimate (points, percent or scale units).
    pub value: f64,
    /// Answers counted.
    pub n: u64,
    /// Kish effective n (n when unweighted).
    pub effective_n: f64,
    /// Missing answers skipped.
    pub skipped: u64,
    /// Linearised standard error; `None` where it is undefined (a mean of one answer).
    pub standard_error: Option<f64>,
    /// The interval.
    pub interval: Interval,
    /// The parts behind the value.
    pub breakdown: Breakdown,
    /// The scale of the answers.
    pub scale: Scale,
}

impl Metric {
    /// CSAT on `scale` with satisfied answers from `threshold` up; by default the top two points.
    ///
    /// # Errors
    /// `invalid_parameter` if the threshold is not a point of the scale.
    ///
    /// ```
    /// use cem_core::{Metric, Scale};
    /// assert_eq!(Metric::csat(Scale::CSAT, None).unwrap(), Metric::Csat { threshold: 4 });
    /// ```
    pub fn csat(scale: Scale, threshold: Option<i32>) -> Result<Metric> {
        let threshold = threshold.unwrap_or(scale.max() - 1);
        scale.check_point("threshold", threshold)?;
        Ok(Metric::Csat { threshold })
    }

    /// The name of the metric as in JSON (`nps`, `csat`, …).
    ///
    /// ```
    /// assert_eq!(cem_core::Metric::Nps.name(), "nps");
    /// ```
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// The metric's kind, without its parameters.
    ///
    /// ```
    /// assert_eq!(cem_core::Metric::Csat { threshold: 4 }.kind(), cem_core::MetricKind::Csat);
    /// ```
    pub fn kind(&self) -> MetricKind {
        match self {
            Metric::Nps => MetricKind::Nps,
            Metric::Csat { .. } => MetricKind::Csat,
            Metric::Ces { .. } => MetricKind::Ces,
            Metric::TopBox { .. } => MetricKind::TopBox,
            Metric::BottomBox { .. } => MetricKind::BottomBox,
            Metric::NetBox { .. } => MetricKind::NetBox,
            Metric::Mean => MetricKind::Mean,
        }
    }

    /// The metric's family, which decides its interval methods and tests.
    ///
    /// ```
    /// use cem_core::{Family, Metric};
    /// assert_eq!(Metric::Ces { version: 2 }.family(), Family::Mean);
    /// ```
    pub fn family(&self) -> Family {
        match self {
            Metric::Nps | Metric::NetBox { .. } => Family::Net,
            Metric::Csat { .. } | Metric::TopBox { .. } | Metric::BottomBox { .. } => Family::Proportion,
            Metric::Ces { .. } | Metric::Mean => Family::Mean,
        }
    }

    /// Which way is better.
    ///
    /// ```
    /// use cem_core::{Direction, Metric};
    /// assert_eq!(Metric::Ces { version: 1 }.direction(), Direction::LowerIsBetter);
    /// ```
    pub fn direction(&self) -> Direction {
        match self {
            Metric::Ces { version: 1 } => Direction::LowerIsBetter,
            _ => Direction::HigherIsBetter,
        }
    }

    /// The scale this metric requires, if it fixes one (NPS 0–10, CES 2.0 1–7, CES 1.0 1–5).
    ///
    /// ```
    /// use cem_core::{Metric, Scale};
    /// assert_eq!(Metric::Nps.required_scale(), Some(Scale::NPS));
    /// ```
    pub fn required_scale(&self) -> Option<Scale> {
        match self {
            Metric::Nps => Some(Scale::NPS),
            Metric::Ces { version: 1 } => Some(Scale::CES_V1),
            Metric::Ces { .. } => Some(Scale::CES),
            _ => None,
        }
    }

    /// Checks the metric fits answers on `scale`.
    ///
    /// # Errors
    /// `invalid_parameter` for a threshold off the scale, a CES version other than 1 or 2, a net box whose
    /// boxes overlap; `incompatible` for NPS or CES on another scale.
    ///
    /// ```
    /// use cem_core::{Metric, Scale};
    /// assert!(Metric::TopBox { threshold: 9 }.check(Scale::CSAT).is_err());
    /// ```
    pub fn check(&self, scale: Scale) -> Result<()> {
        if let Metric::Ces { version } = self {
            if !matches!(version, 1 | 2) {
                return Err(CemError::param("version", version, "CES version is 1 (1–5 effort) or 2 (1–7 ease)"));
            }
        }
        if let Some(required) = self.required_scale() {
            if required != scale {
                return Err(CemError::Incompatible {
                    reason: format!(
                        "{} needs answers on {}..={}, but these are on {}..={}",
                        self.name(),
                        required.min(),
                        required.max(),
                        scale.min(),
                        scale.max()
                    ),
                });
            }
        }
        match *self {
            Metric::Csat { threshold } | Metric::TopBox { threshold } | Metric::BottomBox { threshold } => {
                scale.check_point("threshold", threshold)?;
            }
            Metric::NetBox { top, bottom } => {
                scale.check_point("top", top)?;
                scale.check_point("bottom", bottom)?;
                if bottom >= top {
                    return Err(CemError::param("bottom", bottom, "the bottom box must end below the top box"));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The estimate of this metric from `tally`, with an interval by `opts`.
    ///
    /// # Errors
    /// `empty` for a tally with no answers (or zero total weight); `invalid_parameter` for a bad level,
    /// a method that does not apply to the metric, or bad bootstrap/prior options; those of [`Metric::check`].
    ///
    /// ```
    /// use cem_core::{IntervalOptions, Metric, Scale, Tally};
    /// // 50 promoters, 30 passives, 20 detractors: NPS 30.
    /// let mut counts = [0u64; 11];
    /// counts[10] = 50; counts[8] = 30; counts[0] = 20;
    /// let e = Metric::Nps.estimate(&Tally::from_counts(Scale::NPS, &counts).unwrap(), &IntervalOptions::default()).unwrap();
    /// assert!((e.value - 30.0).abs() < 1e-12);
    /// assert!(e.interval.lower < 30.0 && 30.0 < e.interval.upper);
    /// ```
    pub fn estimate(&self, tally: &Tally, opts: &IntervalOptions) -> Result<Estimate> {
        let scale = tally.scale();
        self.check(scale)?;
        let method = opts.resolve(self.family())?;
        let w = self.weigh(tally)?;
        if method == Method::Bootstrap {
            interval::check_bootstrap_cost(w.n_eff, opts.resamples)?;
        }
        let part = match self.family() {
            Family::Net => self.net_part(&w, opts, method),
            Family::Proportion => self.proportion_part(&w, tally.n(), opts.level, method),
            Family::Mean => self.mean_part(&w, opts, method),
        };
        Ok(Estimate {
            metric: *self,
            direction: self.direction(),
            value: part.value,
            n: tally.n(),
            effective_n: w.n_eff,
            skipped: tally.skipped(),
            standard_error: part.standard_error,
            interval: Interval { lower: part.lower, upper: part.upper, level: opts.level, method },
            breakdown: part.breakdown,
            scale,
        })
    }

    /// The tally's weights, scores, weighted mean score and its linearised variance.
    ///
    /// # Errors
    /// `empty` for a tally with no answers, zero total weight or no effective n.
    fn weigh<'t>(&self, tally: &'t Tally) -> Result<Weighed<'t>> {
        let scale = tally.scale();
        let sums = tally.weight_sums();
        let squares = tally.weight_sq_sums();
        let total: f64 = sums.iter().sum();
        let n_eff = tally.effective_n();
        if tally.n() == 0 || !(total > 0.0) || !(n_eff > 0.0) {
            return Err(CemError::Empty { what: "the tally".into() });
        }
        // Score each point y_k; every family's value is the weighted mean of its scores.
        let scores: Vec<f64> = (0..scale.points()).map(|k| self.score(scale.value(k))).collect();
        let mean: f64 = sums.iter().zip(&scores).map(|(w, y)| w / total * y).sum();
        // Linearised variance Σ w²(y − ȳ)² / (Σw)², written per point.
        let lin_var: f64 =
            squares.iter().zip(&scores).map(|(q, y)| q / total * ((y - mean) * (y - mean) / total)).sum();
        Ok(Weighed { scale, counts: tally.counts(), sums, total, n_eff, scores, mean, lin_var })
    }

    /// Net scores (NPS, net box): % top − % bottom in points, the interval from the effective counts of
    /// the three groups.
    fn net_part(&self, w: &Weighed<'_>, opts: &IntervalOptions, method: Method) -> Part {
        // Detractors, passives, promoters: categories 0, 1, 2 of the metric's one rule (`Metric::category`).
        let in_category = |code: u8| move |v: f64| self.category(v as i32) == Some(code);
        let ((det, d), (pas, m), (pro, p)) =
            (w.share(in_category(0)), w.share(in_category(1)), w.share(in_category(2)));
        let (lo, hi) = interval::net([d * w.n_eff, m * w.n_eff, p * w.n_eff], opts, method);
        Part {
            value: 100.0 * (p - d),
            standard_error: Some(100.0 * w.lin_var.sqrt()),
            lower: 100.0 * lo,
            upper: 100.0 * hi,
            breakdown: Breakdown::Net {
                detractors: det,
                passives: pas,
                promoters: pro,
                detractor_share: 100.0 * d,
                passive_share: 100.0 * m,
                promoter_share: 100.0 * p,
            },
        }
    }

    /// Proportions (CSAT, boxes): % in the box, the interval from the effective count in it.
    fn proportion_part(&self, w: &Weighed<'_>, n: u64, level: f64, method: Method) -> Part {
        let (hits, p) = w.share(|v| self.category(v as i32) == Some(self.counted_category()));
        let (lo, hi) = interval::proportion(p * w.n_eff, w.n_eff, level, method);
        Part {
            value: 100.0 * p,
            standard_error: Some(100.0 * w.lin_var.sqrt()),
            lower: 100.0 * lo,
            upper: 100.0 * hi,
            breakdown: Breakdown::Proportion { in_box: hits, out_of_box: n - hits },
        }
    }

    /// Means (CES, mean): the weighted mean with a t or bootstrap interval; for CES the % easy.
    fn mean_part(&self, w: &Weighed<'_>, opts: &IntervalOptions, method: Method) -> Part {
        let (scale, n_eff, value) = (w.scale, w.n_eff, w.mean);
        // n/(n−1) on the effective n; undefined (no SD, no SE) for a single effective answer.
        let correction = if n_eff > 1.0 { Some(n_eff / (n_eff - 1.0)) } else { None };
        let spread: f64 = w.sums.iter().zip(&w.scores).map(|(s, y)| s / w.total * (y - value) * (y - value)).sum();
        let sd = correction.map(|c| (c * spread).sqrt());
        let se = correction.map(|c| (c * w.lin_var).sqrt());
        let (lower, upper) = match method {
            Method::Bootstrap => crate::inference::resample::percentile_interval(
                &w.sums,
                &w.scores,
                interval::bootstrap_draws(n_eff),
                opts.resamples,
                opts.seed,
                opts.level,
            ),
            _ => {
                let range = (scale.min() as f64, scale.max() as f64);
                interval::mean_t(value, sd.unwrap_or(0.0), n_eff, opts.level, range)
            }
        };
        let easy_share = match self {
            Metric::Ces { .. } => Some(100.0 * w.share(|v| self.category(v as i32) == Some(self.counted_category())).1),
            _ => None,
        };
        Part {
            value,
            standard_error: se,
            lower,
            upper,
            breakdown: Breakdown::Mean { standard_deviation: sd, easy_share },
        }
    }

    /// The score of one answer, by its category ([`Metric::category`]): +1/0/−1 for nets, 1/0 for boxes,
    /// the answer itself for means.
    pub(crate) fn score(&self, v: f64) -> f64 {
        let category = self.category(v as i32);
        match self.family() {
            Family::Net => category.map_or(0.0, |c| f64::from(c) - 1.0),
            Family::Proportion => f64::from(u8::from(category == Some(self.counted_category()))),
            Family::Mean => v,
        }
    }
}

/// A tally as every family's estimate reads it (see [`Metric::estimate`]).
struct Weighed<'t> {
    scale: Scale,
    /// Answers per point.
    counts: &'t [u64],
    /// Summed weights per point (the counts when unweighted).
    sums: Vec<f64>,
    /// Σw.
    total: f64,
    /// Kish effective n.
    n_eff: f64,
    /// The metric's score of each point.
    scores: Vec<f64>,
    /// The weighted mean score: the value of every family, before its unit.
    mean: f64,
    /// Linearised variance of the mean score.
    lin_var: f64,
}

impl Weighed<'_> {
    /// Answers at the points `pred` accepts, and their weighted share of all answers.
    fn share(&self, pred: impl Fn(f64) -> bool) -> (u64, f64) {
        let mut c = 0u64;
        let mut w = 0.0;
        for k in 0..self.scale.points() {
            if pred(self.scale.value(k)) {
                c = c.saturating_add(self.counts[k]);
                w += self.sums[k];
            }
        }
        (c, w / self.total)
    }
}

/// One family's share of an estimate: its value, standard error, interval bounds and breakdown.
struct Part {
    value: f64,
    standard_error: Option<f64>,
    lower: f64,
    upper: f64,
    breakdown: Breakdown,
}

impl Estimate {
    /// Effective counts behind a net estimate: (detractors, passives, promoters) as weighted share × effective n.
    pub(crate) fn net_counts(&self) -> Option<[f64; 3]> {
        match self.breakdown {
            Breakdown::Net { detractor_share, passive_share, promoter_share, .. } => {
                let f = self.effective_n / 100.0;
                Some([detractor_share * f, passive_share * f, promoter_share * f])
            }
            _ => None,
        }
    }

    /// The interval as a pair `(lower, upper)`.
    ///
    /// ```
    /// use cem_core::{IntervalOptions, Metric, Scale, Tally};
    /// let t = Tally::from_counts(Scale::CSAT, &[0, 0, 0, 5, 5]).unwrap();
    /// let e = Metric::csat(Scale::CSAT, None).unwrap().estimate(&t, &IntervalOptions::default()).unwrap();
    /// assert_eq!(e.confidence_interval().1, 100.0);
    /// ```
    pub fn confidence_interval(&self) -> (f64, f64) {
        (self.interval.lower, self.interval.upper)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inference::interval::IntervalOptions;
    use crate::score::scale::Scale;
    use crate::score::tally::Tally;

    #[test]
    fn estimates_of_every_metric_round_trip_through_json() {
        let cases = [
            (Metric::Nps, Scale::NPS),
            (Metric::Csat { threshold: 4 }, Scale::CSAT),
            (Metric::Ces { version: 2 }, Scale::CES),
            (Metric::Ces { version: 1 }, Scale::CES_V1),
            (Metric::TopBox { threshold: 6 }, Scale::CES),
            (Metric::BottomBox { threshold: 2 }, Scale::CSAT),
            (Metric::NetBox { top: 5, bottom: 3 }, Scale::CES),
            (Metric::Mean, Scale::CSAT),
        ];
        for (metric, scale) in cases {
            let counts: Vec<u64> = (1..=scale.points() as u64).collect();
            let e = metric.estimate(&Tally::from_counts(scale, &counts).unwrap(), &IntervalOptions::default()).unwrap();
            let text = serde_json::to_string(&e).unwrap();
            assert_eq!(serde_json::from_str::<Estimate>(&text).unwrap(), e, "{text}");
        }
        // A mean of one answer has no standard deviation: `null` reads back as the same breakdown.
        let one =
            Metric::Mean.estimate(&Tally::from_counts(Scale::CSAT, &[0, 0, 1, 0, 0]).unwrap(), &Default::default());
        let one = one.unwrap();
        assert_eq!(one.breakdown, Breakdown::Mean { standard_deviation: None, easy_share: None });
        assert_eq!(serde_json::from_str::<Estimate>(&serde_json::to_string(&one).unwrap()).unwrap(), one);
    }

    #[test]
    fn metric_json_names_what_is_wrong() {
        let err = |json: &str| serde_json::from_str::<Metric>(json).unwrap_err().to_string();
        assert!(err(r#"{"kind": "csat"}"#).contains("missing field `threshold`"));
        assert!(err(r#"{"kind": "net_box", "top": 9}"#).contains("missing field `bottom`"));
        assert!(err(r#"{"kind": "ces"}"#).contains("missing field `version`"));
        assert!(err(r#"{"kind": "nsp"}"#).contains("unknown metric \"nsp\": use one of nps, csat"));
        assert!(err(r#"{"threshold": 4}"#).contains("missing field `kind`"));
        assert_eq!(
            serde_json::from_str::<Metric>(r#"{"kind": "top_box", "threshold": 6}"#).unwrap(),
            Metric::TopBox { threshold: 6 }
        );
    }
}
