//! The NPS credible interval: quantiles of P − D for (D, M, P) ~ Dirichlet(a_d, a_m, a_p).
//!
//! One-dimensional structure: with S = D + P ~ Beta(a_d + a_p, a_m) and, independently of S,
//! B = P / S ~ Beta(a_p, a_d), the net is X = S·(2B − 1). So, with c = |x|,
//!
//! F(x) = P(X ≤ x) = ∫_c^1 f_S(s) · I_{(s+x)/(2s)}(a_p, a_d) ds + [x > 0]·P(S < x),
//! f(x) = ∫_c^1 f_S(s) · f_B((s+x)/(2s)) / (2s) ds,
//!
//! (for s < |x| the event X ≤ x is certain when x > 0 and impossible when x < 0). The integrand is
//! smooth inside (0, 1) and may be singular only at the ends of [c, 1]: panels cut at S's posterior
//! mass are taken by Gauss–Legendre inside and by tanh-sinh at the ends. Each quantile is found by
//! Newton's method on F from a Cornish–Fisher start, safeguarded by a bracket.
//!
//! Limit: a posterior shape below ≈ 0.06 (a prior that small on a category nobody chose) puts mass
//! closer to an end than tanh-sinh reaches in double precision, and the interval loses digits.

use statrs::function::gamma::ln_gamma;

/// The Beta(a, b) distribution with its normaliser computed once, for many evaluations.
struct BetaDist {
    a: f64,
    b: f64,
    ln_beta: f64,
}

impl BetaDist {
    fn new(a: f64, b: f64) -> Self {
        BetaDist { a, b, ln_beta: ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b) }
    }

    /// (I_x(a, b), density at x); `y` is 1 − x, passed in so that it keeps its digits near x = 1.
    fn cdf_pdf(&self, x: f64, y: f64) -> (f64, f64) {
        if x <= 0.0 {
            return (0.0, 0.0);
        }
        if y <= 0.0 {
            return (1.0, 0.0);
        }
        let (lx, ly) = (x.ln(), y.ln());
        let pdf = ((self.a - 1.0) * lx + (self.b - 1.0) * ly - self.ln_beta).exp();
        let front = (self.a * lx + self.b * ly - self.ln_beta).exp();
        // The continued fraction converges fast below the mean; above it, take the other tail.
        let cdf = if x < (self.a + 1.0) / (self.a + self.b + 2.0) {
            front * beta_cf(self.a, self.b, x) / self.a
        } else {
            1.0 - front * beta_cf(self.b, self.a, y) / self.b
        };
        (cdf, pdf)
    }

    /// Density at x, given y = 1 − x.
    fn pdf(&self, x: f64, y: f64) -> f64 {
        if x <= 0.0 || y <= 0.0 {
            return 0.0;
        }
        ((self.a - 1.0) * x.ln() + (self.b - 1.0) * y.ln() - self.ln_beta).exp()
    }

    /// (I_x(a, b), 1 − I_x(a, b)), each tail computed directly so that neither loses digits.
    fn tails(&self, x: f64) -> (f64, f64) {
        let y = 1.0 - x;
        if x <= 0.0 {
            return (0.0, 1.0);
        }
        if y <= 0.0 {
            return (1.0, 0.0);
        }
        let front = (self.a * x.ln() + self.b * y.ln() - self.ln_beta).exp();
        if x < (self.a + 1.0) / (self.a + self.b + 2.0) {
            let lower = front * beta_cf(self.a, self.b, x) / self.a;
            (lower, 1.0 - lower)
        } else {
            let upper = front * beta_cf(self.b, self.a, y) / self.b;
            (1.0 - upper, upper)
        }
    }
}

/// Continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes §6.4).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - qab * x / qap);
    let mut h = d;
    // About √max(a, b) terms are needed; the cap only bounds the work for absurd shapes.
    for m in 1..100_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / guard(1.0 + aa * d);
        c = guard(1.0 + aa / c);
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / guard(1.0 + aa * d);
        c = guard(1.0 + aa / c);
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// Nodes in [−1, 1] and weights of a quadrature rule.
struct Rule {
    /// Gauss–Legendre: (node, weight), for smooth integrands.
    gauss: Vec<(f64, f64)>,
    /// Tanh-sinh: (distance of the node from the nearer end as a fraction of the half-width, weight),
    /// each used at both ends; the centre node has weight π/2·H.
    tanh_sinh: Vec<(f64, f64)>,
}

