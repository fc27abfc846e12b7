//! Where advisories come from: the [`AdvisoryStore`] trait, its implementation for the SQLite
//! [`VulnDb`], and [`MemoryStore`] for tests and small embedded uses.
//!
//! Detection depends on the trait, not on SQLite, so matcher tests need no database file.

use std::collections::HashMap;

use atalaia_vulndb::{
    normalize_package_name, Advisory, PackageAdvisories, VulnDb, Vulnerability,
    VulnerabilityRecord, WorkerDb,
};

use crate::StoreError;

/// A read-only source of advisories and vulnerability details.
pub trait AdvisoryStore {
    /// Every advisory for `package` in `namespace` (`PyPI`, `alpine 3.10`, `debian 12`, …).
    /// The store normalises the name for the namespace
    /// ([`atalaia_vulndb::normalize_package_name`]).
    fn advisories_for(&self, namespace: &str, package: &str) -> Result<Vec<Advisory>, StoreError>;

    /// The advisories for `package` in `namespace` as a borrowed view, or `None` when there is
    /// none: what [`crate::detect`] reads. The default packs [`AdvisoryStore::advisories_for`];
    /// stores that hold packed advisories (the SQLite [`VulnDb`]) hand them out directly.
    fn package_advisories(
        &self,
        namespace: &str,
        package: &str,
    ) -> Result<Option<PackageAdvisories>, StoreError> {
        let found = self.advisories_for(namespace, package)?;
        Ok((!found.is_empty()).then(|| {
            PackageAdvisories::from_advisories(
                namespace,
                &normalize_package_name(namespace, package),
                &found,
            )
        }))
    }

    /// A lookup for the advisories of many packages in a row: what [`crate::detect`] uses, once
    /// per thread. The default asks [`AdvisoryStore::package_advisories`] for each; the SQLite
    /// [`VulnDb`] keeps its prepared query for the whole run.
    fn package_lookup(&self) -> Box<dyn PackageLookup + '_> {
        Box::new(EachPackage(self))
    }

    /// The details of a vulnerability, by its canonical ID or any alias.
    fn vulnerability(&self, id: &str) -> Result<Option<Vulnerability>, StoreError>;

    /// The details of a vulnerability as a borrowed view ([`VulnerabilityRecord`]): what
    /// [`crate::detect`] reads. The default packs [`AdvisoryStore::vulnerability`]; the SQLite
    /// [`VulnDb`] stores records in that form and hands them out directly.
    fn vulnerability_record(&self, id: &str) -> Result<Option<VulnerabilityRecord>, StoreError> {
        Ok(self
            .vulnerability(id)?
            .map(|v| VulnerabilityRecord::from_vulnerability(&v)))
    }

    /// The details of many vulnerabilities, each named by its details key
    /// ([`atalaia_vulndb::AdvisoryRef::vulnerability_keys`]) and its ID, answered in the order
    /// asked. The default asks [`AdvisoryStore::vulnerability_record`] for each ID; the SQLite
    /// [`VulnDb`] reads the rows in key order.
    fn vulnerability_records(
        &self,
        wanted: &[(u64, &str)],
    ) -> Result<Vec<Option<VulnerabilityRecord>>, StoreError> {
        wanted
            .iter()
            .map(|(_, id)| self.vulnerability_record(id))
            .collect()
    }

    /// Another handle on the same data, for a thread of its own (detection splits large
    /// inventories across threads), or `None` when the store cannot make one; then detection
    /// runs on one thread. The default is `None`.
    fn worker(&self) -> Option<Box<dyn AdvisoryStore + Send + '_>> {
        None
    }
}

/// Advisories of packages looked up one after another ([`AdvisoryStore::package_lookup`]).
pub trait PackageLookup {
    /// As [`AdvisoryStore::package_advisories`].
    fn package_advisories(
        &mut self,
        namespace: &str,
        package: &str,
    ) -> Result<Option<PackageAdvisories>, StoreError>;
}

/// The default [`PackageLookup`]: the store's own [`AdvisoryStore::package_advisories`].
struct EachPackage<'a, S: ?Sized>(&'a S);

impl<S: AdvisoryStore + ?Sized> PackageLookup for EachPackage<'_, S> {
    fn package_advisories(
        &mut self,
        namespace: &str,
        package: &str,
    ) -> Result<Option<PackageAdvisories>, StoreError> {
        self.0.package_advisories(namespace, package)
    }
}

fn lookup_err(namespace: &str, package: &str, e: atalaia_vulndb::VulnDbError) -> StoreError {
    StoreError::new(
        format!("look up advisories for `{package}` in `{namespace}`"),
        e,
    )
}

impl PackageLookup for atalaia_vulndb::PackageLookup<'_> {
    fn package_advisories(
        &mut self,
        namespace: &str,
        package: &str,
    ) -> Result<Option<PackageAdvisories>, StoreError> {
        self.get(namespace, package)
            .map_err(|e| lookup_err(namespace, package, e))
    }
}

