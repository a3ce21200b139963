//! How times and durations are written on the page.

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2021-12-17T14:30:00Z` → `17 December 2021, 14:30 GMT`; `None` for anything else.
pub fn datetime(iso: &str) -> Option<String> {
    let date = date(iso)?;
    let hour = iso.get(11..13)?;
    let minute = iso.get(14..16)?;
    if !(hour.bytes().all(|b| b.is_ascii_digit()) && minute.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    Some(format!("{date}, {hour}:{minute} GMT"))
}

/// `2021-12-17T14:30:00Z` → `17 December 2021`; `None` for anything else.
pub fn date(iso: &str) -> Option<String> {
    let year: u32 = iso.get(0..4)?.parse().ok()?;
    let month: usize = iso.get(5..7)?.parse().ok()?;
    let day: u32 = iso.get(8..10)?.parse().ok()?;
    let month_name = MONTHS.get(month.checked_sub(1)?)?;
    (1..=31)
        .contains(&day)
        .then(|| format!("{day} {month_name} {year}"))
}

/// Seconds as `m:ss` (`0:00`, `4:05`, `72:10`).
pub fn clock(seconds: f64) -> String {
    let whole = if seconds.is_finite() && seconds > 0.0 {
        seconds.floor() as u64
    } else {
        0
    };
    format!("{}:{:02}", whole / 60, whole % 60)
}

/// `5` → `5 min read`.
pub fn reading_time(minutes: u32) -> String {
    format!("{} min read", minutes.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes() {
        assert_eq!(
            datetime("2021-12-17T14:30:00Z").as_deref(),
            Some("17 December 2021, 14:30 GMT")
        );
        assert_eq!(
            date("2025-02-06T02:00:00Z").as_deref(),
            Some("6 February 2025")
        );
        assert_eq!(datetime("soon"), None);
        assert_eq!(date("2025-13-01T00:00:00Z"), None);
    }

    #[test]
    fn clocks() {
        assert_eq!(clock(0.0), "0:00");
        assert_eq!(clock(65.9), "1:05");
        assert_eq!(clock(f64::NAN), "0:00");
        assert_eq!(clock(-3.0), "0:00");
    }
}
