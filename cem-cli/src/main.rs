//! `cem`: scores and segment benchmarks from a CSV file of survey answers (see the library for how).

use std::io::Write;
use std::process::ExitCode;

use cem_cli::{run, Cli, Failure};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = if cli.file == "-" {
        run(&cli, "<stdin>", std::io::stdin().lock())
    } else {
        std::fs::File::open(&cli.file)
            .map_err(|e| Failure(format!("{}: {e}", cli.file)))
            .and_then(|f| run(&cli, &cli.file, f))
    };
    match result {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(out.as_bytes()).is_err() {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(Failure(msg)) => {
            eprintln!("cem: {msg}");
            ExitCode::from(1)
        }
    }
}
