//! One record per source, checked field by field against the feed file it came from.

use atalaia_vulndb::{Advisory, CvssVersion, RangeEvent, RangeType, Status, VulnDb};

use crate::common::db;

fn one<'a>(advs: &'a [Advisory], vuln: &str) -> &'a Advisory {
    let found: Vec<_> = advs.iter().filter(|a| a.vulnerability_id == vuln).collect();
    assert_eq!(found.len(), 1, "advisories for {vuln}: {found:#?}");
    found[0]
}

fn events(a: &Advisory) -> Vec<Vec<RangeEvent>> {
    a.ranges.iter().map(|r| r.events.clone()).collect()
}

fn intro_fixed(fixed: &str) -> Vec<Vec<RangeEvent>> {
    vec![vec![
        RangeEvent::Introduced("0".into()),
        RangeEvent::Fixed(fixed.into()),
    ]]
}

fn cvss(db: &VulnDb, id: &str, source: &str) -> (Option<CvssVersion>, Option<String>, Option<f64>) {
    let v = db
        .vulnerability(id)
        .unwrap()
        .unwrap_or_else(|| panic!("{id} missing"));
    let s = v
        .severities
        .iter()
        .find(|s| s.source == source && s.cvss_version.is_some())
        .unwrap_or_else(|| panic!("{id}: no CVSS by {source}"));
    (s.cvss_version, s.vector.clone(), s.score)
}

#[test]
fn pysec() {
    let db = db();
    // PYSEC-2019-217: jinja2 < 2.10.1, aliases CVE-2019-10906 and GHSA-462w-v97r-4m45.
    let advs = db.advisories_for("PyPI", "Jinja2").unwrap();
    let a = one(&advs, "CVE-2019-10906");
    assert_eq!(a.vendor_id.as_deref(), Some("PYSEC-2019-217"));
    assert_eq!(
        (a.package.as_str(), a.source.as_str(), a.status),
        ("jinja2", "osv/pypa", Status::Fixed)
    );
    assert_eq!(events(a), intro_fixed("2.10.1"));
    assert_eq!(a.ranges[0].range_type, RangeType::Ecosystem);
    assert_eq!(a.ranges[0].scheme, "pep440");
    assert_eq!(a.fixed_versions, vec!["2.10.1"]);
    // The feed lists every affected release; the range holds them all, so none is kept.
    assert_eq!(a.versions, Vec::<String>::new());
    let v = db.vulnerability("PYSEC-2019-217").unwrap().unwrap();
    assert_eq!(v.id, "CVE-2019-10906");
    assert!(
        v.aliases.contains(&"GHSA-462w-v97r-4m45".to_owned())
            && v.aliases.contains(&"PYSEC-2019-217".to_owned())
    );
    // PYSEC-2020-342: a CVSS v3 vector, score computed.
    assert_eq!(
        cvss(&db, "PYSEC-2020-342", "pysec"),
        (
            Some(CvssVersion::V3),
            Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into()),
            Some(9.8)
        )
    );
}

#[test]
fn go() {
    let db = db();
    let advs = db.advisories_for("Go", "github.com/gin-gonic/gin").unwrap();
    let a = one(&advs, "CVE-2020-36567");
    assert_eq!(a.vendor_id.as_deref(), Some("GO-2020-0001"));
    assert_eq!(
        (
            a.status,
            a.ranges[0].range_type,
            a.ranges[0].scheme.as_str()
        ),
        (Status::Fixed, RangeType::Semver, "go")
    );
    assert_eq!(events(a), intro_fixed("1.6.0"));
    let imports = &a.extra.as_ref().unwrap()["ecosystem_specific"]["imports"][0];
    assert_eq!(imports["path"], "github.com/gin-gonic/gin");
    let v = db.vulnerability("GO-2020-0001").unwrap().unwrap();
    assert_eq!(v.id, "CVE-2020-36567");
    assert!(v.aliases.contains(&"GHSA-6vm3-jj99-7229".to_owned()));
    assert!(
        v.severities.iter().all(|s| s.source != "go"),
        "Go assigns no severity"
    );
    assert_eq!(v.published.as_deref(), Some("2021-04-14T20:04:52Z"));
}

