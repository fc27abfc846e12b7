//! Files Trivy never hands to its secret scanner, so that callers walking a file tree or a layer
//! can skip them the same way: lockfiles and checksum files full of high-entropy strings, images,
//! archives, and `.git` / `node_modules` directories. Files under [`MIN_FILE_SIZE`] bytes are
//! skipped too.

/// Files smaller than this are not scanned (Trivy's limit).
pub const MIN_FILE_SIZE: u64 = 10;

const SKIP_FILE_NAMES: &[&str] = &[
    "go.mod",
    "go.sum",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "Pipfile.lock",
    "Gemfile.lock",
];

const SKIP_DIRS: &[&str] = &[".git", "node_modules"];

/// Images, archives and packages, documents, fonts, media and other binary formats.
const SKIP_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "bmp", "ico", "webp", "tif", "tiff", "svg", "psd", "heic", "zip",
    "gz", "tgz", "tar", "bz2", "xz", "zst", "7z", "rar", "jar", "war", "ear", "whl", "deb", "rpm",
    "apk", "iso", "dmg", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "pdf", "woff", "woff2",
    "ttf", "otf", "eot", "mp3", "mp4", "avi", "mov", "wav", "bin", "socket", "exe", "dll", "so",
    "a", "o", "class",
];

/// Whether a file at `path` (`/`-separated, relative or absolute) is never scanned for secrets.
pub fn is_skipped_path(path: &str) -> bool {
    let mut components = path.split('/').filter(|c| !c.is_empty()).peekable();
    while let Some(component) = components.next() {
        let is_last = components.peek().is_none();
        if !is_last {
            if SKIP_DIRS.contains(&component) {
                return true;
            }
            continue;
        }
        if SKIP_FILE_NAMES.contains(&component) {
            return true;
        }
        if let Some((_, ext)) = component.rsplit_once('.') {
            let ext = ext.to_ascii_lowercase();
            return SKIP_EXTENSIONS.contains(&ext.as_str());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped() {
        for p in [
            "package-lock.json",
            "app/yarn.lock",
            "node_modules/x/.credentials",
            "/srv/.git/config",
            "logo.PNG",
            "dist/app.zip",
            "go.sum",
        ] {
            assert!(is_skipped_path(p), "{p}");
        }
    }

    #[test]
    fn scanned() {
        for p in [
            "app/.env",
            "Cargo.lock",
            "poetry.lock",
            "composer.lock",
            "src/main.rs",
            "id_rsa",
            "",
            "/",
        ] {
            assert!(!is_skipped_path(p), "{p}");
        }
    }
}
