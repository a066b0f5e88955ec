use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dfgen::cli::Cli::parse();
    match dfgen::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            // 2: bad input or usage; 1 is kept for `init --check` drift.
            ExitCode::from(2)
        }
    }
}
