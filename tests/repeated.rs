//! A generic value repeated across many files of a scan is a sample: it is suppressed
//! (and counted, `repeated-value`), while a key of a format is reported wherever it is.

mod common;

use common::*;

fn generic_line(rng: &mut keyward::rules::template::Rng) -> String {
    let rule = rules().get("generic-api-key").expect("generic rule");
    text_for(
        rule,
        "client_secret = \"{alnum:12}{digit:2}{alnum:6}\"\n",
        rng,
    )
}

#[test]
fn a_generic_value_in_four_files_is_suppressed_and_counted() {
    let mut rng = rng(0x7265_7065);
    let sample = generic_line(&mut rng);
    let single = generic_line(&mut rng);
    let dir = tempfile::tempdir().unwrap();
    for n in 0..4 {
        write(dir.path(), &format!("mod{n}/settings.py"), &sample);
    }
    write(dir.path(), "app/config.py", &single);
    let (findings, out) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(field(&findings[0], "path"), "./app/config.py");
    assert!(
        stderr(&out).contains("4 repeated-value"),
        "{}",
        stderr(&out)
    );
    let (all, _) = scan_json(dir.path(), &["--no-ignore", "--show-suppressed", "."]);
    let repeated = all
        .iter()
        .filter(|f| f["suppressed"]["reason"] == "repeated-value")
        .count();
    assert_eq!(repeated, 4);
}

#[test]
fn a_generic_value_in_three_files_and_a_format_in_five_are_reported() {
    let mut rng = rng(0x7265_7066);
    let sample = generic_line(&mut rng);
    let aws = rules().get("aws-access-key-id").expect("aws rule");
    let key = key_for(aws, &mut rng);
    let dir = tempfile::tempdir().unwrap();
    for n in 0..3 {
        write(dir.path(), &format!("mod{n}/settings.py"), &sample);
    }
    for n in 0..5 {
        write(
            dir.path(),
            &format!("svc{n}/deploy.sh"),
            format!("KEY_ID={key}\n"),
        );
    }
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    let generic = findings
        .iter()
        .filter(|f| field(f, "rule_id") == "generic-api-key");
    assert_eq!(generic.count(), 3, "{findings:?}");
    let keys = findings
        .iter()
        .filter(|f| field(f, "rule_id") == "aws-access-key-id");
    assert_eq!(keys.count(), 5, "{findings:?}");
}