#[test]
fn rustsec() {
    let db = db();
    let advs = db.advisories_for("crates.io", "hyper").unwrap();
    let a = one(&advs, "CVE-2021-32715");
    assert_eq!(a.vendor_id.as_deref(), Some("RUSTSEC-2021-0078"));
    assert_eq!(
        events(a),
        vec![vec![
            RangeEvent::Introduced("0.0.0-0".into()),
            RangeEvent::Fixed("0.14.10".into())
        ]]
    );
    assert_eq!(a.ranges[0].scheme, "cargo");
    assert_eq!(
        a.extra.as_ref().unwrap()["database_specific"]["informational"],
        serde_json::Value::Null
    );
    assert_eq!(
        cvss(&db, "RUSTSEC-2021-0078", "rustsec"),
        (
            Some(CvssVersion::V3),
            Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N".into()),
            Some(5.3)
        )
    );
    let v = db.vulnerability("GHSA-f3pg-qwvg-p99c").unwrap().unwrap();
    assert_eq!(v.id, "CVE-2021-32715");
}

#[test]
fn ghsa_in_osv() {
    let db = db();
    let advs = db.advisories_for("npm", "Axios").unwrap();
    let a = one(&advs, "CVE-2020-28168");
    assert_eq!(
        (a.vendor_id.as_deref(), a.source.as_str()),
        (Some("GHSA-4w2v-q235-vp99"), "osv/ghsa")
    );
    assert_eq!(events(a), intro_fixed("0.21.1"));
    assert_eq!(a.ranges[0].scheme, "npm");
    let v = db.vulnerability("GHSA-4w2v-q235-vp99").unwrap().unwrap();
    assert_eq!(v.cwes, vec!["CWE-918"]);
    assert!(v
        .severities
        .iter()
        .any(|s| s.source == "ghsa" && s.label.as_deref() == Some("MODERATE")));
    assert_eq!(
        cvss(&db, "CVE-2020-28168", "ghsa"),
        (
            Some(CvssVersion::V3),
            Some("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N".into()),
            Some(5.9)
        )
    );
}

#[test]
fn withdrawn_records_are_excluded() {
    let db = db();
    // GHSA-27h2-hvpr-p74q (jsonwebtoken, CVE-2022-23529) was withdrawn on 2023-01-27.
    let advs = db.advisories_for("npm", "jsonwebtoken").unwrap();
    assert!(
        advs.iter()
            .all(|a| a.vendor_id.as_deref() != Some("GHSA-27h2-hvpr-p74q")),
        "{advs:#?}"
    );
    assert!(advs.iter().all(|a| a.vulnerability_id != "CVE-2022-23529"));
    assert_eq!(db.vulnerability("GHSA-27h2-hvpr-p74q").unwrap(), None);
}

#[test]
fn almalinux_errata_fix_each_cve() {
    let db = db();
    let advs = db.advisories_for("alma 10", "firefox").unwrap();
    for cve in [
        "CVE-2025-6424",
        "CVE-2025-6425",
        "CVE-2025-6429",
        "CVE-2025-6430",
    ] {
        let a = advs
            .iter()
            .find(|a| {
                a.vulnerability_id == cve && a.vendor_id.as_deref() == Some("ALSA-2025:10073")
            })
            .unwrap();
        assert_eq!(events(a), intro_fixed("128.12.0-1.el10_0"));
        assert_eq!(
            (a.ranges[0].scheme.as_str(), a.severity.as_deref()),
            ("rpm", Some("Important"))
        );
    }
}

#[test]
fn alpine_secfix() {
    let db = db();
    let advs = db.advisories_for("alpine 3.10", "ansible").unwrap();
    let a = one(&advs, "CVE-2019-10206");
    assert_eq!(
        (a.status, a.source.as_str(), a.vendor_id.as_deref()),
        (Status::Fixed, "alpine-secdb", None)
    );
    assert_eq!(events(a), intro_fixed("2.8.4-r0"));
    assert_eq!(a.ranges[0].scheme, "apk");
    // The one `"0"` (never affected) entry of the snapshot: v3.8/main `db`, for several CVEs.
    let zero: Vec<_> = db
        .packages()
        .unwrap()
        .into_iter()
        .filter(|(ns, _)| ns == "alpine 3.8")
        .flat_map(|(ns, p)| db.advisories_for(&ns, &p).unwrap())
        .filter(|a| a.status == Status::NotAffected)
        .collect();
    assert!(zero.len() > 1, "{zero:#?}");
    assert!(
        zero.iter()
            .all(|a| a.package == "db" && a.ranges.is_empty()),
        "{zero:#?}"
    );
    assert!(zero.iter().any(|a| a.vulnerability_id == "CVE-2016-0682"));
}

