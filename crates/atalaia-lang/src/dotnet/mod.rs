//! .NET: NuGet `packages.lock.json` and `*.deps.json`.

use atalaia_types::{Ecosystem, Package};

use crate::util::simple_package;

pub(crate) mod deps_json;
pub(crate) mod packages_config;
pub(crate) mod packages_lock;
pub(crate) mod packages_props;

pub(crate) fn nuget_package(name: &str, version: &str) -> Package {
    simple_package(Ecosystem::NuGet, name, version)
}
