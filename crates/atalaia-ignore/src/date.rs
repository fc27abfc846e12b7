//! Expiry dates of ignore entries.
//!
//! Trivy drops an entry when its expiry instant is before "now"; a date without a time is that
//! day's midnight UTC, so an entry with `exp:2024-03-01` no longer applies from 2024-03-01 on.
//! atalaia never reads the clock: the caller passes `today`, and an entry is expired when its
//! expiry (converted to UTC) falls on or before `today`. For an expiry with a time of day this
//! errs toward showing findings (the entry stops applying for the whole of its last day).

use serde::Serialize;
use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

/// When an ignore entry stops applying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Expiry {
    /// The UTC date of the expiry instant.
    #[serde(serialize_with = "ser_date")]
    pub date: Date,
}

fn ser_date<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_date(*d))
}

/// `YYYY-MM-DD`.
pub(crate) fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

impl Expiry {
    /// Whether the entry no longer applies on `today`.
    pub fn is_expired(self, today: Date) -> bool {
        self.date <= today
    }
}

impl std::fmt::Display for Expiry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_date(self.date))
    }
}

/// Parses the `exp:` value of a plain `.trivyignore` line: exactly `YYYY-MM-DD` (Go's
/// `time.Parse("2006-01-02", …)`).
pub(crate) fn parse_plain_date(s: &str) -> Result<Expiry, String> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(format!("`{s}` is not a date of the form YYYY-MM-DD"));
    }
    let date = calendar(&s[0..4], &s[5..7], &s[8..10])
        .ok_or_else(|| format!("`{s}` is not a valid date"))?;
    Ok(Expiry { date })
}

/// Parses an `expired_at` value of `.trivyignore.yaml`, accepting the YAML timestamp forms
/// (`2024-03-01`, `2024-3-1`, `2024-03-01T10:00:00Z`, `2024-03-01T10:00:00+02:00`,
/// `2024-03-01 10:00:00`), quoted or not.
pub(crate) fn parse_yaml_timestamp(s: &str) -> Result<Expiry, String> {
    let err = || {
        format!(
            "`{s}` is not a date (expected YYYY-MM-DD or an RFC 3339 timestamp such as 2024-03-01T00:00:00Z)"
        )
    };
    let t = s.trim();
    let (date_part, rest) = match t.find(['T', 't', ' ']) {
        Some(i) => (&t[..i], Some(t[i + 1..].trim_start())),
        None => (t, None),
    };
    let mut it = date_part.split('-');
    let (y, m, d) = match (it.next(), it.next(), it.next(), it.next()) {
        (Some(y), Some(m), Some(d), None)
            if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) =>
        {
            (y, m, d)
        }
        _ => return Err(err()),
    };
    let date = calendar(y, m, d).ok_or_else(err)?;
    let Some(rest) = rest else {
        return Ok(Expiry { date });
    };
    // Time of day, then an optional zone (`Z`, `+hh:mm`, `-hh:mm`, `+hh`).
    let zone_at = rest.find(['Z', 'z', '+', '-']);
    let (clock, zone) = match zone_at {
        Some(i) => (rest[..i].trim_end(), Some(&rest[i..])),
        None => (rest, None),
    };
    let mut parts = clock.split(':');
    let (h, mi, sec) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(mi), Some(sec), None) => (h, mi, sec),
        _ => return Err(err()),
    };
    let sec = sec.split('.').next().unwrap_or(sec);
    let num = |x: &str| -> Option<u8> {
        if x.is_empty() || x.len() > 2 || !x.bytes().all(|c| c.is_ascii_digit()) {
            None
        } else {
            x.parse().ok()
        }
    };
    let time = match (num(h), num(mi), num(sec)) {
        (Some(h), Some(mi), Some(sec)) => Time::from_hms(h, mi, sec).map_err(|_| err())?,
        _ => return Err(err()),
    };
    let offset = match zone {
        None => UtcOffset::UTC,
        Some(z) if z.eq_ignore_ascii_case("z") => UtcOffset::UTC,
        Some(z) => {
            let sign: i8 = if z.starts_with('-') { -1 } else { 1 };
            let body = &z[1..];
            let (zh, zm) = match body.split_once(':') {
                Some((a, b)) => (a, b),
                None if body.len() == 4 => (&body[..2], &body[2..]),
                None => (body, "0"),
            };
            let (Some(zh), Some(zm)) = (num(zh), num(zm)) else {
                return Err(err());
            };
            let (zh, zm) = (
                i8::try_from(zh).map_err(|_| err())?,
                i8::try_from(zm).map_err(|_| err())?,
            );
            UtcOffset::from_hms(sign * zh, sign * zm, 0).map_err(|_| err())?
        }
    };
    let utc = PrimitiveDateTime::new(date, time)
        .assume_offset(offset)
        .to_offset(UtcOffset::UTC);
    Ok(Expiry { date: utc.date() })
}

fn calendar(y: &str, m: &str, d: &str) -> Option<Date> {
    if ![y, m, d]
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    let m: u8 = m.parse().ok()?;
    let d: u8 = d.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// Parses an RFC 3339 timestamp (VEX statements), to order statements.
pub(crate) fn parse_rfc3339(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn plain_dates() {
        assert_eq!(
            parse_plain_date("2024-03-01").unwrap().date,
            date!(2024 - 03 - 01)
        );
        for bad in [
            "2024-3-1",
            "2024-02-30",
            "20240301",
            "2024-03-01x",
            "",
            "abcd-ef-gh",
            "2024-13-01",
        ] {
            assert!(parse_plain_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn yaml_timestamps() {
        let d = |s| parse_yaml_timestamp(s).map(|e| e.date);
        assert_eq!(d("2024-03-01"), Ok(date!(2024 - 03 - 01)));
        assert_eq!(d("2024-3-1"), Ok(date!(2024 - 03 - 01)));
        assert_eq!(d("2024-03-01T10:00:00Z"), Ok(date!(2024 - 03 - 01)));
        assert_eq!(d("2024-03-01T01:00:00+02:00"), Ok(date!(2024 - 02 - 29)));
        assert_eq!(d("2024-03-01T23:30:00.5-01:00"), Ok(date!(2024 - 03 - 02)));
        assert_eq!(d("2024-03-01 10:00:00"), Ok(date!(2024 - 03 - 01)));
        for bad in [
            "tomorrow",
            "2024-03",
            "2024-03-01T25:00:00Z",
            "2024-02-30",
            "2024-03-01T10:00",
            "24-03-01",
        ] {
            assert!(d(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn expiry_is_inclusive_of_its_date() {
        let e = parse_plain_date("2024-03-01").unwrap();
        assert!(!e.is_expired(date!(2024 - 02 - 29)));
        assert!(e.is_expired(date!(2024 - 03 - 01)));
        assert!(e.is_expired(date!(2025 - 01 - 01)));
        assert_eq!(e.to_string(), "2024-03-01");
    }
}