#[test]
fn dsa() {
    let db = db();
    let advs = db.advisories_for("debian 11", "apache2").unwrap();
    for cve in [
        "CVE-2006-20001",
        "CVE-2022-36760",
        "CVE-2022-37436",
        "CVE-2023-25690",
        "CVE-2023-27522",
    ] {
        let a = advs
            .iter()
            .find(|a| a.vulnerability_id == cve && a.vendor_id.as_deref() == Some("DSA-5376-1"))
            .unwrap_or_else(|| panic!("{cve}"));
        assert_eq!(
            (a.status, a.source.as_str()),
            (Status::Fixed, "debian-tracker/DSA")
        );
        assert_eq!(events(a), intro_fixed("2.4.56-1~deb11u1"));
        assert_eq!(a.ranges[0].scheme, "dpkg");
    }
    // `<not-affected>` lines keep their status: `[lenny] - vlc <not-affected>`.
    let vlc = db.advisories_for("debian 5", "vlc").unwrap();
    assert!(vlc.iter().any(|a| a.status == Status::NotAffected
        && a.vendor_id
            .as_deref()
            .is_some_and(|v| v.starts_with("DSA-"))));
}

#[test]
fn dla() {
    let db = db();
    let advs = db.advisories_for("debian 10", "systemd").unwrap();
    let a = advs
        .iter()
        .find(|a| a.vendor_id.as_deref() == Some("DLA-3377-1"))
        .unwrap();
    assert_eq!(
        (a.vulnerability_id.as_str(), a.status),
        ("CVE-2023-26604", Status::Fixed)
    );
    assert_eq!(events(a), intro_fixed("241-7~deb10u9"));
}

#[test]
fn dtsa_urgency() {
    let db = db();
    let advs = db.advisories_for("debian 4", "kismet").unwrap();
    let a = advs
        .iter()
        .find(|a| {
            a.vendor_id.as_deref() == Some("DTSA-1-1") && a.vulnerability_id == "CVE-2005-2626"
        })
        .unwrap();
    assert_eq!(
        (a.fixed_versions.as_slice(), a.severity.as_deref()),
        (&["2005.08.R1-0.1etch1".to_owned()][..], Some("high"))
    );
}

#[test]
fn rubysec() {
    let db = db();
    let advs = db.advisories_for("RubyGems", "Arabic-Prawn").unwrap();
    let a = one(&advs, "CVE-2014-2322");
    assert_eq!(
        (a.status, a.source.as_str()),
        (Status::Affected, "rubysec"),
        "never patched"
    );
    let req = a.requirements.as_ref().unwrap();
    assert_eq!(
        (
            req.scheme.as_str(),
            req.vulnerable.len(),
            req.unaffected.len()
        ),
        ("rubygems", 0, 0)
    );
    let v = db.vulnerability("CVE-2014-2322").unwrap().unwrap();
    assert!(
        v.aliases.contains(&"GHSA-hgmw-x865-hf9x".to_owned())
            && v.aliases.contains(&"OSVDB-104365".to_owned())
    );
    let s = v.severities.iter().find(|s| s.source == "rubysec").unwrap();
    assert_eq!(
        (s.cvss_version, s.score, s.vector.as_deref()),
        (Some(CvssVersion::V2), Some(7.5), None)
    );
    // Interpreters: rubies/ruby/CVE-2005-1992.yml.
    let ruby = db.advisories_for("ruby-engine", "ruby").unwrap();
    let a = one(&ruby, "CVE-2005-1992");
    assert_eq!(
        a.requirements.as_ref().unwrap().unaffected,
        vec![">= 1.8.2-r2"]
    );
    assert_eq!(a.fixed_versions, vec!["1.8.2-r2"]);
}

