//! Manual items: what the guides ask for that no program can see by reading the
//! repository. Each can be attested in `keyward.toml` (who, when, a note); an
//! attestation older than its period turns back into a warning. Where the code shows
//! something relevant (a secrets-manager client), it is given as evidence.
//!
//! It must not know the automated checks, nor how the configuration was loaded.

use super::{days_to_date, parse_date, practices, Check, Group, Inventory, Item, Status};
use crate::config::Config;
use anyhow::{bail, Result};

pub const MANUAL: [Check; 10] = [
    Check {
        id: "secrets-manager",
        title: "Production keys live in a secrets manager (Vault, AWS, GCP, Azure), not in files",
        group: Group::Production,
        guidance: &[&practices::SECRETS_MANAGER],
        fix: "Load production keys from Vault, AWS Secrets Manager, GCP Secret Manager or Azure Key Vault at start-up, with access granted per service.",
        automated: false,
    },
    Check {
        id: "separate-keys-per-environment",
        title: "Each environment (development, staging, production) has its own keys",
        group: Group::Production,
        guidance: &[&practices::SEPARATE_ENVIRONMENTS],
        fix: "Create one key per environment at each provider, so a leak in development never exposes production.",
        automated: false,
    },
    Check {
        id: "least-privilege-keys",
        title: "Keys have the least privilege they need, with usage limits",
        group: Group::Production,
        guidance: &[&practices::LEAST_PRIVILEGE],
        fix: "Use project- or restricted-scope keys with spending and rate limits; remove admin scopes from application keys.",
        automated: false,
    },
    Check {
        id: "key-format-validation",
        title: "Applications validate their keys' format at start-up",
        group: Group::Operations,
        guidance: &[&practices::VALIDATE_KEYS],
        fix: "Run `keyward env check` at start-up or in the deploy job: it checks each configured key's format without printing it.",
        automated: false,
    },
    Check {
        id: "usage-monitoring",
        title: "Key usage is monitored, with cost and anomaly alerts",
        group: Group::Operations,
        guidance: &[&practices::MONITOR_USAGE],
        fix: "Turn on usage dashboards and budget alerts at each provider; alert on spikes, failed authentications and approaching limits.",
        automated: false,
    },
    Check {
        id: "access-audit-logging",
        title: "Access to keys is logged and the logs are reviewed",
        group: Group::Operations,
        guidance: &[&practices::AUDIT_ACCESS],
        fix: "Enable audit logs in the secrets manager and the providers' consoles, and review who read which key.",
        automated: false,
    },
    Check {
        id: "incident-response",
        title: "An incident-response plan for leaked keys exists and is tested",
        group: Group::Operations,
        guidance: &[&practices::INCIDENT_RESPONSE],
        fix: "Write down who revokes which key where, in what order, and how services get the new key; rehearse it.",
        automated: false,
    },
    Check {
        id: "security-training",
        title: "The team is trained on key handling",
        group: Group::Compliance,
        guidance: &[&practices::TRAINING],
        fix: "Train everyone who handles keys: where keys live, how to rotate, what to do on a leak.",
        automated: false,
    },
    Check {
        id: "scheduled-reviews",
        title: "Key usage, access and this checklist are reviewed on a schedule",
        group: Group::Compliance,
        guidance: &[&practices::REGULAR_REVIEWS],
        fix: "Schedule monthly usage reviews, quarterly access audits and a yearly full secrets audit (`keyward audit --history`).",
        automated: false,
    },
    Check {
        id: "compliance-frameworks",
        title: "Obligations (SOC 2, GDPR/CCPA) for keys and logs are met",
        group: Group::Compliance,
        guidance: &[&practices::COMPLIANCE],
        fix: "Map key handling to the controls you must meet (access control, logging, retention) and keep the evidence.",
        automated: false,
    },
];

/// Every check id, automated and manual (for attestation errors).
pub fn all_ids() -> Vec<&'static str> {
    let mut ids: Vec<&str> = MANUAL.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    ids
}

