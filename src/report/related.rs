//! SARIF `relatedLocations` of a folded history finding: the first sighting of the same
//! secret at each other path (a rename, a copy, another branch), each with the commit
//! that brought it there. GitHub shows them beside the alert; the result's own location
//! stays the first sighting, so its fingerprints do not change.
//!
//! It must not know how a finding was made or folded; it reads findings only.

use super::sarif::physical_location;
use super::Context;
use crate::finding::Finding;
use serde_sarif::sarif::{Location, Message, Region};

/// The other places of `f`, or `None` when it has none.
pub fn locations(f: &Finding, ctx: &Context<'_>) -> Option<Vec<Location>> {
    let g = f.git.as_deref().filter(|g| !g.locations.is_empty())?;
    let places = g.locations.iter().enumerate().map(|(i, l)| {
        let path = ctx.root.relative(&l.path);
        let region = Region::builder()
            .start_line(l.line as i64)
            .start_column(l.column_utf16 as i64)
            .end_line(l.end_line as i64)
            .end_column(l.end_column_utf16 as i64)
            .build();
        let mut text = match l.commit.is_empty() {
            true => "The same secret, in a blob no commit carries".to_string(),
            false => format!(
                "The same secret, first at this path in commit {}",
                &l.commit[..l.commit.len().min(12)]
            ),
        };
        if !l.reachable && !l.commit.is_empty() {
            text.push_str(", which no ref reaches");
        }
        text.push('.');
        Location::builder()
            .id(i as i64)
            .physical_location(physical_location(&path, region))
            .message(Message::builder().text(text).build())
            .build()
    });
    Some(places.collect())
}

/// A sentence for the result's message: how many other paths hold the secret.
pub fn note(f: &Finding) -> String {
    let Some(g) = f.git.as_deref() else {
        return String::new();
    };
    let n = g.locations.len() + g.locations_omitted;
    match n {
        0 => String::new(),
        1 => " The same secret was also committed at 1 other path (see the related locations)."
            .into(),
        n => format!(
            " The same secret was also committed at {n} other paths (see the related locations{}).",
            if g.locations_omitted > 0 {
                format!("; {} are listed", g.locations.len())
            } else {
                String::new()
            }
        ),
    }
}
