//! Arbitrary bytes as a baseline file and as a `.keywardignore`. A baseline that loads
//! must load again, with the same entries, once written back.

#![no_main]

use keyward::suppress::{Baseline, IgnoreFile};
use keyward_fuzz::Scratch;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;

fuzz_target!(|data: &[u8]| {
    let file = Scratch::write("baseline", data);
    let _ = IgnoreFile::load(file.path(), None);
    let Ok(baseline) = Baseline::load(file.path(), None) else {
        return;
    };
    drop(file);
    let rendered = Baseline::render(&baseline.entries);
    let again = Scratch::write("baseline-again", rendered.as_bytes());
    let reloaded = Baseline::load(again.path(), None).expect("a rendered baseline loads");
    let before: BTreeSet<_> = baseline.entries.into_iter().collect();
    let after: BTreeSet<_> = reloaded.entries.into_iter().collect();
    assert_eq!(before, after, "a baseline changed when written back");
});
