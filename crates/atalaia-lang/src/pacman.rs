//! Arch Linux's installed-package database: `var/lib/pacman/local/<name>-<version>/desc`, blocks
//! of `%FIELD%` followed by value lines. Versions are `[epoch:]pkgver-pkgrel`, split into
//! `epoch`, `version` and `release` like other OS packages. Trivy does not read it (Syft does).

use atalaia_types::{Application, Ecosystem, Package, Purl};

use crate::util::rooted;
use crate::LangError;

const KIND: &str = "pacman";

/// Parses one `desc` file.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let mut fields: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.len() > 2 && t.starts_with('%') && t.ends_with('%') {
            fields.push((&t[1..t.len() - 1], Vec::new()));
        } else if !t.is_empty() {
            match fields.last_mut() {
                Some((_, values)) => values.push(t),
                None => return Err(LangError::new(path, KIND, "a value before any `%FIELD%`")),
            }
        }
    }
    let get = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| *f == k)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    };
    let name = get("NAME")
        .first()
        .ok_or_else(|| LangError::new(path, KIND, "no `%NAME%`"))?;
    let full = get("VERSION")
        .first()
        .ok_or_else(|| LangError::new(path, KIND, "no `%VERSION%`"))?;
    let (epoch, rest) = match full.split_once(':') {
        Some((e, r)) => (
            e.parse::<u32>()
                .map_err(|_| LangError::new(path, KIND, format!("bad epoch in `{full}`")))?,
            r,
        ),
        None => (0, *full),
    };
    let (version, release) = rest.rsplit_once('-').unwrap_or((rest, ""));
    let arch = get("ARCH").first().copied().unwrap_or("");
    // As Trivy writes OS package purls: the epoch as a qualifier, not in the version.
    let epoch_q = if epoch == 0 {
        String::new()
    } else {
        epoch.to_string()
    };
    let purl = Purl::new("alpm", "arch", name, rest)
        .with_qualifier("arch", arch)
        .with_qualifier("epoch", &epoch_q);
    let mut pkg = Package::new(Ecosystem::Pacman, *name, version, purl);
    pkg.id = format!("{name}@{full}");
    pkg.release = release.to_owned();
    pkg.epoch = epoch;
    pkg.arch = arch.to_owned();
    pkg.licenses = get("LICENSE").iter().map(|s| (*s).to_owned()).collect();
    pkg.maintainer = get("PACKAGER")
        .first()
        .map(|s| (*s).to_owned())
        .unwrap_or_default();
    if let Some(base) = get("BASE").first() {
        pkg.src_name = (*base).to_owned();
        pkg.src_version = version.to_owned();
        pkg.src_release = release.to_owned();
        pkg.src_epoch = epoch;
    }
    pkg.file_path = rooted(path);
    Ok(Application {
        app_type: KIND.to_owned(),
        file_path: path.to_owned(),
        packages: vec![pkg],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desc() {
        let desc = "%NAME%\nopenssl\n\n%VERSION%\n1:3.1.4-1\n\n%BASE%\nopenssl\n\n%ARCH%\nx86_64\n\n%LICENSE%\nApache-2.0\n\n%PACKAGER%\nSomeone <x@example.invalid>\n";
        let app = parse(
            "var/lib/pacman/local/openssl-1:3.1.4-1/desc",
            desc.as_bytes(),
        )
        .unwrap();
        let p = &app.packages[0];
        assert_eq!(
            (p.version.as_str(), p.release.as_str(), p.epoch),
            ("3.1.4", "1", 1)
        );
        assert_eq!(p.full_version(), "1:3.1.4-1");
        assert_eq!(
            p.purl.to_string(),
            "pkg:alpm/arch/openssl@3.1.4-1?arch=x86_64&epoch=1"
        );
        assert_eq!(p.licenses, ["Apache-2.0"]);
        assert_eq!(p.src_name, "openssl");
    }

    #[test]
    fn malformed() {
        assert!(parse("desc", b"openssl\n").is_err());
        assert!(parse("desc", b"%NAME%\nx\n").is_err());
        assert!(parse("desc", b"%NAME%\nx\n%VERSION%\nz:1-1\n").is_err());
    }
}
