//! The `vulnerabilities.data` blob (schema 3): a vulnerability's details in a compact binary
//! form, and [`VulnerabilityRecord`], a view over it that hands out `&str` without a copy per
//! field.
//!
//! Scans read the details of every vulnerability they report, so decoding is on the hot path:
//! the blob keeps every string in one text section (validated as UTF-8 once, then sliced) and
//! the structure apart, so a record is two allocations whatever the number of references,
//! aliases or severity entries, and building a finding copies each string once, straight from
//! the record.
//!
//! Layout (integers are LEB128 varints; `str` is a `(start, len)` span of the text section,
//! `opt` is `0` for none or `1 str`; `f64` is 8 bytes little-endian):
//!
//! ```text
//! blob       := FORMAT text_len text structure
//! structure  := id:str aliases title:opt description:opt cwes references published:opt
//!               modified:opt severities kev
//! aliases, cwes, references := count str*
//! severities := count (source:str label:opt cvss:u8 vector:opt score:(0 | 1 f64))*
//! kev        := 0 | 1 date_added:str ransomware:opt due_date:opt
//! ```

use crate::model::{CvssVersion, KevEntry, SeverityEntry, Vulnerability};
use crate::packed::PackedError;

/// The first byte of a details blob.
const FORMAT: u8 = 3;

type Span = (u32, u32);

struct Encoder {
    text: String,
    body: Vec<u8>,
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

impl Encoder {
    fn str(&mut self, s: &str) {
        put_varint(&mut self.body, self.text.len() as u64);
        put_varint(&mut self.body, s.len() as u64);
        self.text.push_str(s);
    }

    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.body.push(1);
                self.str(s);
            }
            None => self.body.push(0),
        }
    }

    fn list(&mut self, items: &[String]) {
        put_varint(&mut self.body, items.len() as u64);
        for s in items {
            self.str(s);
        }
    }
}

/// Encodes a vulnerability's details.
pub(crate) fn encode(v: &Vulnerability) -> Vec<u8> {
    let mut e = Encoder {
        text: String::new(),
        body: Vec::new(),
    };
    e.str(&v.id);
    e.list(&v.aliases);
    e.opt(v.title.as_deref());
    e.opt(v.description.as_deref());
    e.list(&v.cwes);
    e.list(&v.references);
    e.opt(v.published.as_deref());
    e.opt(v.modified.as_deref());
    put_varint(&mut e.body, v.severities.len() as u64);
    for s in &v.severities {
        e.str(&s.source);
        e.opt(s.label.as_deref());
        e.body.push(match s.cvss_version {
            None => 0,
            Some(CvssVersion::V2) => 2,
            Some(CvssVersion::V3) => 3,
            Some(CvssVersion::V4) => 4,
        });
        e.opt(s.vector.as_deref());
        match s.score {
            Some(x) => {
                e.body.push(1);
                e.body.extend_from_slice(&x.to_le_bytes());
            }
            None => e.body.push(0),
        }
    }
    match &v.kev {
        Some(k) => {
            e.body.push(1);
            e.str(&k.date_added);
            e.opt(k.ransomware.as_deref());
            e.opt(k.due_date.as_deref());
        }
        None => e.body.push(0),
    }
    let mut out = Vec::with_capacity(e.text.len() + e.body.len() + 8);
    out.push(FORMAT);
    put_varint(&mut out, e.text.len() as u64);
    out.extend_from_slice(e.text.as_bytes());
    out.extend_from_slice(&e.body);
    out
}

/// One severity statement of a [`VulnerabilityRecord`], borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeverityRef<'a> {
    /// Who says so (`ghsa`, `nvd`, …).
    pub source: &'a str,
    /// The label, when the source gives one.
    pub label: Option<&'a str>,
    /// The CVSS version, when this is a CVSS statement.
    pub cvss_version: Option<CvssVersion>,
    /// The CVSS vector.
    pub vector: Option<&'a str>,
    /// The CVSS base score.
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Copy)]
struct SevRec {
    source: Span,
    label: Option<Span>,
    cvss: Option<CvssVersion>,
    vector: Option<Span>,
    score: Option<f64>,
}

/// A vulnerability's details as stored (a packed binary record): every string borrowed
/// from one buffer. [`VulnerabilityRecord::to_vulnerability`] gives the owned form.
#[derive(Debug, Clone)]
pub struct VulnerabilityRecord {
    text: String,
    id: Span,
    title: Option<Span>,
    description: Option<Span>,
    published: Option<Span>,
    modified: Option<Span>,
    /// `lists[aliases.0..aliases.1]` etc.
    lists: Vec<Span>,
    aliases: (u32, u32),
    cwes: (u32, u32),
    references: (u32, u32),
    severities: Vec<SevRec>,
    kev: Option<(Span, Option<Span>, Option<Span>)>,
}

/// The packed-blob cursor, plus the length of the text block every span must fall inside.
struct Reader<'a> {
    raw: crate::packed::Reader<'a>,
    text_len: u64,
}

