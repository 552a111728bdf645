//! File modes: secret files on disk are readable by their owner only (mode 600). On a
//! platform without Unix mode bits the item does not apply.
//!
//! It must not know what the files hold beyond their kind (`kinds`), nor the other
//! checks.

use super::evidence::capped;
use super::kinds::secret_file_kind;
use crate::audit::inventory::read_small;
use crate::audit::{guide, Check, Group, Inventory, Item, Status};

pub const PERMISSIONS: Check = Check {
    id: "secret-file-permissions",
    title: "Secret files on disk are readable by their owner only (mode 600)",
    group: Group::Development,
    guidance: &[
        guide(
            "001",
            "Environment Variable Best Practices (3. set file permissions to 600)",
        ),
        guide(
            "004",
            "Security Checklist › Development (chmod 600 on local key files)",
        ),
    ],
    fix: "chmod 600 each file listed (and 700 on folders that hold only keys).",
    automated: true,
};

pub fn permissions_check(inv: &Inventory) -> Item {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut loose = Vec::new();
        let mut fine = 0usize;
        for f in &inv.on_disk {
            let path = inv.root.join(f);
            if secret_file_kind(f, || read_small(inv, f)).is_none() {
                continue;
            }
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                let who = match (mode & 0o070 != 0, mode & 0o007 != 0) {
                    (true, true) => "its group and everyone else",
                    (true, false) => "its group",
                    _ => "everyone else",
                };
                loose.push(format!(
                    "{f}: mode {mode:03o}, {who} can access it (chmod 600 {f})"
                ));
            } else {
                fine += 1;
            }
        }
        if loose.is_empty() && fine == 0 {
            Item::new(&PERMISSIONS, Status::NotApplicable)
                .with(["no secret file on disk".to_string()])
        } else if loose.is_empty() {
            Item::new(&PERMISSIONS, Status::Pass).with([format!(
                "{fine} secret file(s) on disk, all mode 600 or stricter"
            )])
        } else {
            Item::new(&PERMISSIONS, Status::Fail).with(capped(loose))
        }
    }
    #[cfg(not(unix))]
    {
        let _ = inv;
        Item::new(&PERMISSIONS, Status::NotApplicable).with([
            "this platform has no Unix mode bits; restrict the files with its ACLs".to_string(),
        ])
    }
}
