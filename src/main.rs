//! The `keyward` binary: parse arguments, run, map the result to an exit code.
//!
//! Exit codes (`keyward::exit`): 0 clean, 1 findings, 2 a usage or I/O error or an
//! incomplete scan.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let command = keyward::cli::Cli::parse().into_command();
    match keyward::cmd::run(&command) {
        Ok(code) => ExitCode::from(code as u8),
        // The reader of standard output has gone (`keyward … | head`): not an error.
        Err(err) if keyward::output::is_broken_pipe(&err) => {
            ExitCode::from(keyward::exit::CLEAN as u8)
        }
        Err(err) => {
            // An error may name a path from the scanned repository.
            eprintln!(
                "keyward: error: {}",
                keyward::escape::terminal(&format!("{err:#}"))
            );
            ExitCode::from(keyward::exit::ERROR as u8)
        }
    }
}
