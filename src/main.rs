//! The `entrepairs` binary.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = entrepairs::cli::Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("entrepairs: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(entrepairs::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("entrepairs: {e:#}");
            ExitCode::FAILURE
        }
    }
}
