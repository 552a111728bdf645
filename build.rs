//! Embeds every `rules/*.toml` file into the binary (its text, and the same rules as
//! JSON, which loads several times faster at start-up), and tells the tests which of the
//! outside tools they drive are missing (so those tests are reported as ignored, with
//! the reason, instead of passing without running).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("rules/ directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let out_dir = std::env::var("OUT_DIR").unwrap();
    let mut out = String::from("&[\n");
    let mut json = String::from("&[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy();
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            f.display().to_string()
        )
        .unwrap();
        // A file that does not parse here is left to the loader, which reports it.
        let text = std::fs::read_to_string(f).expect("read a rule file");
        let as_json = toml::from_str::<toml::Value>(&text)
            .ok()
            .and_then(|v| serde_json::to_string(&v).ok());
        if let Some(j) = as_json {
            let path = Path::new(&out_dir).join(format!("{name}.json"));
            std::fs::write(&path, j).expect("write a rule file's JSON");
            writeln!(
                json,
                "    ({name:?}, Some(include_str!({:?}))),",
                path.display().to_string()
            )
            .unwrap();
        } else {
            writeln!(json, "    ({name:?}, None),").unwrap();
        }
    }
    out.push(']');
    json.push(']');
    let dest = Path::new(&out_dir).join("embedded_rules.rs");
    std::fs::write(dest, out).expect("write embedded_rules.rs");
    let dest = Path::new(&out_dir).join("embedded_rules_json.rs");
    std::fs::write(dest, json).expect("write embedded_rules_json.rs");
    probe_test_tools();
}

/// `keyward_no_pyyaml` (the Action tests need python3 with PyYAML) and
/// `keyward_no_precommit` (the hook framework test needs `pre-commit`) when the tool is
/// missing, except under CI, where those tests must run (and fail if they cannot).
fn probe_test_tools() {
    println!("cargo::rustc-check-cfg=cfg(keyward_no_pyyaml)");
    println!("cargo::rustc-check-cfg=cfg(keyward_no_precommit)");
    println!("cargo:rerun-if-env-changed=CI");
    if std::env::var_os("CI").is_some() {
        return;
    }
    // Only the probes below read PATH: under CI a changed PATH (a virtual environment,
    // a Python tool's wrapper running cargo) must not rebuild keyward.
    println!("cargo:rerun-if-env-changed=PATH");
    let works = |cmd: &str, args: &[&str]| {
        std::process::Command::new(cmd)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !works("python3", &["-c", "import yaml"]) {
        println!("cargo:rustc-cfg=keyward_no_pyyaml");
    }
    if !works("pre-commit", &["--version"]) {
        println!("cargo:rustc-cfg=keyward_no_precommit");
    }
}
