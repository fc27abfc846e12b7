//! The `packages.advisories` blob: every advisory of one `(namespace, package)` in a compact
//! binary form, and [`PackageAdvisories`], a borrowed view over it.
//!
//! Lookups are on the hot path of every scan, so the blob is built for decoding: all strings
//! of the package (IDs, versions, schemes, sources) are stored once in a string table and the
//! advisories refer to them by index. Decoding validates the whole blob once (bounds, UTF-8,
//! indices) and then hands out `&str` slices; nothing per advisory is allocated. Callers that
//! memoise work per string (the matcher parses each distinct version once) use
//! [`Interned::index`].
//!
//! Layout (integers are LEB128 varints, `opt` is `0` for none or `index + 1`):
//!
//! ```text
//! blob     := FORMAT strings advisories
//! strings  := count (len bytes)*            every string, UTF-8, each once
//! advisory := ids vendor:opt source status:u8 written:opt ranges versions requirements
//!             fixed severity:opt extra:opt
//! ids      := count (index key)*            vulnerability IDs sharing this advisory, each with
//!                                          its details row (`vulnerabilities.n`, 0: none)
//! ranges   := count (type:u8 scheme:index count (kind:u8 version:index)*)*
//! versions := count index*
//! requirements := 0 | 1 scheme:index count index* count index*
//! fixed    := 0 (the ranges' fixed events) | 1 count index*
//! ```

use std::collections::HashMap;

use crate::model::{Advisory, AffectedRange, RangeEvent, RangeType, Requirements, Status};

/// The first byte of a blob; a different byte is a format this build cannot read.
const FORMAT: u8 = 3;

/// Why a blob could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackedError(pub(crate) &'static str);

impl std::fmt::Display for PackedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

const STATUSES: [Status; 6] = [
    Status::Fixed,
    Status::Affected,
    Status::WillNotFix,
    Status::FixDeferred,
    Status::EndOfLife,
    Status::NotAffected,
];

fn status_code(s: Status) -> u8 {
    match s {
        Status::Fixed => 0,
        Status::Affected => 1,
        Status::WillNotFix => 2,
        Status::FixDeferred => 3,
        Status::EndOfLife => 4,
        Status::NotAffected => 5,
    }
}

/// The kind of an OSV range event, without its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// `introduced` (inclusive).
    Introduced,
    /// `fixed` (exclusive).
    Fixed,
    /// `last_affected` (inclusive).
    LastAffected,
    /// `limit` (exclusive, bounds the whole range).
    Limit,
}

impl EventKind {
    fn code(self) -> u8 {
        match self {
            EventKind::Introduced => 0,
            EventKind::Fixed => 1,
            EventKind::LastAffected => 2,
            EventKind::Limit => 3,
        }
    }

    fn from_code(c: u8) -> Option<Self> {
        Some(match c {
            0 => EventKind::Introduced,
            1 => EventKind::Fixed,
            2 => EventKind::LastAffected,
            3 => EventKind::Limit,
            _ => return None,
        })
    }

    fn of(e: &RangeEvent) -> (Self, &str) {
        match e {
            RangeEvent::Introduced(v) => (EventKind::Introduced, v),
            RangeEvent::Fixed(v) => (EventKind::Fixed, v),
            RangeEvent::LastAffected(v) => (EventKind::LastAffected, v),
            RangeEvent::Limit(v) => (EventKind::Limit, v),
        }
    }