impl AdvisoryStore for VulnDb {
    fn advisories_for(&self, namespace: &str, package: &str) -> Result<Vec<Advisory>, StoreError> {
        VulnDb::advisories_for(self, namespace, package).map_err(|e| {
            StoreError::new(
                format!("look up advisories for `{package}` in `{namespace}`"),
                e,
            )
        })
    }

    fn package_advisories(
        &self,
        namespace: &str,
        package: &str,
    ) -> Result<Option<PackageAdvisories>, StoreError> {
        VulnDb::package_advisories(self, namespace, package)
            .map_err(|e| lookup_err(namespace, package, e))
    }

    fn package_lookup(&self) -> Box<dyn PackageLookup + '_> {
        match VulnDb::package_lookup(self) {
            Ok(lookup) => Box::new(lookup),
            // Each lookup then reports the error.
            Err(_) => Box::new(EachPackage(self)),
        }
    }

    fn vulnerability(&self, id: &str) -> Result<Option<Vulnerability>, StoreError> {
        VulnDb::vulnerability(self, id)
            .map_err(|e| StoreError::new(format!("look up vulnerability `{id}`"), e))
    }

    fn vulnerability_record(&self, id: &str) -> Result<Option<VulnerabilityRecord>, StoreError> {
        VulnDb::vulnerability_record(self, id)
            .map_err(|e| StoreError::new(format!("look up vulnerability `{id}`"), e))
    }

    fn vulnerability_records(
        &self,
        wanted: &[(u64, &str)],
    ) -> Result<Vec<Option<VulnerabilityRecord>>, StoreError> {
        VulnDb::vulnerability_records(self, wanted).map_err(|e| {
            StoreError::new(
                format!("look up the details of {} vulnerabilities", wanted.len()),
                e,
            )
        })
    }

    fn worker(&self) -> Option<Box<dyn AdvisoryStore + Send + '_>> {
        match VulnDb::worker(self) {
            Ok(db) => Some(Box::new(Lent(db))),
            Err(err) => {
                tracing::debug!("matching on one thread: {err}");
                None
            }
        }
    }
}

/// A [`VulnDb`] handle lent to a matching thread ([`AdvisoryStore::worker`]).
struct Lent<'a>(WorkerDb<'a>);

impl AdvisoryStore for Lent<'_> {
    fn advisories_for(&self, namespace: &str, package: &str) -> Result<Vec<Advisory>, StoreError> {
        AdvisoryStore::advisories_for(&*self.0, namespace, package)
    }

    fn package_advisories(
        &self,
        namespace: &str,
        package: &str,
    ) -> Result<Option<PackageAdvisories>, StoreError> {
        AdvisoryStore::package_advisories(&*self.0, namespace, package)
    }

    fn package_lookup(&self) -> Box<dyn PackageLookup + '_> {
        AdvisoryStore::package_lookup(&*self.0)
    }

    fn vulnerability(&self, id: &str) -> Result<Option<Vulnerability>, StoreError> {
        AdvisoryStore::vulnerability(&*self.0, id)
    }

    fn vulnerability_record(&self, id: &str) -> Result<Option<VulnerabilityRecord>, StoreError> {
        AdvisoryStore::vulnerability_record(&*self.0, id)
    }

    fn vulnerability_records(
        &self,
        wanted: &[(u64, &str)],
    ) -> Result<Vec<Option<VulnerabilityRecord>>, StoreError> {
        AdvisoryStore::vulnerability_records(&*self.0, wanted)
    }
}

/// An in-memory [`AdvisoryStore`].
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    advisories: HashMap<(String, String), Vec<Advisory>>,
    vulnerabilities: HashMap<String, Vulnerability>,
    aliases: HashMap<String, String>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// Adds an advisory (keyed by its namespace and normalised package name).
    pub fn add_advisory(&mut self, advisory: Advisory) -> &mut Self {
        let key = (
            advisory.namespace.clone(),
            normalize_package_name(&advisory.namespace, &advisory.package),
        );
        self.advisories.entry(key).or_default().push(advisory);
        self
    }

    /// Adds a vulnerability, reachable by its ID and every alias.
    pub fn add_vulnerability(&mut self, vulnerability: Vulnerability) -> &mut Self {
        for alias in &vulnerability.aliases {
            self.aliases.insert(alias.clone(), vulnerability.id.clone());
        }
        self.vulnerabilities
            .insert(vulnerability.id.clone(), vulnerability);
        self
    }
}

impl AdvisoryStore for MemoryStore {
    fn advisories_for(&self, namespace: &str, package: &str) -> Result<Vec<Advisory>, StoreError> {
        let key = (
            namespace.to_owned(),
            normalize_package_name(namespace, package),
        );
        Ok(self.advisories.get(&key).cloned().unwrap_or_default())
    }

    fn vulnerability(&self, id: &str) -> Result<Option<Vulnerability>, StoreError> {
        let id = self.aliases.get(id).map_or(id, String::as_str);
        Ok(self.vulnerabilities.get(id).cloned())
    }

    /// A copy: a memory store is small.
    fn worker(&self) -> Option<Box<dyn AdvisoryStore + Send + '_>> {
        Some(Box::new(self.clone()))
    }
}