impl Reader<'_> {
    fn span(&mut self) -> Result<Span, PackedError> {
        let start = self.raw.varint()?;
        let len = self.raw.varint()?;
        match start.checked_add(len) {
            Some(end) if end <= self.text_len => Ok((start as u32, end as u32)),
            _ => Err(PackedError("a string lies outside the text")),
        }
    }

    fn opt(&mut self) -> Result<Option<Span>, PackedError> {
        match self.raw.byte()? {
            0 => Ok(None),
            1 => self.span().map(Some),
            _ => Err(PackedError("bad optional-string flag")),
        }
    }

    fn list(&mut self, lists: &mut Vec<Span>) -> Result<(u32, u32), PackedError> {
        let n = self.raw.count()?;
        let start = lists.len() as u32;
        for _ in 0..n {
            lists.push(self.span()?);
        }
        Ok((start, lists.len() as u32))
    }
}

impl VulnerabilityRecord {
    /// Decodes a details blob; every length and span is checked, so a corrupt blob is an error.
    pub(crate) fn decode(blob: &[u8]) -> Result<VulnerabilityRecord, PackedError> {
        let mut r = Reader {
            raw: crate::packed::Reader { buf: blob, pos: 0 },
            text_len: 0,
        };
        if r.raw.byte()? != FORMAT {
            return Err(PackedError("unknown details format"));
        }
        let text_len = r.raw.count()?;
        let text = std::str::from_utf8(&blob[r.raw.pos..r.raw.pos + text_len])
            .map_err(|_| PackedError("a string is not UTF-8"))?
            .to_owned();
        r.raw.pos += text_len;
        r.text_len = text_len as u64;
        let mut lists = Vec::new();
        let id = r.span()?;
        let aliases = r.list(&mut lists)?;
        let title = r.opt()?;
        let description = r.opt()?;
        let cwes = r.list(&mut lists)?;
        let references = r.list(&mut lists)?;
        let published = r.opt()?;
        let modified = r.opt()?;
        let n = r.raw.count()?;
        let mut severities = Vec::with_capacity(n);
        for _ in 0..n {
            let source = r.span()?;
            let label = r.opt()?;
            let cvss = match r.raw.byte()? {
                0 => None,
                2 => Some(CvssVersion::V2),
                3 => Some(CvssVersion::V3),
                4 => Some(CvssVersion::V4),
                _ => return Err(PackedError("unknown CVSS version")),
            };
            let vector = r.opt()?;
            let score = match r.raw.byte()? {
                0 => None,
                1 => {
                    let bytes = blob
                        .get(r.raw.pos..r.raw.pos + 8)
                        .ok_or(PackedError("the details blob ends early"))?;
                    r.raw.pos += 8;
                    let mut b = [0u8; 8];
                    b.copy_from_slice(bytes);
                    Some(f64::from_le_bytes(b))
                }
                _ => return Err(PackedError("bad score flag")),
            };
            severities.push(SevRec {
                source,
                label,
                cvss,
                vector,
                score,
            });
        }
        let kev = match r.raw.byte()? {
            0 => None,
            1 => Some((r.span()?, r.opt()?, r.opt()?)),
            _ => return Err(PackedError("bad KEV flag")),
        };
        if r.raw.pos != blob.len() {
            return Err(PackedError("trailing bytes after the details"));
        }
        // Spans must fall on character boundaries for slicing to succeed later.
        let boundary =
            |(a, b): Span| text.is_char_boundary(a as usize) && text.is_char_boundary(b as usize);
        let all_spans = [Some(id), title, description, published, modified]
            .into_iter()
            .flatten()
            .chain(lists.iter().copied())
            .chain(
                severities
                    .iter()
                    .flat_map(|s| [Some(s.source), s.label, s.vector])
                    .flatten(),
            )
            .chain(
                kev.iter()
                    .flat_map(|(a, b, c)| [Some(*a), *b, *c])
                    .flatten(),
            );
        for s in all_spans {
            if !boundary(s) {
                return Err(PackedError("a string is not UTF-8"));
            }
        }
        Ok(VulnerabilityRecord {
            text,
            id,
            title,
            description,
            published,
            modified,
            lists,
            aliases,
            cwes,
            references,
            severities,
            kev,
        })
    }

    /// The record of an owned vulnerability (for in-memory stores and tests).
    pub fn from_vulnerability(v: &Vulnerability) -> VulnerabilityRecord {
        // `encode` writes only what `decode` reads.
        VulnerabilityRecord::decode(&encode(v)).unwrap_or_else(|_| VulnerabilityRecord {
            text: String::new(),
            id: (0, 0),
            title: None,
            description: None,
            published: None,
            modified: None,
            lists: Vec::new(),
            aliases: (0, 0),
            cwes: (0, 0),
            references: (0, 0),
            severities: Vec::new(),
            kev: None,
        })
    }

    fn str(&self, (a, b): Span) -> &str {
        // Spans were checked against `text` in `decode`.
        self.text.get(a as usize..b as usize).unwrap_or_default()
    }

