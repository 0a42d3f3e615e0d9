//! `cem`: scores and segment benchmarks from a CSV file of survey answers, or the file back with each
//! answer's category (`cem classify`); see the library for how.

use std::io::{Read, Write};
use std::process::ExitCode;

use cem_cli::{classify, run, shown, Cli, Failure};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let input: Result<(&str, Box<dyn Read>), Failure> = if cli.file == "-" {
        Ok(("<stdin>", Box::new(std::io::stdin().lock())))
    } else {
        std::fs::File::open(&cli.file)
            .map(|f| (cli.file.as_str(), Box::new(f) as Box<dyn Read>))
            .map_err(|e| Failure(format!("{}: {e}", cli.file)))
    };
    let result = input.and_then(|(name, input)| match cli.metric.as_str() {
        // Streams: the rows go out as they are read.
        "classify" => classify(&cli, name, input, std::io::stdout().lock()).map(|()| String::new()),
        _ => run(&cli, name, input),
    });
    match result {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(out.as_bytes()).is_err() {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        // A reader that stops early (`cem classify … | head`) is not a failure of cem's.
        Err(Failure(msg)) if msg.ends_with("Broken pipe (os error 32)") => ExitCode::SUCCESS,
        // The message may quote the data (a column name, a value): control characters escaped.
        Err(Failure(msg)) => {
            eprintln!("cem: {}", shown(&msg));
            ExitCode::from(1)
        }
    }
}
