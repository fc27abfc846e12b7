//! AZU-0013: Key vault should have the network acl block specified
//!
//! Network ACLs allow you to reduce your exposure to risk by limiting what can access your key vault.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AZU-0013",
    short_id: "AZU0013",
    avd_id: "AVD-AZU-0013",
    title: "Key vault should have the network acl block specified",
    description: "Network ACLs allow you to reduce your exposure to risk by limiting what can access your key vault.\n\nThe default action of the Network ACL should be set to deny for when IPs are not matched. Azure services can be allowed to bypass.",
    resolution: "Set a network ACL for the key vault",
    severity: Severity::Critical,
    references: &["https://docs.microsoft.com/en-us/azure/key-vault/general/network-security"],
    namespace: "builtin.azure.keyvault.azure0013",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "azurerm_key_vault") {
        match r.body.block("network_acls") {
            None => out.push(Cause::new(
                "Vault network ACL does not block access by default.",
                Some(r.lines),
            )),
            Some(n) => match n.body.attr("default_action") {
                Some(a) if a.v.text().as_deref() == Some("Allow") => out.push(Cause::new(
                    "Vault network ACL does not block access by default.",
                    Some(a.lines),
                )),
                None => out.push(Cause::new(
                    "Vault network ACL does not block access by default.",
                    Some(n.lines),
                )),
                Some(_) => {}
            },
        }
    }
}
