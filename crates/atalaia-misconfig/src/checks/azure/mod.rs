//! Azure checks, one file each, over a Terraform file's resource instances.

use crate::checks::TfCheck;

pub(crate) mod azu0013_keyvault_network_acl;
pub(crate) mod azu0040_container_logging;
pub(crate) mod azu0041_container_limit_authorized_ips;
pub(crate) mod azu0042_container_use_rbac;
pub(crate) mod azu0065_container_private_cluster;
pub(crate) mod azu0066_container_azure_policy;
mod util;

/// Every Azure check, in ID order.
pub(crate) static CHECKS: &[TfCheck] = &[
    TfCheck {
        meta: &azu0013_keyvault_network_acl::META,
        run: azu0013_keyvault_network_acl::run,
    },
    TfCheck {
        meta: &azu0040_container_logging::META,
        run: azu0040_container_logging::run,
    },
    TfCheck {
        meta: &azu0041_container_limit_authorized_ips::META,
        run: azu0041_container_limit_authorized_ips::run,
    },
    TfCheck {
        meta: &azu0042_container_use_rbac::META,
        run: azu0042_container_use_rbac::run,
    },
    TfCheck {
        meta: &azu0065_container_private_cluster::META,
        run: azu0065_container_private_cluster::run,
    },
    TfCheck {
        meta: &azu0066_container_azure_policy::META,
        run: azu0066_container_azure_policy::run,
    },
];
