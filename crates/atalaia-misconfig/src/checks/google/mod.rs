//! Google Cloud checks, one file each, over a Terraform file's resource instances.

use crate::checks::TfCheck;

pub(crate) mod gcp0001_storage_no_public_bucket_access;
pub(crate) mod gcp0002_storage_uniform_bucket_access;
pub(crate) mod gcp0014_sql_pg_log_temp_files;
pub(crate) mod gcp0015_sql_encrypt_in_transit;
pub(crate) mod gcp0016_sql_pg_log_connections;
pub(crate) mod gcp0017_sql_no_public_access;
pub(crate) mod gcp0020_sql_pg_log_lock_waits;
pub(crate) mod gcp0022_sql_pg_log_disconnections;
pub(crate) mod gcp0024_sql_enable_backup;
pub(crate) mod gcp0025_sql_pg_log_checkpoints;
pub(crate) mod gcp0027_compute_no_public_ingress;
pub(crate) mod gcp0029_compute_subnet_flow_logs;
pub(crate) mod gcp0030_compute_no_project_wide_ssh_keys;
pub(crate) mod gcp0031_compute_no_public_ip;
pub(crate) mod gcp0032_compute_no_serial_port;
pub(crate) mod gcp0033_compute_vm_disk_customer_key;
pub(crate) mod gcp0034_compute_disk_customer_key;
pub(crate) mod gcp0036_compute_no_oslogin_override;
pub(crate) mod gcp0041_compute_shielded_vm_vtpm;
pub(crate) mod gcp0043_compute_no_ip_forwarding;
pub(crate) mod gcp0045_compute_shielded_vm_integrity_monitoring;
pub(crate) mod gcp0046_bigquery_no_public_access;
pub(crate) mod gcp0049_gke_enable_ip_aliasing;
pub(crate) mod gcp0050_gke_node_service_account;
pub(crate) mod gcp0051_gke_use_cluster_labels;
pub(crate) mod gcp0052_gke_enable_stackdriver_monitoring;
pub(crate) mod gcp0053_gke_no_public_control_plane;
pub(crate) mod gcp0054_gke_node_pool_uses_cos;
pub(crate) mod gcp0056_gke_enable_network_policy;
pub(crate) mod gcp0057_gke_node_metadata_security;
pub(crate) mod gcp0058_gke_node_pool_auto_upgrade;
pub(crate) mod gcp0059_gke_enable_private_cluster;
pub(crate) mod gcp0060_gke_enable_stackdriver_logging;
pub(crate) mod gcp0062_gke_no_legacy_abac;
pub(crate) mod gcp0063_gke_node_pool_auto_repair;
pub(crate) mod gcp0066_storage_bucket_customer_key;
pub(crate) mod gcp0067_compute_shielded_vm_secure_boot;
pub(crate) mod gcp0070_compute_no_public_rdp;
pub(crate) mod gcp0071_compute_no_public_ssh;
pub(crate) mod gcp0072_compute_no_all_ports;
pub(crate) mod gcp0073_compute_default_firewall_rule;
pub(crate) mod gcp0074_compute_no_large_port_range;
pub(crate) mod gcp0075_compute_subnet_private_google_access;
pub(crate) mod gcp0076_compute_subnet_logging;
pub(crate) mod gcp0077_storage_bucket_logging;
pub(crate) mod gcp0078_storage_bucket_versioning;
mod util;

