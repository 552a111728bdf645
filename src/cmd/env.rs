//! `keyward env check`: the keys configured in the environment or in dotenv files,
//! validated without printing them. The verdicts are `envcheck`'s.
//!
//! It must not know how a value is judged.

use super::collect::load_rules;
use anyhow::Result;

pub use crate::envcheck::Options;

/// Check the variables and print the verdicts.
pub fn run(args: &Options) -> Result<i32> {
    crate::envcheck::run(&load_rules()?, args)
}
