//! Credential files known by name (`.npmrc`, `.pgpass`, kubeconfig, keystores, ...): each
//! rule with a path condition reports its examples in a file of its kind, on the line of
//! the credential and with the kind in its name, and stays quiet on the same text in a
//! file of another name and on `${VAR}` references.

mod common;

use common::*;

/// The rules with a path condition, with their example path.
fn path_rules() -> Vec<&'static keyward::rules::Rule> {
    rules()
        .rules
        .iter()
        .filter(|r| !r.spec.paths.is_empty() && !r.spec.binary)
        .collect()
}

#[test]
fn every_credential_file_rule_reports_its_examples_in_its_file_only() {
    let mut rng = rng(0x6372_6564);
    let mut failures = Vec::new();
    let path_rules = path_rules();
    assert!(
        path_rules.len() >= 15,
        "only {} path rules",
        path_rules.len()
    );
    // One tree, one scan: case `cN/` holds an example in a file of the rule's kind and
    // the same text in a file of another name.
    let dir = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    for rule in path_rules {
        let at = rule.spec.example_path.as_deref().expect("example_path");
        for template in &rule.spec.examples {
            let text = text_for(rule, template, &mut rng);
            let n = cases.len();
            write(dir.path(), &format!("c{n}/{at}"), &text);
            write(dir.path(), &format!("c{n}/elsewhere/notes.txt"), &text);
            cases.push((rule, format!("./c{n}/"), text));
        }
    }
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    for (rule, case, text) in cases {
        let id = rule.id();
        let mine: Vec<_> = findings
            .iter()
            .filter(|f| field(f, "rule_id") == id && field(f, "path").starts_with(&case))
            .collect();
        let Some(f) = mine.first() else {
            failures.push(format!("{id}: not found in {case}: {text:?}"));
            continue;
        };
        if mine.iter().any(|f| field(f, "path").contains("elsewhere")) {
            failures.push(format!("{id}: reported in a file of another name"));
        }
        let secret = field(f, "secret");
        let line = text[..text.find(secret).expect("secret in text")]
            .matches('\n')
            .count()
            + 1;
        if f["line"].as_u64() != Some(line as u64) {
            failures.push(format!("{id}: line {} instead of {line}", f["line"]));
        }
        if field(f, "rule_name") != rule.spec.name {
            failures.push(format!("{id}: named {:?}", field(f, "rule_name")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn references_and_placeholders_in_credential_files_stay_quiet() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".npmrc",
        "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n",
    );
    write(dir.path(), ".pgpass", "db:5432:app:app:$PGPASSWORD\n");
    write(
        dir.path(),
        ".kube/config",
        "users:\n- name: ci\n  user:\n    token: ${KUBE_TOKEN}\n",
    );
    write(
        dir.path(),
        "public/wp-config.php",
        "define( 'DB_PASSWORD', 'password_here' );\n",
    );
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn a_binary_keystore_is_reported_as_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes: Vec<u8> = (0u8..=255).cycle().take(2048).collect();
    write(dir.path(), "app/release.jks", &bytes);
    write(dir.path(), "app/blob.bin", &bytes);
    write(dir.path(), "app/kafka.truststore.jks", &bytes);
    let (findings, out) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(field(f, "rule_id"), "keystore-file");
    assert_eq!(field(f, "path"), "./app/release.jks");
    assert_eq!(f["line"].as_u64(), Some(1));
    assert_eq!(out.status.code(), Some(1));
}