    fn event(self, v: String) -> RangeEvent {
        match self {
            EventKind::Introduced => RangeEvent::Introduced(v),
            EventKind::Fixed => RangeEvent::Fixed(v),
            EventKind::LastAffected => RangeEvent::LastAffected(v),
            EventKind::Limit => RangeEvent::Limit(v),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding (the builder).

struct Encoder<'a> {
    strings: HashMap<&'a str, u32>,
    table: Vec<&'a str>,
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

impl<'a> Encoder<'a> {
    fn index(&mut self, s: &'a str) -> u32 {
        let next = self.table.len() as u32;
        *self.strings.entry(s).or_insert_with(|| {
            self.table.push(s);
            next
        })
    }

    fn string(&mut self, s: &'a str) {
        let i = self.index(s);
        put_varint(&mut self.body, u64::from(i));
    }

    fn opt(&mut self, s: Option<&'a str>) {
        match s {
            Some(s) => {
                let i = self.index(s);
                put_varint(&mut self.body, u64::from(i) + 1);
            }
            None => self.body.push(0),
        }
    }

    fn list<I: ExactSizeIterator<Item = &'a str>>(&mut self, items: I) {
        put_varint(&mut self.body, items.len() as u64);
        for s in items {
            self.string(s);
        }
    }
}

/// Encodes the advisories of one `(namespace, package)`. Advisories identical but for their
/// vulnerability (an errata fixing several CVEs in the same version) are stored once.
/// `detail_key` gives each vulnerability ID's details row (0: none).
pub(crate) fn encode(
    package: &str,
    advisories: &[Advisory],
    detail_key: &dyn Fn(&str) -> u64,
) -> Vec<u8> {
    let mut enc = Encoder {
        strings: HashMap::new(),
        table: Vec::new(),
        body: Vec::new(),
    };
    // Group advisories equal but for the vulnerability ID, in first-seen order.
    let mut groups: Vec<(Vec<&str>, &Advisory)> = Vec::new();
    let same = |a: &Advisory, b: &Advisory| {
        a.vendor_id == b.vendor_id
            && a.source == b.source
            && a.status == b.status
            && a.package_as_written == b.package_as_written
            && a.ranges == b.ranges
            && a.versions == b.versions
            && a.requirements == b.requirements
            && a.fixed_versions == b.fixed_versions
            && a.severity == b.severity
            && a.extra == b.extra
    };
    // Candidates for grouping, by (vendor ID, source, fixed versions).
    type Shape<'s> = (Option<&'s str>, &'s str, &'s [String]);
    let mut by_shape: HashMap<Shape<'_>, Vec<usize>> = HashMap::new();
    for a in advisories {
        let key = (
            a.vendor_id.as_deref(),
            a.source.as_str(),
            a.fixed_versions.as_slice(),
        );
        let candidates = by_shape.entry(key).or_default();
        match candidates.iter().find(|&&g| same(groups[g].1, a)) {
            Some(&g) => groups[g].0.push(&a.vulnerability_id),
            None => {
                candidates.push(groups.len());
                groups.push((vec![&a.vulnerability_id], a));
            }
        }
    }
    put_varint(&mut enc.body, groups.len() as u64);
    let mut extras: Vec<String> = Vec::new();
    for (_, a) in &groups {
        if let Some(x) = &a.extra {
            extras.push(x.to_string());
        }
    }
    let mut extras = extras.iter();
    for (ids, a) in &groups {
        put_varint(&mut enc.body, ids.len() as u64);
        for id in ids {
            enc.string(id);
            put_varint(&mut enc.body, detail_key(id));
        }
        enc.opt(a.vendor_id.as_deref());
        enc.string(&a.source);
        enc.body.push(status_code(a.status));
        enc.opt((a.package_as_written != package).then_some(a.package_as_written.as_str()));
        put_varint(&mut enc.body, a.ranges.len() as u64);
        for r in &a.ranges {
            enc.body.push(match r.range_type {
                RangeType::Ecosystem => 0,
                RangeType::Semver => 1,
            });
            enc.string(&r.scheme);
            put_varint(&mut enc.body, r.events.len() as u64);
            for e in &r.events {
                let (kind, v) = EventKind::of(e);
                enc.body.push(kind.code());
                enc.string(v);
            }
        }
        enc.list(a.versions.iter().map(String::as_str));
        match &a.requirements {
            Some(q) => {
                enc.body.push(1);
                enc.string(&q.scheme);
                enc.list(q.vulnerable.iter().map(String::as_str));
                enc.list(q.unaffected.iter().map(String::as_str));
            }
            None => enc.body.push(0),
        }
        let derived: Vec<&str> = fixed_events(&a.ranges).collect();
        if a.fixed_versions.iter().map(String::as_str).eq(derived) {
            enc.body.push(0);
        } else {
            enc.body.push(1);
            enc.list(a.fixed_versions.iter().map(String::as_str));
        }
        enc.opt(a.severity.as_deref());
        let extra = if a.extra.is_some() {
            extras.next().map(String::as_str)
        } else {
            None
        };
        enc.opt(extra);
    }
    let mut out = Vec::with_capacity(enc.body.len() + 16 * enc.table.len());
    out.push(FORMAT);
    put_varint(&mut out, enc.table.len() as u64);
    for s in &enc.table {
        put_varint(&mut out, s.len() as u64);
        out.extend_from_slice(s.as_bytes());
    }
    out.extend_from_slice(&enc.body);
    out
}

fn fixed_events(ranges: &[AffectedRange]) -> impl Iterator<Item = &str> {
    ranges
        .iter()
        .flat_map(|r| &r.events)
        .filter_map(|e| match e {
            RangeEvent::Fixed(v) => Some(v.as_str()),
            _ => None,
        })
}

// ---------------------------------------------------------------------------------------------
// Decoding.

/// A cursor over a packed blob; the details blob (`details.rs`) is read with it too.
pub(crate) struct Reader<'a> {
    pub(crate) buf: &'a [u8],
    pub(crate) pos: usize,
}