const GAUSS_POINTS: usize = 20;
const TS_STEP: f64 = 1.0 / 6.0;
// t up to 6: nodes as close to an end as 1e-290 of the panel. A density with a shape below one, as
// (1 − s)^(a − 1), puts mass ε^a within ε of its end; stopping at 1e-27 (t ≈ 3.7) lost ≈ 1e-6 of it at
// a = 0.2. From here the loss is below 1e-16 for shapes down to ≈ 0.06.
const TS_STEPS: i32 = 36;

impl Rule {
    fn new() -> Self {
        let n = GAUSS_POINTS;
        let gauss = (0..n)
            .map(|i| {
                // Newton's method on the Legendre polynomial from the Chebyshev-like first guess.
                let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (n as f64 + 0.5)).cos();
                let (mut dp, mut close) = (1.0, false);
                for _ in 0..20 {
                    let (mut p0, mut p1) = (1.0, x);
                    for k in 2..=n {
                        let k = k as f64;
                        (p0, p1) = (p1, ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k);
                    }
                    dp = n as f64 * (x * p1 - p0) / (x * x - 1.0);
                    let step = p1 / dp;
                    x -= step;
                    // Quadratic convergence: one step after a step this small, x is exact to
                    // rounding (and dp, for the weight, is taken there).
                    if close {
                        break;
                    }
                    close = step.abs() < 1e-10;
                }
                (x, 2.0 / ((1.0 - x * x) * dp * dp))
            })
            .collect();
        let half_pi = std::f64::consts::FRAC_PI_2;
        let tanh_sinh = (1..=TS_STEPS)
            .map(|k| {
                let t = f64::from(k) * TS_STEP;
                let u = half_pi * t.sinh();
                // 1 − tanh(u), without cancellation.
                let gap = 2.0 / ((2.0 * u).exp() + 1.0);
                (gap, TS_STEP * half_pi * t.cosh() / u.cosh().powi(2))
            })
            .collect();
        Rule { gauss, tanh_sinh }
    }

    /// ∫_a^b f by Gauss–Legendre (`ends` false) or tanh-sinh (`ends` true: a possibly singular end).
    /// f is called with (x − a, b − x), exact even where x itself cannot tell them from 0.
    fn integrate(&self, a: f64, b: f64, ends: bool, f: &mut impl FnMut(f64, f64) -> [f64; 3]) -> [f64; 3] {
        let r = (b - a) / 2.0;
        if r <= 0.0 {
            return [0.0; 3];
        }
        let mut sum = [0.0; 3];
        let mut add = |from_a: f64, from_b: f64, w: f64| {
            let v = f(from_a, from_b);
            if v.iter().all(|v| v.is_finite()) {
                for (s, v) in sum.iter_mut().zip(v) {
                    *s += w * v;
                }
            }
        };
        if ends {
            add(r, r, TS_STEP * std::f64::consts::FRAC_PI_2);
            for &(gap, w) in &self.tanh_sinh {
                let d = r * gap;
                if d > 0.0 {
                    add(d, 2.0 * r - d, w);
                    add(2.0 * r - d, d, w);
                }
            }
        } else {
            for &(x, w) in &self.gauss {
                add(r * (1.0 + x), r * (1.0 - x), w);
            }
        }
        sum.map(|s| s * r)
    }
}

/// Posterior of P − D, ready for many evaluations of its distribution function.
struct NetPosterior {
    s: BetaDist,
    b: BetaDist,
    /// Panel ends in [0, 1] around the mass of S, and whether S's mass in each panel matters.
    cuts: Vec<f64>,
    live: Vec<bool>,
    rule: Rule,
    /// Both of B's shapes at least 2, so that f′ is a proper integral and Halley's method can use it.
    smooth: bool,
}

