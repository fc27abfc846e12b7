//! Per-layer progress of a pull (`--image-src remote`): one line per layer being downloaded,
//! with the bytes unpacked so far. Drawn on stderr only when it is a terminal, and never with
//! `--quiet` or when `CI` is set. Layers the cache holds are never opened, so they get no line.

use std::io::{IsTerminal as _, Read};

use atalaia_analyze::LayerSource;
use atalaia_artifact::ArtifactError;
use atalaia_remote::RemoteLayer;
use atalaia_types::LayerInfo;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A layer that shows its progress while it streams.
pub(crate) struct ProgressLayer<'a> {
    inner: &'a RemoteLayer,
    bars: Option<MultiProgress>,
}

/// Whether progress bars are drawn: stderr is a terminal, not `--quiet`, not in CI.
fn enabled() -> bool {
    std::io::stderr().is_terminal()
        && tracing::enabled!(tracing::Level::WARN)
        && std::env::var_os("CI").is_none()
}

/// The layers of a remote image, each showing its progress when bars are [`enabled`].
pub(crate) fn wrap(layers: &[RemoteLayer]) -> Vec<ProgressLayer<'_>> {
    let bars = enabled().then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
    layers
        .iter()
        .map(|inner| ProgressLayer {
            inner,
            bars: bars.clone(),
        })
        .collect()
}

impl LayerSource for ProgressLayer<'_> {
    fn info(&self) -> &LayerInfo {
        self.inner.info()
    }

    fn open(&self) -> Result<Box<dyn Read + Send>, ArtifactError> {
        let reader = self.inner.open()?;
        let Some(bars) = &self.bars else {
            return Ok(reader);
        };
        let bar = bars.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix} {bytes} unpacked ({bytes_per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let digest = self.inner.info.digest.as_str();
        let short = digest.get(..19).unwrap_or(digest);
        bar.set_prefix(format!("{short} ({} bytes)", self.inner.info.size));
        Ok(Box::new(Progress { reader, bar }))
    }
}

/// Counts the bytes read into a bar; clears the bar when the layer is done (or dropped).
struct Progress {
    reader: Box<dyn Read + Send>,
    bar: ProgressBar,
}

impl Read for Progress {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.reader.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