impl Reader<'_> {
    pub(crate) fn byte(&mut self) -> Result<u8, PackedError> {
        let b = *self
            .buf
            .get(self.pos)
            .ok_or(PackedError("the blob ends early"))?;
        self.pos += 1;
        Ok(b)
    }

    pub(crate) fn varint(&mut self) -> Result<u64, PackedError> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(PackedError("a varint is too long"))
    }

    /// A count of items that each take at least one byte: bounded by what is left.
    pub(crate) fn count(&mut self) -> Result<usize, PackedError> {
        let n = self.varint()?;
        if n > (self.buf.len() - self.pos) as u64 {
            return Err(PackedError("a count exceeds the blob"));
        }
        Ok(n as usize)
    }
}

/// One record of the string table: a byte range of [`PackageAdvisories::text`]; also a
/// `start..end` range of a pool.
type Span = (u32, u32);

/// A requirements record: scheme, vulnerable list, unaffected list.
type ReqRec = (u32, Span, Span);

#[derive(Debug, Clone)]
struct RangeRec {
    semver: bool,
    scheme: u32,
    /// `events[start..end]` of the pool, each `(kind, string index)`.
    events: (u32, u32),
}

#[derive(Debug, Clone)]
struct Rec {
    ids: (u32, u32),
    /// `keys[ids.0..ids.1]`: the details row of each ID.
    vendor: Option<u32>,
    source: u32,
    status: Status,
    written: Option<u32>,
    ranges: (u32, u32),
    versions: (u32, u32),
    requirements: Option<ReqRec>,
    fixed: Option<(u32, u32)>,
    severity: Option<u32>,
    extra: Option<u32>,
}

/// Every advisory of one `(namespace, package)`, decoded from the database without copying its
/// strings: iterate with [`PackageAdvisories::iter`], or turn into owned [`Advisory`] values with
/// [`PackageAdvisories::to_advisories`].
#[derive(Debug, Clone)]
pub struct PackageAdvisories {
    namespace: String,
    package: String,
    /// Every string of the package, concatenated (validated UTF-8).
    text: String,
    spans: Vec<Span>,
    /// String indices of ID lists, version lists and requirement lists.
    pool: Vec<u32>,
    events: Vec<(EventKind, u32)>,
    ranges: Vec<RangeRec>,
    records: Vec<Rec>,
    /// The details row of every vulnerability ID in `pool` (0 elsewhere and when none).
    keys: Vec<u64>,
}

/// A string of a [`PackageAdvisories`] and its index in the package's string table: equal
/// indices are equal strings, so work done per string can be memoised by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interned<'a> {
    /// The index in the package's string table (below [`PackageAdvisories::string_count`]).
    pub index: u32,
    /// The string.
    pub text: &'a str,
}

