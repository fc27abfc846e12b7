//! An installed `.egg` (a zip file): its `EGG-INFO/PKG-INFO` is core metadata.

use std::io::{Cursor, Read};

use atalaia_types::Application;

use crate::LangError;

const KIND: &str = "python-egg";
/// The largest `PKG-INFO` read.
const MAX_PKG_INFO: u64 = 1 << 20;

/// Parses a `.egg` archive.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| LangError::new(path, KIND, format!("not a zip archive ({e})")))?;
    let entry = zip
        .by_name("EGG-INFO/PKG-INFO")
        .map_err(|_| LangError::new(path, KIND, "no `EGG-INFO/PKG-INFO`"))?;
    let mut buf = Vec::new();
    entry
        .take(MAX_PKG_INFO)
        .read_to_end(&mut buf)
        .map_err(|e| {
            LangError::new(path, KIND, format!("cannot read `EGG-INFO/PKG-INFO` ({e})"))
        })?;
    let mut app =
        super::metadata::parse(path, &buf).map_err(|e| LangError::new(path, KIND, e.reason))?;
    app.app_type = KIND.to_owned();
    Ok(app)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn egg() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file(
            "EGG-INFO/PKG-INFO",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(b"Metadata-Version: 1.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n")
            .unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let app = parse(
            "usr/lib/python2.7/site-packages/six-1.16.0-py2.7.egg",
            &bytes,
        )
        .unwrap();
        assert_eq!(app.app_type, "python-egg");
        assert_eq!(app.packages[0].id, "six@1.16.0");
        assert_eq!(
            app.packages[0].file_path,
            "/usr/lib/python2.7/site-packages/six-1.16.0-py2.7.egg"
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("x.egg", b"PK\x03\x04").is_err());
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("other", zip::write::SimpleFileOptions::default())
            .unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert!(parse("x.egg", &bytes).is_err());
    }
}
