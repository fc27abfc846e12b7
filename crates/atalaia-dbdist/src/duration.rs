//! Durations as people write them (`12h`, `7d`, `1d12h`, `90m`) and as they read them.

use std::time::Duration;

use crate::DbDistError;

/// Parses `<n><unit>…` with units `s`, `m`, `h`, `d`, `w` (e.g. `36h`, `1d12h`, `2w`).
pub fn parse_duration(text: &str) -> Result<Duration, DbDistError> {
    let bad = || DbDistError::BadDuration {
        value: text.to_owned(),
    };
    let s = text.trim();
    if s.is_empty() {
        return Err(bad());
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit: u64 = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 7 * 86_400,
            _ => return Err(bad()),
        };
        let n: u64 = number.parse().map_err(|_| bad())?;
        number.clear();
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
    }
    if !number.is_empty() {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

/// `3 days`, `5 hours`, `12 minutes`, `40 seconds`: the largest whole unit.
pub fn format_age(d: Duration) -> String {
    let s = d.as_secs();
    let (n, unit) = if s >= 86_400 {
        (s / 86_400, "day")
    } else if s >= 3600 {
        (s / 3600, "hour")
    } else if s >= 60 {
        (s / 60, "minute")
    } else {
        (s, "second")
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("12h").unwrap(), Duration::from_secs(43_200));
        assert_eq!(
            parse_duration("1d12h").unwrap(),
            Duration::from_secs(129_600)
        );
        assert_eq!(
            parse_duration("2w").unwrap(),
            Duration::from_secs(1_209_600)
        );
        for bad in [
            "",
            "12",
            "h",
            "1x",
            "-1h",
            "1.5h",
            "99999999999999999999w",
            "1h 2m",
        ] {
            let err = parse_duration(bad).unwrap_err();
            assert!(err.to_string().contains("not a duration"), "{bad}: {err}");
        }
    }

    #[test]
    fn ages() {
        assert_eq!(format_age(Duration::from_secs(3 * 86_400 + 5)), "3 days");
        assert_eq!(format_age(Duration::from_secs(3600)), "1 hour");
        assert_eq!(format_age(Duration::from_secs(125)), "2 minutes");
        assert_eq!(format_age(Duration::from_secs(0)), "0 seconds");
    }
}
