//! The `cem` command on arbitrary CSV text, with and without segments, trends and weights: a table or
//! a message, never a panic.
#![no_main]
use cem_cli::{run, Cli};
use clap::Parser;
use libfuzzer_sys::fuzz_target;

const ARGS: [&[&str]; 6] = [
    &["cem", "nps", "-", "--answer", "a"],
    &["cem", "nps", "-", "--answer", "a", "--segment", "s"],
    &["cem", "csat", "-", "--answer", "a", "--segment", "s", "--missing", "skip", "--format", "csv"],
    &["cem", "ces", "-", "--answer", "a", "--trend", "d", "--format", "json"],
    &["cem", "nps", "-", "--answer", "a", "--segment", "s", "--weight", "w", "--against", "overall"],
    &["cem", "mean", "-", "--answer", "a", "--scale", "1..7", "--segment", "s", "--against", "segment=x"],
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, csv)) = data.split_first() else { return };
    let cli = Cli::try_parse_from(ARGS[first as usize % ARGS.len()]).unwrap();
    if let Err(f) = run(&cli, "fuzz.csv", csv) {
        assert!(!f.0.is_empty());
    }
});
