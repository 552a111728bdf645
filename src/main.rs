//! The `keyward` binary: parse arguments, run, map the result to an exit code.
//!
//! Exit codes (`keyward::exit`): 0 clean, 1 findings, 2 a usage or I/O error or an
//! incomplete scan.
//!
//! It must not know any command's work.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_exit_when_stderr_fails();
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

/// Standard error that cannot be written (a full disk, a closed pipe): `eprintln!`
/// panics, and the panic message could not be shown either. Exit 2 instead: the scan
/// could not report what it had to say.
fn quiet_exit_when_stderr_fails() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to stderr") {
            std::process::exit(keyward::exit::ERROR);
        }
        default(info);
    }));
}