#[test]
fn friendsofphp() {
    let db = db();
    let advs = db.advisories_for("Packagist", "CakePHP/CakePHP").unwrap();
    let a = one(&advs, "cakephp/cakephp/2015-08-06");
    assert_eq!((a.status, a.source.as_str()), (Status::Fixed, "composer"));
    assert_eq!(a.ranges.len(), 8);
    assert_eq!(
        a.ranges[5].events,
        vec![
            RangeEvent::Introduced("2.5.0".into()),
            RangeEvent::Fixed("2.5.9".into())
        ]
    );
    assert_eq!(
        a.requirements.as_ref().unwrap().vulnerable[5],
        ">=2.5.0,<2.5.9"
    );
    assert!(a.fixed_versions.contains(&"2.7.2".to_owned()));
    let v = db
        .vulnerability("cakephp/cakephp/2015-08-06")
        .unwrap()
        .unwrap();
    assert_eq!(
        v.title.as_deref(),
        Some("Direct access of prefixed controller actions")
    );
}

#[test]
fn nodejs() {
    let db = db();
    let advs = db.advisories_for("npm", "bassmaster").unwrap();
    let a = one(&advs, "CVE-2014-7205");
    assert_eq!(a.vendor_id.as_deref(), Some("NSWG-ECO-1"));
    let req = a.requirements.as_ref().unwrap();
    assert_eq!(
        (req.vulnerable.as_slice(), req.unaffected.as_slice()),
        (&["<=1.5.1".to_owned()][..], &[">=1.5.2".to_owned()][..])
    );
    assert_eq!(a.fixed_versions, vec!["1.5.2"]);
    assert_eq!(
        cvss(&db, "CVE-2014-7205", "nodejs"),
        (
            Some(CvssVersion::V3),
            Some("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N".into()),
            Some(6.5)
        )
    );
    let core = db.advisories_for("nodejs", "node").unwrap();
    let a = one(&core, "CVE-2017-1000381");
    assert_eq!(
        (a.vendor_id.as_deref(), a.severity.as_deref()),
        (Some("NSWG-CORE-1"), Some("high"))
    );
    assert_eq!(a.fixed_versions, vec!["8.1.4", "7.10.1", "4.8.4", "6.11.1"]);
    let a = one(&core, "CVE-2023-45853");
    assert_eq!(a.status, Status::NotAffected);
}

#[test]
fn kev() {
    let db = db();
    let v = db.vulnerability("CVE-2025-48384").unwrap().unwrap();
    let kev = v.kev.unwrap();
    assert_eq!(
        (
            kev.date_added.as_str(),
            kev.due_date.as_deref(),
            kev.ransomware.as_deref()
        ),
        ("2025-08-25", Some("2025-09-15"), Some("Unknown"))
    );
    // A KEV flag lands on the merged vulnerability other feeds describe.
    let log4shell = db.vulnerability("CVE-2021-44228").unwrap().unwrap();
    assert_eq!(log4shell.kev.unwrap().date_added, "2021-12-10");
}

#[test]
fn azure_linux_oval() {
    let db = db();
    let advs = db.advisories_for("azurelinux 3.0", "oath-toolkit").unwrap();
    let a = one(&advs, "CVE-2024-47191");
    assert_eq!(
        (a.status, a.severity.as_deref()),
        (Status::Fixed, Some("High"))
    );
    assert_eq!(events(a), intro_fixed("0:2.6.7-3.azl3"));
    assert_eq!(a.ranges[0].scheme, "rpm");
    let na = db
        .advisories_for("azurelinux 3.0", "cloud-hypervisor")
        .unwrap();
    assert_eq!(one(&na, "CVE-2023-45853").status, Status::NotAffected);
}

#[test]
fn wolfi_secdb() {
    let db = db();
    let advs = db.advisories_for("wolfi", "binutils").unwrap();
    let a = advs
        .iter()
        .find(|a| a.vulnerability_id == "CVE-2022-38533")
        .unwrap();
    assert_eq!(events(a), intro_fixed("2.39-r2"));
}

#[test]
fn unknown_keys_return_nothing() {
    let db = db();
    assert!(db
        .advisories_for("PyPI", "no-such-package-anywhere")
        .unwrap()
        .is_empty());
    assert!(db.vulnerability("CVE-1999-99999999").unwrap().is_none());
}

#[test]
fn nvd_sample_enriches() {
    let db = db();
    let v = db.vulnerability("CVE-2022-1576").unwrap().unwrap();
    assert_eq!(v.cwes, vec!["CWE-352"]);
    let nvd: Vec<_> = v
        .severities
        .iter()
        .filter(|s| s.source == "nvd")
        .map(|s| (s.cvss_version, s.vector.as_deref(), s.score))
        .collect();
    assert_eq!(
        nvd,
        vec![
            (
                Some(CvssVersion::V2),
                Some("AV:N/AC:M/Au:N/C:N/I:P/A:N"),
                Some(4.3)
            ),
            (
                Some(CvssVersion::V3),
                Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N"),
                Some(6.5)
            ),
        ]
    );
}

