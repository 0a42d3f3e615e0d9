//! Criterion benches of cem-core live in `benches/core.rs`; run `make bench`.

/// The keyness bench's comments and NPS answers: comment i has 10 + (x mod 21) words, word j drawn with
/// P(rank k) ∝ 1/(k + 2.7) from the vocabulary, a comma after every 7th word and a full stop at the end.
pub fn corpus(n: usize) -> (Vec<String>, Vec<u8>) {
    let common = "the i to and a was it my of for on not very is in they with this but have no that \
                  service app refund hold easy call staff helpful slow great never again support price"
        .split(' ');
    let mut vocab: Vec<String> = common.map(str::to_string).collect();
    let syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vi", "so", "pe", "du", "ba", "gor"];
    for k in 0..20_000usize {
        let (a, b, c) = (k % 12, (k / 12) % 12, (k / 144) % 12);
        vocab.push(format!("{}{}{}{}", syllables[a], syllables[b], syllables[c], k / 1728));
    }
    let weights: Vec<f64> = (0..vocab.len()).map(|k| 1.0 / (k as f64 + 2.7)).collect();
    let total: f64 = weights.iter().sum();
    let mut cdf = Vec::with_capacity(weights.len());
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cdf.push(acc);
    }
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut texts = Vec::with_capacity(n);
    let mut answers = Vec::with_capacity(n);
    for _ in 0..n {
        let words = 10 + (next() % 21) as usize;
        let mut s = String::with_capacity(words * 7);
        for j in 0..words {
            let u = (next() >> 11) as f64 / (1u64 << 53) as f64;
            let k = cdf.partition_point(|&c| c < u).min(vocab.len() - 1);
            if j > 0 {
                s.push_str(if j % 7 == 0 { ", " } else { " " });
            }
            s.push_str(&vocab[k]);
        }
        s.push('.');
        texts.push(s);
        answers.push((next() % 11) as u8);
    }
    (texts, answers)
}
