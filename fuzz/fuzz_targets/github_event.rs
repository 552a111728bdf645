//! A GitHub Actions event through `keyward github-range`'s planning: the input is the
//! event name, a newline, and the payload (normally JSON), planned against a small
//! repository with fixed commit ids. Whatever the payload, the range handed to
//! `keyward history --rev` holds object ids only.

#![no_main]

use keyward::github::{plan, Kind, Mode, Request};
use keyward_fuzz::Scratch;
use libfuzzer_sys::fuzz_target;

fn is_id_list(range: &str) -> bool {
    range.split(' ').all(|part| {
        let part = part.strip_prefix('^').unwrap_or(part);
        let ends: Vec<&str> = part.split("..").collect();
        ends.len() <= 2
            && ends
                .iter()
                .all(|id| id.len() == 40 && id.bytes().all(|b| b.is_ascii_hexdigit()))
    })
}

fuzz_target!(|data: &[u8]| {
    let repo = keyward_fuzz::event_repo();
    let (name, payload) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let event_name = String::from_utf8_lossy(name).into_owned();
    let file = Scratch::write("event.json", payload);
    let request = Request {
        event_name: (!event_name.is_empty()).then_some(event_name),
        event_path: Some(file.path().to_path_buf()),
        repo: repo.path.clone(),
        base: None,
        head: None,
        mode: Mode::Auto,
    };
    if let Ok(plan) = plan(&request) {
        match plan.kind {
            Kind::Range => assert!(is_id_list(&plan.range), "range {:?}", plan.range),
            _ => assert!(plan.range.is_empty(), "range {:?}", plan.range),
        }
    }
});