impl NetPosterior {
    fn new(ad: f64, am: f64, ap: f64) -> Self {
        let s = BetaDist::new(ad + ap, am);
        let mean = s.a / (s.a + s.b);
        let sd = (mean * (1.0 - mean) / (s.a + s.b + 1.0)).sqrt();
        let mut cuts: Vec<f64> = [-12.0, -6.0, -3.0, 0.0, 3.0, 6.0, 12.0]
            .iter()
            .map(|k| mean + k * sd)
            .filter(|t| *t > 0.0 && *t < 1.0)
            .collect();
        cuts.insert(0, 0.0);
        cuts.push(1.0);
        cuts.dedup();
        // A panel holding less than 1e-17 of S's mass cannot move F by more than that: skip it.
        let tails: Vec<(f64, f64)> = cuts.iter().map(|&t| s.tails(t)).collect();
        let live = tails.windows(2).map(|w| (w[1].0 - w[0].0).min(w[0].1 - w[1].1) > 1e-17).collect();
        NetPosterior { s, b: BetaDist::new(ap, ad), cuts, live, rule: Rule::new(), smooth: ap >= 2.0 && ad >= 2.0 }
    }

    /// [F(x), f(x), f′(x)]; f′ only where B's shapes are both at least 2 (else 0): below that its
    /// integrand is singular at s = |x| and not worth trusting.
    fn cdf_pdf(&self, x: f64) -> [f64; 3] {
        let c = x.abs();
        let mut total = [0.0; 3];
        for (i, w) in self.cuts.windows(2).enumerate() {
            if !self.live[i] || w[1] <= c {
                continue;
            }
            let (lo, hi) = (w[0].max(c), w[1]);
            // s − |x| and 1 − s from the distances to the panel's ends: near a singular end these
            // are what matter, and s alone has lost them.
            let mut integrand = |from_lo: f64, from_hi: f64| {
                let s = lo + from_lo;
                let (above_c, below_1) = ((lo - c) + from_lo, (1.0 - hi) + from_hi);
                // z = (s + x)/(2s) and 1 − z = (s − x)/(2s); one of s ± x is s − |x|.
                let (plus, minus) = if x < 0.0 { (above_c, s + c) } else { (s + c, above_c) };
                let ps = self.s.pdf(s, below_1);
                if ps < 1e-30 {
                    // Far outside S's mass (tanh-sinh nodes crowd the ends): nothing to add.
                    return [0.0; 3];
                }
                let (z, y) = (plus / (2.0 * s), minus / (2.0 * s));
                let (cb, pb) = self.b.cdf_pdf(z, y);
                // d/dx f_B(z) = f_B(z)·((a − 1)/z − (b − 1)/(1 − z))·dz/dx, dz/dx = 1/(2s).
                let slope = if self.smooth { pb * ((self.b.a - 1.0) / z - (self.b.b - 1.0) / y) } else { 0.0 };
                [ps * cb, ps * pb / (2.0 * s), ps * slope / (4.0 * s * s)]
            };
            // Tanh-sinh where an end may be singular: 0, 1 and |x|.
            let ends = lo == c || w[0] == 0.0 || hi == 1.0;
            for (t, v) in total.iter_mut().zip(self.rule.integrate(lo, hi, ends, &mut integrand)) {
                *t += v;
            }
        }
        if x > 0.0 {
            total[0] += self.s.tails(x).0;
        }
        total
    }

    /// The x with F(x) = q.
    /// The x with F(x) = q; `sd` is X's standard deviation, the scale of a step.
    fn quantile(&self, q: f64, start: f64, sd: f64) -> f64 {
        let (mut lo, mut hi) = (-1.0_f64, 1.0_f64);
        let mut x = if start > -1.0 && start < 1.0 { start } else { 0.0 };
        for _ in 0..100 {
            let [f, d, slope] = self.cdf_pdf(x);
            let err = f - q;
            if err <= 0.0 {
                lo = lo.max(x);
            } else {
                hi = hi.min(x);
            }
            let step = err / d;
            if d > 0.0 && self.smooth && step.abs() <= 1e-4 * sd {
                // Halley's step converges cubically: from within 1e-4 sd, the error left is of
                // the order of (1e-4)³ sd.
                return (x - 2.0 * err * d / (2.0 * d * d - err * slope)).clamp(lo, hi);
            }
            if d > 0.0 && step.abs() <= 1e-9 {
                // Quadratic convergence: the error after a step this small is below 1e-15.
                return (x - step).clamp(lo, hi);
            }
            let newton = x - step;
            // Newton while it stays inside the bracket; bisection otherwise.
            x = if d > 0.0 && newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
            if hi - lo <= 1e-15 {
                break;
            }
        }
        x
    }
}