impl PackageAdvisories {
    /// Decodes a blob; every index and length is checked, so a corrupt blob is an error.
    pub(crate) fn decode(
        namespace: &str,
        package: &str,
        blob: &[u8],
    ) -> Result<PackageAdvisories, PackedError> {
        let mut r = Reader { buf: blob, pos: 0 };
        if r.byte()? != FORMAT {
            return Err(PackedError("unknown blob format"));
        }
        let n_strings = r.count()?;
        let mut spans = Vec::with_capacity(n_strings);
        // The strings are most of the blob: one allocation, never grown.
        let mut raw = Vec::with_capacity(blob.len());
        for _ in 0..n_strings {
            let len = r.count()?;
            let start = raw.len();
            raw.extend_from_slice(&r.buf[r.pos..r.pos + len]);
            r.pos += len;
            spans.push((start as u32, raw.len() as u32));
        }
        let text = String::from_utf8(raw).map_err(|_| PackedError("a string is not UTF-8"))?;
        // Spans must fall on character boundaries for slicing to succeed later.
        if spans
            .iter()
            .any(|&(a, b)| !text.is_char_boundary(a as usize) || !text.is_char_boundary(b as usize))
        {
            return Err(PackedError("a string is not UTF-8"));
        }
        let n = n_strings as u64;
        let idx = |r: &mut Reader<'_>| -> Result<u32, PackedError> {
            let i = r.varint()?;
            if i >= n {
                return Err(PackedError("a string index is out of range"));
            }
            Ok(i as u32)
        };
        let opt = |r: &mut Reader<'_>| -> Result<Option<u32>, PackedError> {
            match r.varint()? {
                0 => Ok(None),
                i if i <= n => Ok(Some((i - 1) as u32)),
                _ => Err(PackedError("a string index is out of range")),
            }
        };
        let mut pool = Vec::new();
        let list = |r: &mut Reader<'_>, pool: &mut Vec<u32>| -> Result<(u32, u32), PackedError> {
            let count = r.count()?;
            let start = pool.len() as u32;
            for _ in 0..count {
                pool.push(idx(r)?);
            }
            Ok((start, pool.len() as u32))
        };
        let n_adv = r.count()?;
        // Sized for the usual advisory (an ID or two, a range of two events, a fix), so that
        // decoding seldom grows a vector; `count` bounds `n_adv` by the blob's length.
        let mut records = Vec::with_capacity(n_adv);
        let mut ranges = Vec::with_capacity(n_adv);
        let mut events = Vec::with_capacity(2 * n_adv);
        pool.reserve(4 * n_adv);
        let mut keys: Vec<u64> = Vec::with_capacity(4 * n_adv);
        for _ in 0..n_adv {
            let n_ids = r.count()?;
            let start = pool.len() as u32;
            for _ in 0..n_ids {
                pool.push(idx(&mut r)?);
                keys.resize(pool.len() - 1, 0);
                keys.push(r.varint()?);
            }
            let ids = (start, pool.len() as u32);
            let vendor = opt(&mut r)?;
            let source = idx(&mut r)?;
            let status = *STATUSES
                .get(usize::from(r.byte()?))
                .ok_or(PackedError("unknown status"))?;
            let written = opt(&mut r)?;
            let n_ranges = r.count()?;
            let range_start = ranges.len() as u32;
            for _ in 0..n_ranges {
                let semver = match r.byte()? {
                    0 => false,
                    1 => true,
                    _ => return Err(PackedError("unknown range type")),
                };
                let scheme = idx(&mut r)?;
                let n_events = r.count()?;
                let ev_start = events.len() as u32;
                for _ in 0..n_events {
                    let kind =
                        EventKind::from_code(r.byte()?).ok_or(PackedError("unknown event kind"))?;
                    events.push((kind, idx(&mut r)?));
                }
                ranges.push(RangeRec {
                    semver,
                    scheme,
                    events: (ev_start, events.len() as u32),
                });
            }
            let versions = list(&mut r, &mut pool)?;
            let requirements = match r.byte()? {
                0 => None,
                1 => {
                    let scheme = idx(&mut r)?;
                    let vulnerable = list(&mut r, &mut pool)?;
                    let unaffected = list(&mut r, &mut pool)?;
                    Some((scheme, vulnerable, unaffected))
                }
                _ => return Err(PackedError("bad requirements flag")),
            };
            let fixed = match r.byte()? {
                0 => None,
                1 => Some(list(&mut r, &mut pool)?),
                _ => return Err(PackedError("bad fixed-versions flag")),
            };
            let severity = opt(&mut r)?;
            let extra = opt(&mut r)?;
            records.push(Rec {
                ids,
                vendor,
                source,
                status,
                written,
                ranges: (range_start, ranges.len() as u32),
                versions,
                requirements,
                fixed,
                severity,
                extra,
            });
        }
        if r.pos != blob.len() {
            return Err(PackedError("trailing bytes after the last advisory"));
        }
        keys.resize(pool.len(), 0);
        Ok(PackageAdvisories {
            namespace: namespace.to_owned(),
            package: package.to_owned(),
            text,
            spans,
            pool,
            events,
            ranges,
            records,
            keys,
        })
    }

    /// Packs owned advisories of one package (for in-memory stores and tests).
    pub fn from_advisories(
        namespace: &str,
        package: &str,
        advisories: &[Advisory],
    ) -> PackageAdvisories {
        let blob = encode(package, advisories, &|_| 0);
        // `encode` writes only what `decode` reads; keep a defined result all the same.
        PackageAdvisories::decode(namespace, package, &blob)
            .unwrap_or_else(|_| PackageAdvisories::empty(namespace, package))
    }

    fn empty(namespace: &str, package: &str) -> PackageAdvisories {
        PackageAdvisories {
            namespace: namespace.to_owned(),
            package: package.to_owned(),
            text: String::new(),
            spans: Vec::new(),
            pool: Vec::new(),
            events: Vec::new(),
            ranges: Vec::new(),
            records: Vec::new(),
            keys: Vec::new(),
        }
    }

    /// The namespace looked up.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The normalised package name looked up.
    pub fn package(&self) -> &str {
        &self.package
    }

    /// The number of distinct strings: every [`Interned::index`] is below it.
    pub fn string_count(&self) -> usize {
        self.spans.len()
    }

    /// The number of stored advisories (one may name several vulnerabilities).
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there is no advisory.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The stored advisories.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = AdvisoryRef<'_>> + '_ {
        self.records
            .iter()
            .map(move |rec| AdvisoryRef { pkg: self, rec })
    }

    /// Every advisory as an owned value, one per vulnerability.
    pub fn to_advisories(&self) -> Vec<Advisory> {
        let mut out = Vec::with_capacity(self.records.len());
        for a in self.iter() {
            let mut ids = a.vulnerability_ids();
            let Some(first) = ids.next() else { continue };
            let start = out.len();
            out.push(a.to_advisory(first));
            for id in ids {
                let copy = Advisory {
                    vulnerability_id: id.to_owned(),
                    ..out[start].clone()
                };
                out.push(copy);
            }
        }
        out
    }

    fn str(&self, i: u32) -> &str {
        let (a, b) = self.spans[i as usize];
        // Spans were checked against `text` in `decode`.
        self.text.get(a as usize..b as usize).unwrap_or_default()
    }

    fn interned(&self, i: u32) -> Interned<'_> {
        Interned {
            index: i,
            text: self.str(i),
        }
    }

    fn pool(&self, (a, b): (u32, u32)) -> &[u32] {
        &self.pool[a as usize..b as usize]
    }
}