/// Every Google Cloud check, in ID order.
pub(crate) static CHECKS: &[TfCheck] = &[
    TfCheck {
        meta: &gcp0001_storage_no_public_bucket_access::META,
        run: gcp0001_storage_no_public_bucket_access::run,
    },
    TfCheck {
        meta: &gcp0002_storage_uniform_bucket_access::META,
        run: gcp0002_storage_uniform_bucket_access::run,
    },
    TfCheck {
        meta: &gcp0014_sql_pg_log_temp_files::META,
        run: gcp0014_sql_pg_log_temp_files::run,
    },
    TfCheck {
        meta: &gcp0015_sql_encrypt_in_transit::META,
        run: gcp0015_sql_encrypt_in_transit::run,
    },
    TfCheck {
        meta: &gcp0016_sql_pg_log_connections::META,
        run: gcp0016_sql_pg_log_connections::run,
    },
    TfCheck {
        meta: &gcp0017_sql_no_public_access::META,
        run: gcp0017_sql_no_public_access::run,
    },
    TfCheck {
        meta: &gcp0020_sql_pg_log_lock_waits::META,
        run: gcp0020_sql_pg_log_lock_waits::run,
    },
    TfCheck {
        meta: &gcp0022_sql_pg_log_disconnections::META,
        run: gcp0022_sql_pg_log_disconnections::run,
    },
    TfCheck {
        meta: &gcp0024_sql_enable_backup::META,
        run: gcp0024_sql_enable_backup::run,
    },
    TfCheck {
        meta: &gcp0025_sql_pg_log_checkpoints::META,
        run: gcp0025_sql_pg_log_checkpoints::run,
    },
    TfCheck {
        meta: &gcp0027_compute_no_public_ingress::META,
        run: gcp0027_compute_no_public_ingress::run,
    },
    TfCheck {
        meta: &gcp0029_compute_subnet_flow_logs::META,
        run: gcp0029_compute_subnet_flow_logs::run,
    },
    TfCheck {
        meta: &gcp0030_compute_no_project_wide_ssh_keys::META,
        run: gcp0030_compute_no_project_wide_ssh_keys::run,
    },
    TfCheck {
        meta: &gcp0031_compute_no_public_ip::META,
        run: gcp0031_compute_no_public_ip::run,
    },
    TfCheck {
        meta: &gcp0032_compute_no_serial_port::META,
        run: gcp0032_compute_no_serial_port::run,
    },
    TfCheck {
        meta: &gcp0033_compute_vm_disk_customer_key::META,
        run: gcp0033_compute_vm_disk_customer_key::run,
    },
    TfCheck {
        meta: &gcp0034_compute_disk_customer_key::META,
        run: gcp0034_compute_disk_customer_key::run,
    },
    TfCheck {
        meta: &gcp0036_compute_no_oslogin_override::META,
        run: gcp0036_compute_no_oslogin_override::run,
    },
    TfCheck {
        meta: &gcp0041_compute_shielded_vm_vtpm::META,
        run: gcp0041_compute_shielded_vm_vtpm::run,
    },
    TfCheck {
        meta: &gcp0043_compute_no_ip_forwarding::META,
        run: gcp0043_compute_no_ip_forwarding::run,
    },
    TfCheck {
        meta: &gcp0045_compute_shielded_vm_integrity_monitoring::META,
        run: gcp0045_compute_shielded_vm_integrity_monitoring::run,
    },
    TfCheck {
        meta: &gcp0046_bigquery_no_public_access::META,
        run: gcp0046_bigquery_no_public_access::run,
    },
    TfCheck {
        meta: &gcp0049_gke_enable_ip_aliasing::META,
        run: gcp0049_gke_enable_ip_aliasing::run,
    },
    TfCheck {
        meta: &gcp0050_gke_node_service_account::META,
        run: gcp0050_gke_node_service_account::run,
    },
    TfCheck {
        meta: &gcp0051_gke_use_cluster_labels::META,
        run: gcp0051_gke_use_cluster_labels::run,
    },
    TfCheck {
        meta: &gcp0052_gke_enable_stackdriver_monitoring::META,
        run: gcp0052_gke_enable_stackdriver_monitoring::run,
    },
    TfCheck {
        meta: &gcp0053_gke_no_public_control_plane::META,
        run: gcp0053_gke_no_public_control_plane::run,
    },
    TfCheck {
        meta: &gcp0054_gke_node_pool_uses_cos::META,
        run: gcp0054_gke_node_pool_uses_cos::run,
    },
    TfCheck {
        meta: &gcp0056_gke_enable_network_policy::META,
        run: gcp0056_gke_enable_network_policy::run,
    },
    TfCheck {
        meta: &gcp0057_gke_node_metadata_security::META,
        run: gcp0057_gke_node_metadata_security::run,
    },
    TfCheck {
        meta: &gcp0058_gke_node_pool_auto_upgrade::META,
        run: gcp0058_gke_node_pool_auto_upgrade::run,
    },
    TfCheck {
        meta: &gcp0059_gke_enable_private_cluster::META,
        run: gcp0059_gke_enable_private_cluster::run,
    },
    TfCheck {
        meta: &gcp0060_gke_enable_stackdriver_logging::META,
        run: gcp0060_gke_enable_stackdriver_logging::run,
    },
    TfCheck {
        meta: &gcp0062_gke_no_legacy_abac::META,
        run: gcp0062_gke_no_legacy_abac::run,
    },
    TfCheck {
        meta: &gcp0063_gke_node_pool_auto_repair::META,
        run: gcp0063_gke_node_pool_auto_repair::run,
    },
    TfCheck {
        meta: &gcp0066_storage_bucket_customer_key::META,
        run: gcp0066_storage_bucket_customer_key::run,
    },
    TfCheck {
        meta: &gcp0067_compute_shielded_vm_secure_boot::META,
        run: gcp0067_compute_shielded_vm_secure_boot::run,
    },
    TfCheck {
        meta: &gcp0070_compute_no_public_rdp::META,
        run: gcp0070_compute_no_public_rdp::run,
    },
    TfCheck {
        meta: &gcp0071_compute_no_public_ssh::META,
        run: gcp0071_compute_no_public_ssh::run,
    },
    TfCheck {
        meta: &gcp0072_compute_no_all_ports::META,
        run: gcp0072_compute_no_all_ports::run,
    },
    TfCheck {
        meta: &gcp0073_compute_default_firewall_rule::META,
        run: gcp0073_compute_default_firewall_rule::run,
    },
    TfCheck {
        meta: &gcp0074_compute_no_large_port_range::META,
        run: gcp0074_compute_no_large_port_range::run,
    },
    TfCheck {
        meta: &gcp0075_compute_subnet_private_google_access::META,
        run: gcp0075_compute_subnet_private_google_access::run,
    },
    TfCheck {
        meta: &gcp0076_compute_subnet_logging::META,
        run: gcp0076_compute_subnet_logging::run,
    },
    TfCheck {
        meta: &gcp0077_storage_bucket_logging::META,
        run: gcp0077_storage_bucket_logging::run,
    },
    TfCheck {
        meta: &gcp0078_storage_bucket_versioning::META,
        run: gcp0078_storage_bucket_versioning::run,
    },
];