/// Equal-tailed credible interval of P − D for (D, M, P) ~ Dirichlet(a_d, a_m, a_p), at `level`.
pub(crate) fn dirichlet_credible(ad: f64, am: f64, ap: f64, level: f64) -> (f64, f64) {
    let post = NetPosterior::new(ad, am, ap);
    // Cornish–Fisher start from the exact mean, variance and skewness of X = P − D (first three
    // moments of the Dirichlet).
    let a0 = ad + am + ap;
    let (pd, pp) = (ad / a0, ap / a0);
    let mean = pp - pd;
    let var = (pp + pd - mean * mean) / (a0 + 1.0);
    // Raw moments E[X²], E[X³] from the Dirichlet's moments E[Π π_i^k_i] = Π a_i^(k_i) / a0^(Σk),
    // rising factorials; then the third central moment.
    let e2 = (ap * (ap + 1.0) + ad * (ad + 1.0) - 2.0 * ad * ap) / (a0 * (a0 + 1.0));
    let e3 = (ap * (ap + 1.0) * (ap + 2.0) - ad * (ad + 1.0) * (ad + 2.0) - 3.0 * ap * (ap + 1.0) * ad
        + 3.0 * ad * (ad + 1.0) * ap)
        / (a0 * (a0 + 1.0) * (a0 + 2.0));
    let third = e3 - 3.0 * mean * e2 + 2.0 * mean.powi(3);
    let sd = var.max(0.0).sqrt();
    let skew = if sd > 0.0 { third / sd.powi(3) } else { 0.0 };
    let start = |p: f64| {
        let z = crate::inference::dist::norm_ppf(p);
        mean + sd * (z + skew * (z * z - 1.0) / 6.0)
    };
    let alpha = 1.0 - level;
    let (ql, qh) = (alpha / 2.0, 1.0 - alpha / 2.0);
    (post.quantile(ql, start(ql), sd), post.quantile(qh, start(qh), sd))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against scipy (`dirichlet_interval` of conformance/generate.py: adaptive quad and brentq), over
    /// flat, Jeffreys (shapes below one: singular densities), skewed, large and narrow posteriors.
    #[test]
    fn matches_scipy() {
        let cases = [
            (1.0, 1.0, 1.0, 0.95, -0.7763932022500505, 0.7763932022500498),
            (0.5, 0.5, 0.5, 0.95, -0.9302282502961089, 0.9302282502961033),
            (0.5, 0.5, 20.5, 0.95, 0.7398034138606333, 0.9982532263510485),
            (20.5, 0.5, 0.5, 0.9, -0.9964606580559987, -0.7894109986707207),
            (4.0, 3.0, 6.0, 0.5, -0.0029885054273914254, 0.31754953829801486),
            (3.5, 0.5, 7.5, 0.99, -0.37119722116507836, 0.8664598396583062),
            (1.0, 16.0, 1.0, 0.95, -0.16156611126077106, 0.1615661112607708),
            (21.0, 1.0, 1.0, 0.999, -0.997897410403726, -0.37182909643782874),
            (2001.0, 3001.0, 5001.0, 0.95, 0.2845620994027315, 0.31517230429111004),
            (8.0, 10.0, 12.0, 1e-6, 0.13546317851502193, 0.13546354504334684),
            (20001.0, 30001.0, 50001.0, 0.95, 0.29514604671686945, 0.3048273834585143),
            (200001.0, 300001.0, 500001.0, 0.95, 0.2984678933565936, 0.3015294495589613),
            (3.0, 1.0, 1.0, 0.95, -0.9041373590465572, 0.3312596950235787),
            (0.5, 0.5, 3.5, 0.8, 0.26593258567457145, 0.9579648187876225),
            // S = D + P ~ Beta(53, 0.2): most of its mass within 1e-10 of 1.
            (50.0, 0.2, 3.0, 0.9, -0.9656365436136417, -0.7642247434767472),
        ];
        for (ad, am, ap, level, lo, hi) in cases {
            let got = dirichlet_credible(ad, am, ap, level);
            assert!((got.0 - lo).abs() < 1e-10 && (got.1 - hi).abs() < 1e-10, "{ad} {am} {ap} {level}: {got:?}");
        }
    }
}
