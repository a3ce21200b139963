//! How times and durations are written on the page. Times arrive as RFC 3339 strings in UTC
//! (the store accepts no other); the `time` crate reads them, so a day the calendar lacks or
//! another offset is caught rather than printed as GMT.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The moment `iso` names, when it is given in UTC (printed as GMT).
fn in_gmt(iso: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(iso, &Rfc3339)
        .ok()
        .filter(|moment| moment.offset().is_utc())
}

/// `2021-12-17T14:30:00Z` → `17 December 2021, 14:30 GMT`; `None` for anything else.
pub fn datetime(iso: &str) -> Option<String> {
    let moment = in_gmt(iso)?;
    Some(format!(
        "{} {} {}, {:02}:{:02} GMT",
        moment.day(),
        moment.month(),
        moment.year(),
        moment.hour(),
        moment.minute()
    ))
}

/// `2021-12-17T14:30:00Z` → `17 December 2021`; `None` for anything else.
pub fn date(iso: &str) -> Option<String> {
    let moment = in_gmt(iso)?;
    Some(format!(
        "{} {} {}",
        moment.day(),
        moment.month(),
        moment.year()
    ))
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
        assert_eq!(
            datetime("2025-02-06T01:30:00+02:00"),
            None,
            "not GMT, so not shown as GMT"
        );
        assert_eq!(datetime("soon"), None);
        assert_eq!(date("2025-13-01T00:00:00Z"), None);
        assert_eq!(date("2023-02-29T00:00:00Z"), None, "not a leap year");
    }

    #[test]
    fn clocks() {
        assert_eq!(clock(0.0), "0:00");
        assert_eq!(clock(65.9), "1:05");
        assert_eq!(clock(f64::NAN), "0:00");
        assert_eq!(clock(-3.0), "0:00");
    }
}
