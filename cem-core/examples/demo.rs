//! Scores the bundled sample survey (examples/survey.csv): NPS, CSAT and CES with 95% intervals.
//!
//! Run: cargo run --release -p cem-core --example demo

use cem_core::{IntervalOptions, Metric, Missing, Scale, Tally};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/survey.csv");
    let text = std::fs::read_to_string(path)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().ok_or("empty file")?.split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).ok_or(format!("no column {name}"));
    let (nps, csat, ces) = (column("nps")?, column("csat")?, column("ces")?);
    // Blank cells are missing answers (CSAT was not asked of everyone).
    let read = |i: usize| -> Vec<f64> {
        text.lines().skip(1).map(|l| l.split(',').nth(i).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)).collect()
    };
    let opts = IntervalOptions::default();
    let scores = [
        ("NPS", Metric::Nps, Scale::NPS, read(nps)),
        ("CSAT %", Metric::csat(Scale::CSAT, None)?, Scale::CSAT, read(csat)),
        ("CES 2.0", Metric::Ces { version: 2 }, Scale::CES, read(ces)),
    ];
    println!("{:<8} {:>8} {:>20} {:>7} {:>8}  method", "metric", "value", "95% interval", "n", "skipped");
    for (name, metric, scale, answers) in scores {
        let tally = Tally::from_answers(scale, &answers, None, Missing::Skip)?;
        let e = metric.estimate(&tally, &opts)?;
        let interval = format!("[{:.2}, {:.2}]", e.interval.lower, e.interval.upper);
        println!("{name:<8} {:>8.2} {interval:>20} {:>7} {:>8}  {}", e.value, e.n, e.skipped, e.interval.method);
    }
    Ok(())
}
