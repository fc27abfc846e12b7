//! Central package management: `Directory.Packages.props` (and `Packages.props`):
//! `<PackageVersion Include="Name" Version="1.0" />` items (and the older `<PackageReference
//! Update=… Version=…>` form).

use atalaia_types::{Application, Location};

use super::nuget_package;
use crate::util::{application, LineIndex};
use crate::LangError;

const KIND: &str = "packages-props";

/// Parses a `*.props` file.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    if !text.contains("<Project") {
        return Err(LangError::new(path, KIND, "no `<Project>` element"));
    }
    let lines = LineIndex::new(text);
    let mut packages = Vec::new();
    for tag_name in ["<PackageVersion ", "<PackageReference "] {
        let mut at = 0;
        while let Some(rel) = text[at..].find(tag_name) {
            let start = at + rel;
            let end = text[start..].find('>').map(|e| start + e).ok_or_else(|| {
                LangError::new(
                    path,
                    KIND,
                    format!("unterminated `{}` tag", tag_name.trim()),
                )
            })?;
            let tag = &text[start..end];
            let name = super::packages_config::attr(tag, "Include")
                .or_else(|| super::packages_config::attr(tag, "Update"));
            if let (Some(name), Some(version)) =
                (name, super::packages_config::attr(tag, "Version"))
            {
                if !version.contains("$(") {
                    let mut pkg = nuget_package(name, version);
                    pkg.locations.push(Location {
                        start_line: lines.line(start),
                        end_line: lines.line(end),
                    });
                    packages.push(pkg);
                }
            }
            at = end;
        }
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn props() {
        let xml = "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageVersion Include=\"Newtonsoft.Json\" Version=\"13.0.3\" />\n    <PackageVersion Include=\"Serilog\" Version=\"$(SerilogVersion)\" />\n    <PackageReference Update=\"xunit\" Version=\"2.6.1\" />\n  </ItemGroup>\n</Project>\n";
        let app = parse("Directory.Packages.props", xml.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.locations[0].start_line))
            .collect();
        assert_eq!(got, [("Newtonsoft.Json@13.0.3", 6), ("xunit@2.6.1", 8)]);
    }

    #[test]
    fn malformed() {
        assert!(parse(
            "Directory.Packages.props",
            b"<Project><PackageVersion Include=\"a\""
        )
        .is_err());
        assert!(parse("Directory.Packages.props", b"nothing").is_err());
    }
}
