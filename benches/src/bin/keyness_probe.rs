//! Times keyness on the bench corpus (a profiling aid, not a bench): `keyness_probe [comments]`, printing
//! wall and CPU seconds (the process's user + system time, from /proc/self/stat).
use cem_core::*;
use std::time::Instant;

fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap().split_whitespace().collect();
    (fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap()) / 100.0
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let (texts, answers) = cem_benches::corpus(n);
    let comments: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
    for _ in 0..3 {
        let (t, c) = (Instant::now(), cpu());
        let k = operations::keyness_by_answer(&comments, &answers, "{}").unwrap();
        println!(
            "{n} comments: {:.2} s wall, {:.2} s CPU, {} terms",
            t.elapsed().as_secs_f64(),
            cpu() - c,
            k.terms.len()
        );
    }
    let (t, c) = (Instant::now(), cpu());
    let mut tally = TermTally::new(TokenOptions::default()).unwrap();
    tally.update(&comments, None).unwrap();
    println!("one tally: {:.2} s wall, {:.2} s CPU, {} terms", t.elapsed().as_secs_f64(), cpu() - c, tally.len());
}
