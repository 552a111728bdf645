//! Templates (`.env.example` and the like): they hold placeholders only, by the
//! scanner's findings in them.
//!
//! It must not know how the scan ran; whether templates are ignored is the ignore
//! check's.

use super::keys::keys_check;
use super::kinds::{env_file, file_name};
use crate::audit::{practices, Check, Group, Inventory, Item, Status};

pub const TEMPLATES: Check = Check {
    id: "templates-placeholders-only",
    title: "Templates (.env.example and the like) hold placeholders only",
    group: Group::Development,
    guidance: &[&practices::TEMPLATES],
    fix: "Replace each value in the template with a placeholder (`KEY_NAME=your-key-here`) and revoke the key that was there.",
    automated: true,
};

pub fn templates_check(inv: &Inventory) -> Item {
    let templates: Vec<&str> = inv
        .all_files()
        .into_iter()
        .filter(|f| env_file(file_name(f)) == Some(true))
        .collect();
    if templates.is_empty() {
        return Item::new(&TEMPLATES, Status::NotApplicable)
            .with(["no .env template in the repository".to_string()]);
    }
    let item = keys_check(&TEMPLATES, &inv.findings, |f| {
        templates.contains(&f.path.as_str())
    });
    if item.status == Status::Pass {
        Item::new(&TEMPLATES, Status::Pass).with([format!(
            "{} template(s) hold placeholders only: {}",
            templates.len(),
            templates.join(", ")
        )])
    } else {
        item
    }
}
