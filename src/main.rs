use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dfgen::cli::Cli::parse();
    match dfgen::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            // 1: --check found drift; 130: cancelled; 2: bad input or usage.
            ExitCode::from(e.exit_code())
        }
    }
}