#[test]
fn photon_sample() {
    let db = db();
    let advs = db.advisories_for("photon 3.0", "ansible").unwrap();
    let a = one(&advs, "CVE-2019-3828");
    assert_eq!(
        (a.status, a.source.as_str()),
        (Status::Fixed, "samples/photon")
    );
    assert_eq!(events(a), intro_fixed("2.7.6-2.ph3"));
}

#[test]
fn maven_ghsa_uses_group_colon_artifact() {
    let db = db();
    // Either separator finds it: inventories may write `group/artifact`.
    let advs = db
        .advisories_for("Maven", "org.apache.commons/commons-text")
        .unwrap();
    let a = one(&advs, "CVE-2022-42889");
    assert_eq!(
        (a.package.as_str(), a.vendor_id.as_deref()),
        (
            "org.apache.commons:commons-text",
            Some("GHSA-599f-7c49-w659")
        )
    );
    assert_eq!(
        a.ranges[0].events,
        vec![
            RangeEvent::Introduced("1.5".into()),
            RangeEvent::Fixed("1.10.0".into())
        ]
    );
    assert_eq!(a.ranges[0].scheme, "maven");
    let v = db.vulnerability("CVE-2022-42889").unwrap().unwrap();
    assert!(v
        .severities
        .iter()
        .any(|s| s.source == "ghsa" && s.label.as_deref() == Some("CRITICAL")));
}

#[test]
fn debian_tracker_json_sample() {
    let db = db();
    let advs = db.advisories_for("debian 9", "prototypejs").unwrap();
    let a = one(&advs, "CVE-2008-7220");
    assert_eq!(
        (a.status, a.severity.as_deref(), a.source.as_str()),
        (Status::Fixed, Some("high"), "samples/debian-tracker-json")
    );
    assert_eq!(events(a), intro_fixed("1.6.0.2-1"));
    let v = db.vulnerability("CVE-2008-7220").unwrap().unwrap();
    assert!(v
        .description
        .unwrap()
        .starts_with("Unspecified vulnerability in Prototype"));
}

#[test]
fn debian_cve_list_excerpt() {
    let db = db();
    // `- putty 0.75-3 (low; bug #990901)` is unstable; `[bullseye] - putty <no-dsa>`.
    let sid = db.advisories_for("debian sid", "putty").unwrap();
    let a = one(&sid, "CVE-2021-36367");
    assert_eq!(
        (a.status, a.severity.as_deref()),
        (Status::Fixed, Some("low"))
    );
    assert_eq!(events(a), intro_fixed("0.75-3"));
    let bullseye = db.advisories_for("debian 11", "putty").unwrap();
    assert_eq!(one(&bullseye, "CVE-2021-36367").status, Status::WillNotFix);
    // `- ant <unfixed> (unimportant)`.
    let ant = db.advisories_for("debian sid", "ant").unwrap();
    let a = one(&ant, "CVE-2021-36373");
    assert_eq!(
        (a.status, a.severity.as_deref()),
        (Status::Affected, Some("unimportant"))
    );
}

#[test]
fn ubuntu_osv_sample_namespaces() {
    let db = db();
    let keys = db.packages().unwrap();
    assert!(
        keys.iter().any(|(ns, _)| ns == "ubuntu 22.04"),
        "{:?}",
        keys.iter()
            .filter(|(n, _)| n.starts_with("ubuntu"))
            .collect::<Vec<_>>()
    );
    assert!(keys.iter().any(|(ns, _)| ns.starts_with("ubuntu-pro ")));
}

#[test]
fn rustsec_cvss_v4() {
    let db = db();
    let (version, vector, score) = cvss(&db, "RUSTSEC-2024-0445", "rustsec");
    assert_eq!(version, Some(CvssVersion::V4));
    assert_eq!(
        vector.as_deref(),
        Some("CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N")
    );
    assert!(score.is_some_and(|s| s > 0.0 && s <= 10.0), "{score:?}");
    let advs = db.advisories_for("crates.io", "cap-primitives").unwrap();
    assert_eq!(
        one(&advs, "CVE-2024-51756").vendor_id.as_deref(),
        Some("RUSTSEC-2024-0445")
    );
}
