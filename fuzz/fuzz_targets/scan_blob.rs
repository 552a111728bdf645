//! Arbitrary bytes through the scanning pipeline with the built-in rules: binary and
//! UTF-16 decoding, the keyword prefilter, regex windows, filters, overlap resolution,
//! line index and UTF-16 columns, and GitHub's line hashes.

#![no_main]

use keyward::pipeline::scan_blob;
use keyward::finding::line_hash::line_hashes;
use keyward::scan::Matcher;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut matcher = Matcher::new(keyward_fuzz::rules());
    let outcome = scan_blob(&mut matcher, "fuzz/input.txt", data);
    keyward_fuzz::check_findings(data, &outcome);
    let hashes = line_hashes(data);
    assert!(!hashes.is_empty(), "every text has a first line");
});