/// Attestations must name a manual item and carry a valid date.
pub fn validate(config: &Config) -> Result<()> {
    let source = config
        .source
        .as_ref()
        .map_or("keyward.toml".to_string(), |p| p.display().to_string());
    for (n, a) in config.attest.iter().enumerate() {
        let n = n + 1;
        if !MANUAL.iter().any(|c| c.id == a.check) {
            bail!(
                "{source}: [[attest]] {n}: `check` is not a manual checklist item; these can be attested: {}",
                all_ids().join(", ")
            );
        }
        if parse_date(&a.date).is_none() {
            bail!(
                "{source}: [[attest]] {n} ({}): `date` is not a date (use YYYY-MM-DD)",
                a.check
            );
        }
    }
    Ok(())
}

/// Secrets-manager clients the code uses, as evidence.
fn secrets_manager_evidence(inv: &Inventory) -> Vec<String> {
    const CLIENTS: [(&str, &str); 14] = [
        ("hvac.Client", "HashiCorp Vault (hvac)"),
        ("import hvac", "HashiCorp Vault (hvac)"),
        ("from hvac", "HashiCorp Vault (hvac)"),
        ("hashicorp/vault/api", "HashiCorp Vault (Go)"),
        ("node-vault", "HashiCorp Vault (node-vault)"),
        ("secretsmanager", "AWS Secrets Manager"),
        ("client-secrets-manager", "AWS Secrets Manager (JS SDK)"),
        ("secretmanager", "Google Secret Manager"),
        ("secret-manager", "Google Secret Manager"),
        ("keyvault", "Azure Key Vault"),
        ("SecretClient(", "Azure Key Vault"),
        ("kind: ExternalSecret", "External Secrets Operator"),
        ("kind: SealedSecret", "Sealed Secrets"),
        ("vault kv get", "HashiCorp Vault (CLI)"),
    ];
    let mut out = Vec::new();
    for f in &inv.tracked {
        let Some(ext) = f.rsplit_once('.').map(|(_, e)| e) else {
            continue;
        };
        if !matches!(
            ext,
            "py" | "js"
                | "ts"
                | "go"
                | "java"
                | "kt"
                | "rb"
                | "cs"
                | "rs"
                | "yaml"
                | "yml"
                | "tf"
                | "sh"
                | "toml"
                | "json"
        ) {
            continue;
        }
        let Some(text) = inv.read(f) else { continue };
        for (n, line) in text.lines().enumerate() {
            let lower = line.to_ascii_lowercase();
            if let Some((_, what)) = CLIENTS
                .iter()
                .find(|(needle, _)| lower.contains(&needle.to_ascii_lowercase()))
            {
                out.push(format!("{f}:{}: uses {what}", n + 1));
                break;
            }
        }
        if out.len() >= 10 {
            break;
        }
    }
    out
}

/// The manual items, attested or not.
pub fn items(inv: &Inventory, config: &Config, today: i64) -> Vec<Item> {
    MANUAL
        .iter()
        .map(|check| {
            let mut evidence = Vec::new();
            if check.id == "secrets-manager" {
                let found = secrets_manager_evidence(inv);
                if found.is_empty() {
                    evidence.push("the code uses no secrets-manager client keyward knows".to_string());
                } else {
                    evidence.extend(found);
                }
            }
            // The latest attestation counts.
            let attestation = config
                .attest
                .iter()
                .filter(|a| a.check == check.id)
                .filter_map(|a| parse_date(&a.date).map(|d| (d, a)))
                .max_by_key(|(d, _)| *d);
            let status = match attestation {
                None => {
                    evidence.push("not attested: add an [[attest]] entry to keyward.toml once it is in place".to_string());
                    Status::Manual
                }
                Some((date, a)) => {
                    let until = date + i64::from(a.valid_days);
                    let note = if a.note.is_empty() { String::new() } else { format!(": {}", a.note) };
                    if today > until {
                        evidence.push(format!(
                            "attested by {} on {}{note}; lapsed on {} (valid {} days): review and attest again",
                            a.by,
                            days_to_date(date),
                            days_to_date(until),
                            a.valid_days
                        ));
                        Status::Warn
                    } else {
                        evidence.push(format!(
                            "attested by {} on {}{note} (valid until {})",
                            a.by,
                            days_to_date(date),
                            days_to_date(until)
                        ));
                        Status::Pass
                    }
                }
            };
            Item::new(check, status).with(evidence)
        })
        .collect()
}
