//! Dates and times. Everything is UTC; the domain never reads a clock: `now` is always an input.

use chrono::{
    DateTime, Datelike, Months, NaiveDate, NaiveTime, TimeDelta, TimeZone, Timelike, Utc,
};

/// A point in time, UTC.
pub type Timestamp = DateTime<Utc>;

/// The last second of the day `date` (23:59:59 UTC).
pub fn end_of_day(date: NaiveDate) -> Timestamp {
    Utc.from_utc_datetime(&date.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time")))
}

/// Midnight UTC at the start of `date`.
pub fn start_of_day(date: NaiveDate) -> Timestamp {
    Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN))
}

/// The end of a period of `months` that starts at `start`: the end of the day before the same
/// calendar day `months` later (a month from 12 Mar ends on 11 Apr 23:59:59).
pub fn period_end(start: Timestamp, months: u32) -> Timestamp {
    let date = start
        .date_naive()
        .checked_add_months(Months::new(months))
        .expect("dates stay in range")
        - TimeDelta::days(1);
    end_of_day(date)
}

/// The start of the period after one that ends at `end`: the next midnight.
pub fn next_start(end: Timestamp) -> Timestamp {
    start_of_day(end.date_naive() + TimeDelta::days(1))
}

/// Whole calendar days from `from`'s day to `to`'s day, both counted.
pub fn days_inclusive(from: Timestamp, to: Timestamp) -> i64 {
    (to.date_naive() - from.date_naive()).num_days() + 1
}

/// Midnight UTC on the first day of `at`'s month.
pub fn month_start(at: Timestamp) -> Timestamp {
    start_of_day(NaiveDate::from_ymd_opt(at.year(), at.month(), 1).expect("valid date"))
}

/// Midnight UTC on the first day of the month after `at`'s month.
pub fn next_month_start(at: Timestamp) -> Timestamp {
    let first = NaiveDate::from_ymd_opt(at.year(), at.month(), 1).expect("valid date");
    start_of_day(
        first
            .checked_add_months(Months::new(1))
            .expect("dates stay in range"),
    )
}

// Written out by hand rather than with chrono's `format`: the strftime machinery would add its
// parser to the browser build for four fixed layouts.
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

fn month_name(at: Timestamp) -> &'static str {
    MONTHS[at.month0() as usize]
}

/// `12 Mar 2026 14:05 UTC`, as pages and messages show a time.
pub fn display(at: Timestamp) -> String {
    format!(
        "{} {:02}:{:02} UTC",
        display_date(at),
        at.hour(),
        at.minute()
    )
}

/// `12 Mar 2026`, as pages show a date.
pub fn display_date(at: Timestamp) -> String {
    format!("{} {} {}", at.day(), &month_name(at)[..3], at.year())
}

/// `March 2026`, as invoices name their month.
pub fn month_year(at: Timestamp) -> String {
    format!("{} {}", month_name(at), at.year())
}

/// `Mar 2026`, for chart labels.
pub fn short_month_year(at: Timestamp) -> String {
    format!("{} {}", &month_name(at)[..3], at.year())
}

/// `2026-03-12`, as exports write a date.
pub fn iso_date(at: Timestamp) -> String {
    format!("{:04}-{:02}-{:02}", at.year(), at.month(), at.day())
}

/// The day written as `2026-03-12` (as a date field gives it), if it is one.
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('-');
    let mut number = |digits: usize| {
        parts
            .next()
            .filter(|p| p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (year, month, day) = (number(4)?, number(2)?, number(2)?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// `2 days 3 hours`, `45 minutes`: a time left, coarse as people read it.
pub fn display_duration(span: TimeDelta) -> String {
    let minutes = span.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    let unit = |n: i64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (days, hours) {
        (0, 0) => unit(mins, "minute"),
        (0, h) => format!("{} {}", unit(h, "hour"), unit(mins, "minute")),
        (d, 0) => unit(d, "day"),
        (d, h) => format!("{} {}", unit(d, "day"), unit(h, "hour")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_one_month_term_ends_at_the_end_of_the_day_before_the_same_day_next_month() {
        assert_eq!(
            period_end(at("2026-03-12T14:05:00Z"), 1),
            at("2026-04-11T23:59:59Z")
        );
    }

    #[test]
    fn a_term_starting_on_the_31st_ends_the_day_before_the_clamped_date() {
        assert_eq!(
            period_end(at("2026-01-31T09:00:00Z"), 1),
            at("2026-02-27T23:59:59Z")
        );
    }

    #[test]
    fn months_and_dates_are_written_out_in_full_or_short() {
        let t = at("2026-09-05T07:03:00Z");
        assert_eq!(display(t), "5 Sep 2026 07:03 UTC");
        assert_eq!(month_year(t), "September 2026");
        assert_eq!(short_month_year(t), "Sep 2026");
        assert_eq!(iso_date(t), "2026-09-05");
    }

    #[test]
    fn iso_dates_are_read_back_and_anything_else_is_none() {
        assert_eq!(
            parse_iso_date("2026-03-12"),
            NaiveDate::from_ymd_opt(2026, 3, 12)
        );
        assert_eq!(
            parse_iso_date(&iso_date(at("2028-02-29T10:00:00Z"))).map(|d| d.day()),
            Some(29)
        );
        for bad in [
            "",
            "2026-3-12",
            "2026-02-30",
            "2026-03-12-01",
            "26-03-12",
            "2026-0x-12",
            "+026-03-12",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_read_as_partners_write_them() {
        assert_eq!(display(at("2026-03-12T14:05:00Z")), "12 Mar 2026 14:05 UTC");
        assert_eq!(
            display_duration(TimeDelta::minutes(2 * 1440 + 185)),
            "2 days 3 hours"
        );
        assert_eq!(display_duration(TimeDelta::minutes(61)), "1 hour 1 minute");
    }
}