    fn list(&self, (a, b): (u32, u32)) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.lists[a as usize..b as usize]
            .iter()
            .map(move |s| self.str(*s))
    }

    /// The canonical ID.
    pub fn id(&self) -> &str {
        self.str(self.id)
    }

    /// Every other ID merged into it, sorted.
    pub fn aliases(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.list(self.aliases)
    }

    /// The one-line title.
    pub fn title(&self) -> Option<&str> {
        self.title.map(|s| self.str(s))
    }

    /// The description.
    pub fn description(&self) -> Option<&str> {
        self.description.map(|s| self.str(s))
    }

    /// CWE IDs, sorted.
    pub fn cwes(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.list(self.cwes)
    }

    /// Reference URLs.
    pub fn references(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.list(self.references)
    }

    /// The earliest publication date.
    pub fn published(&self) -> Option<&str> {
        self.published.map(|s| self.str(s))
    }

    /// The latest modification date.
    pub fn modified(&self) -> Option<&str> {
        self.modified.map(|s| self.str(s))
    }

    /// Severity statements, in stored order.
    pub fn severities(&self) -> impl ExactSizeIterator<Item = SeverityRef<'_>> + '_ {
        self.severities.iter().map(move |s| SeverityRef {
            source: self.str(s.source),
            label: s.label.map(|x| self.str(x)),
            cvss_version: s.cvss,
            vector: s.vector.map(|x| self.str(x)),
            score: s.score,
        })
    }

    /// Whether the vulnerability is in CISA's KEV catalog.
    pub fn is_kev(&self) -> bool {
        self.kev.is_some()
    }

    /// The owned [`Vulnerability`].
    pub fn to_vulnerability(&self) -> Vulnerability {
        let own = |s: &str| s.to_owned();
        Vulnerability {
            id: self.id().to_owned(),
            aliases: self.aliases().map(own).collect(),
            title: self.title().map(own),
            description: self.description().map(own),
            cwes: self.cwes().map(own).collect(),
            references: self.references().map(own).collect(),
            published: self.published().map(own),
            modified: self.modified().map(own),
            severities: self
                .severities()
                .map(|s| SeverityEntry {
                    source: s.source.to_owned(),
                    label: s.label.map(own),
                    cvss_version: s.cvss_version,
                    vector: s.vector.map(own),
                    score: s.score,
                })
                .collect(),
            kev: self.kev.map(|(d, r, due)| KevEntry {
                date_added: self.str(d).to_owned(),
                ransomware: r.map(|x| self.str(x).to_owned()),
                due_date: due.map(|x| self.str(x).to_owned()),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vulnerability {
        Vulnerability {
            id: "CVE-2021-44228".into(),
            aliases: vec!["GHSA-jfh8-c2jp-5v3q".into()],
            title: Some("Log4Shell — remote code execution".into()),
            description: Some("JNDI lookups… ünïcödé".into()),
            cwes: vec!["CWE-502".into(), "CWE-917".into()],
            references: vec!["https://a".into(), "https://b".into()],
            published: Some("2021-12-10".into()),
            modified: None,
            severities: vec![
                SeverityEntry {
                    source: "nvd".into(),
                    label: None,
                    cvss_version: Some(CvssVersion::V3),
                    vector: Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H".into()),
                    score: Some(10.0),
                },
                SeverityEntry {
                    source: "ghsa".into(),
                    label: Some("CRITICAL".into()),
                    cvss_version: None,
                    vector: None,
                    score: None,
                },
            ],
            kev: Some(KevEntry {
                date_added: "2021-12-10".into(),
                ransomware: Some("Known".into()),
                due_date: None,
            }),
        }
    }

    #[test]
    fn round_trip() {
        let v = sample();
        let r = VulnerabilityRecord::decode(&encode(&v)).unwrap();
        assert_eq!(r.to_vulnerability(), v);
        assert_eq!(r.id(), "CVE-2021-44228");
        assert_eq!(
            r.references().collect::<Vec<_>>(),
            ["https://a", "https://b"]
        );
        assert!(r.is_kev());
        let empty = Vulnerability {
            id: "X".into(),
            aliases: vec![],
            title: None,
            description: None,
            cwes: vec![],
            references: vec![],
            published: None,
            modified: None,
            severities: vec![],
            kev: None,
        };
        assert_eq!(
            VulnerabilityRecord::from_vulnerability(&empty).to_vulnerability(),
            empty
        );
    }

    #[test]
    fn every_truncation_and_corruption_is_an_error_not_a_panic() {
        let blob = encode(&sample());
        for end in 0..blob.len() {
            assert!(VulnerabilityRecord::decode(&blob[..end]).is_err(), "{end}");
        }
        for i in 0..blob.len() {
            for b in [0u8, 1, 0x7f, 0x80, 0xff] {
                let mut bad = blob.clone();
                bad[i] = b;
                if let Ok(r) = VulnerabilityRecord::decode(&bad) {
                    let _ = r.to_vulnerability();
                }
            }
        }
        assert!(VulnerabilityRecord::decode(&[2]).is_err());
        assert!(VulnerabilityRecord::decode(b"{\"id\":\"CVE-1\"}").is_err());
        let mut trailing = blob;
        trailing.push(0);
        assert!(VulnerabilityRecord::decode(&trailing).is_err());
    }
}
