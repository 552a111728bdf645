//! `[[waive]]`: a reviewed failure of an automated audit check, accepted with a reason
//! (and, optionally, only for some paths and until a date). Parsed here with the rest
//! of the configuration; what a waiver does to the checklist is the audit's.
//!
//! It must not know the audit's checks: whether `check` names one is the audit's to say.

use serde::{Deserialize, Serialize};

/// An accepted failure.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The automated check's id.
    pub check: String,
    /// A glob: the waiver covers the failure only when every file it names matches.
    #[serde(default)]
    pub path: Option<String>,
    /// Why the failure is accepted (required, shown in every report).
    pub reason: String,
    /// `YYYY-MM-DD`: the last day the waiver holds.
    #[serde(default)]
    pub expires: Option<String>,
}