/// One stored advisory of a [`PackageAdvisories`], borrowed.
#[derive(Debug, Clone, Copy)]
pub struct AdvisoryRef<'a> {
    pkg: &'a PackageAdvisories,
    rec: &'a Rec,
}

/// One affected range of an [`AdvisoryRef`], borrowed.
#[derive(Debug, Clone, Copy)]
pub struct RangeRef<'a> {
    pkg: &'a PackageAdvisories,
    rec: &'a RangeRec,
}

impl<'a> RangeRef<'a> {
    /// The OSV range type.
    pub fn range_type(&self) -> RangeType {
        if self.rec.semver {
            RangeType::Semver
        } else {
            RangeType::Ecosystem
        }
    }

    /// The version scheme (`pep440`, `dpkg`, …).
    pub fn scheme(&self) -> &'a str {
        self.pkg.str(self.rec.scheme)
    }

    /// The events in feed order.
    pub fn events(&self) -> impl ExactSizeIterator<Item = (EventKind, Interned<'a>)> + 'a {
        let pkg = self.pkg;
        let (a, b) = self.rec.events;
        pkg.events[a as usize..b as usize]
            .iter()
            .map(move |&(k, i)| (k, pkg.interned(i)))
    }
}

/// Native requirement strings of an [`AdvisoryRef`], borrowed (see [`Requirements`]).
#[derive(Debug, Clone, Copy)]
pub struct RequirementsRef<'a> {
    pkg: &'a PackageAdvisories,
    scheme: u32,
    vulnerable: (u32, u32),
    unaffected: (u32, u32),
}

impl<'a> RequirementsRef<'a> {
    /// The version scheme.
    pub fn scheme(&self) -> &'a str {
        self.pkg.str(self.scheme)
    }

    /// Requirements describing affected versions (any of them).
    pub fn vulnerable(&self) -> impl ExactSizeIterator<Item = Interned<'a>> + 'a {
        let pkg = self.pkg;
        pkg.pool(self.vulnerable)
            .iter()
            .map(move |&i| pkg.interned(i))
    }

    /// Requirements describing patched or never-affected versions (any of them).
    pub fn unaffected(&self) -> impl ExactSizeIterator<Item = Interned<'a>> + 'a {
        let pkg = self.pkg;
        pkg.pool(self.unaffected)
            .iter()
            .map(move |&i| pkg.interned(i))
    }
}

impl<'a> AdvisoryRef<'a> {
    /// The vulnerabilities this advisory states (usually one; an errata can fix several).
    pub fn vulnerability_ids(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        let pkg = self.pkg;
        pkg.pool(self.rec.ids).iter().map(move |&i| pkg.str(i))
    }

    /// The vulnerabilities this advisory states, each with the key of its details row in the
    /// database (`0` when the store has none; see [`crate::VulnDb::vulnerability_records`]).
    pub fn vulnerability_keys(&self) -> impl ExactSizeIterator<Item = (&'a str, u64)> + 'a {
        let pkg = self.pkg;
        let (a, b) = self.rec.ids;
        pkg.pool[a as usize..b as usize]
            .iter()
            .zip(&pkg.keys[a as usize..b as usize])
            .map(move |(&i, &k)| (pkg.str(i), k))
    }

    /// The vendor's ID for this advisory.
    pub fn vendor_id(&self) -> Option<&'a str> {
        self.rec.vendor.map(|i| self.pkg.str(i))
    }

    /// The source (feed folder).
    pub fn source(&self) -> &'a str {
        self.pkg.str(self.rec.source)
    }

    /// The fix status.
    pub fn status(&self) -> Status {
        self.rec.status
    }

    /// The package name as the feed wrote it.
    pub fn package_as_written(&self) -> &'a str {
        match self.rec.written {
            Some(i) => self.pkg.str(i),
            None => &self.pkg.package,
        }
    }

    /// The affected ranges.
    pub fn ranges(&self) -> impl ExactSizeIterator<Item = RangeRef<'a>> + 'a {
        let pkg = self.pkg;
        let (a, b) = self.rec.ranges;
        pkg.ranges[a as usize..b as usize]
            .iter()
            .map(move |rec| RangeRef { pkg, rec })
    }

    /// Explicitly enumerated affected versions.
    pub fn versions(&self) -> impl ExactSizeIterator<Item = Interned<'a>> + 'a {
        let pkg = self.pkg;
        pkg.pool(self.rec.versions)
            .iter()
            .map(move |&i| pkg.interned(i))
    }

    /// Native requirement strings.
    pub fn requirements(&self) -> Option<RequirementsRef<'a>> {
        self.rec
            .requirements
            .map(|(scheme, vulnerable, unaffected)| RequirementsRef {
                pkg: self.pkg,
                scheme,
                vulnerable,
                unaffected,
            })
    }

    /// The fixed versions (the feed's list, else the ranges' `fixed` events).
    pub fn fixed_versions(&self) -> Vec<Interned<'a>> {
        let pkg = self.pkg;
        match self.rec.fixed {
            Some(list) => pkg.pool(list).iter().map(|&i| pkg.interned(i)).collect(),
            None => self
                .ranges()
                .flat_map(|r| r.events())
                .filter(|(k, _)| *k == EventKind::Fixed)
                .map(|(_, v)| v)
                .collect(),
        }
    }

    /// The vendor's severity label for this advisory.
    pub fn severity(&self) -> Option<&'a str> {
        self.rec.severity.map(|i| self.pkg.str(i))
    }

    /// Feed-specific precision, as JSON text.
    pub fn extra_json(&self) -> Option<&'a str> {
        self.rec.extra.map(|i| self.pkg.str(i))
    }

    /// The owned [`Advisory`] for one of [`AdvisoryRef::vulnerability_ids`].
    pub fn to_advisory(&self, vulnerability_id: &str) -> Advisory {
        let own = |s: &str| s.to_owned();
        Advisory {
            namespace: self.pkg.namespace.clone(),
            package: self.pkg.package.clone(),
            package_as_written: self.package_as_written().to_owned(),
            vulnerability_id: vulnerability_id.to_owned(),
            vendor_id: self.vendor_id().map(own),
            source: self.source().to_owned(),
            status: self.status(),
            ranges: self
                .ranges()
                .map(|r| AffectedRange {
                    range_type: r.range_type(),
                    scheme: r.scheme().to_owned(),
                    events: r
                        .events()
                        .map(|(k, v)| k.event(v.text.to_owned()))
                        .collect(),
                })
                .collect(),
            versions: self.versions().map(|v| v.text.to_owned()).collect(),
            requirements: self.requirements().map(|q| Requirements {
                scheme: q.scheme().to_owned(),
                vulnerable: q.vulnerable().map(|v| v.text.to_owned()).collect(),
                unaffected: q.unaffected().map(|v| v.text.to_owned()).collect(),
            }),
            fixed_versions: self
                .fixed_versions()
                .into_iter()
                .map(|v| v.text.to_owned())
                .collect(),
            severity: self.severity().map(own),
            // Written by `encode` from a `serde_json::Value`, so it parses back.
            extra: self.extra_json().and_then(|x| serde_json::from_str(x).ok()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adv(id: &str, vendor: Option<&str>, fixed: &str) -> Advisory {
        Advisory {
            namespace: "PyPI".into(),
            package: "django".into(),
            package_as_written: "Django".into(),
            vulnerability_id: id.into(),
            vendor_id: vendor.map(str::to_owned),
            source: "osv/pypa".into(),
            status: Status::Fixed,
            ranges: vec![AffectedRange {
                range_type: RangeType::Ecosystem,
                scheme: "pep440".into(),
                events: vec![
                    RangeEvent::Introduced("0".into()),
                    RangeEvent::Fixed(fixed.into()),
                ],
            }],
            versions: vec!["1.0".into(), "1.1".into()],
            requirements: None,
            fixed_versions: vec![fixed.into()],
            severity: Some("HIGH".into()),
            extra: Some(serde_json::json!({"imports": ["x"]})),
        }
    }

    #[test]
    fn round_trip_groups_and_keeps_order() {
        let mut b = adv("CVE-2", Some("X-1"), "2.0");
        b.requirements = Some(Requirements {
            scheme: "rubygems".into(),
            vulnerable: vec![],
            unaffected: vec![">= 2.0".into(), "~> 1.9.3".into()],
        });
        b.fixed_versions = vec!["2.0".into(), "1.9.3".into()];
        let all = vec![
            adv("CVE-1", Some("X-1"), "1.2"),
            b,
            adv("CVE-3", Some("X-1"), "1.2"),
            adv("CVE-4", None, "1.5"),
        ];
        let blob = encode("django", &all, &|id| u64::from(id == "CVE-3") * 7);
        let p = PackageAdvisories::decode("PyPI", "django", &blob).unwrap();
        assert_eq!(p.len(), 3, "CVE-1 and CVE-3 share one record");
        let mut back = p.to_advisories();
        let mut want = all.clone();
        back.sort_by(|a, b| a.vulnerability_id.cmp(&b.vulnerability_id));
        want.sort_by(|a, b| a.vulnerability_id.cmp(&b.vulnerability_id));
        assert_eq!(back, want);
        let first = p.iter().next().unwrap();
        assert_eq!(
            first.vulnerability_ids().collect::<Vec<_>>(),
            ["CVE-1", "CVE-3"]
        );
        assert_eq!(
            first.vulnerability_keys().collect::<Vec<_>>(),
            [("CVE-1", 0), ("CVE-3", 7)]
        );
        // Equal strings share an index.
        let v: Vec<_> = first.versions().collect();
        let other: Vec<_> = p.iter().nth(2).unwrap().versions().collect();
        assert_eq!(v, other);
    }

    #[test]
    fn every_truncation_and_corruption_is_an_error_not_a_panic() {
        let blob = encode(
            "django",
            &[adv("CVE-1", Some("X"), "1.2"), adv("CVE-2", None, "3")],
            &|_| 300,
        );
        for end in 0..blob.len() {
            assert!(PackageAdvisories::decode("PyPI", "django", &blob[..end]).is_err());
        }
        for i in 0..blob.len() {
            for b in [0u8, 0x7f, 0x80, 0xff] {
                let mut bad = blob.clone();
                bad[i] = b;
                // Any outcome but a panic is fine; a decoded blob must be readable.
                if let Ok(p) = PackageAdvisories::decode("PyPI", "django", &bad) {
                    let _ = p.to_advisories();
                }
            }
        }
        assert!(PackageAdvisories::decode("PyPI", "django", &[9]).is_err());
        let mut trailing = blob.clone();
        trailing.push(0);
        assert!(PackageAdvisories::decode("PyPI", "django", &trailing).is_err());
    }
}
