//! Conversions between the wire time types and [`chrono`]'s (feature `chrono`):
//! [`Timestamp`] and `DateTime<Utc>` / `DateTime<FixedOffset>`, [`Date`] and `NaiveDate`,
//! [`Duration`] and `TimeDelta`.
//!
//! Into chrono they cannot fail (chrono spans far more than the years 0001..=9999); from
//! chrono they fail with [`InvalidValue`] outside what the wire can carry (years
//! 0001..=9999, durations up to about 10,000 years; a leap second, which chrono writes as
//! a nanosecond count of one second or more, has no wire form either).
//! `DateTime<FixedOffset>` keeps the UTC offset both ways (an offset with seconds, which
//! RFC 3339 cannot write, becomes UTC, the instant unchanged).

use chrono::{DateTime, Datelike as _, FixedOffset, NaiveDate, TimeDelta, Utc};

use super::convert;
use super::{Date, Duration, InvalidValue, Timestamp};

const NANOS_PER_SECOND: i128 = 1_000_000_000;

impl From<Timestamp> for DateTime<Utc> {
    fn from(value: Timestamp) -> Self {
        // The years 0001..=9999 lie inside chrono's range: the fallback is never taken.
        DateTime::from_timestamp(value.unix_seconds(), value.subsec_nanos())
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

impl From<Timestamp> for DateTime<FixedOffset> {
    /// The same instant, at the offset the value was written with.
    fn from(value: Timestamp) -> Self {
        let utc = DateTime::<Utc>::from(value);
        // Offsets are below a day, which `east_opt` accepts.
        match FixedOffset::east_opt(i32::from(value.offset_minutes()) * 60) {
            Some(offset) => utc.with_timezone(&offset),
            None => utc.fixed_offset(),
        }
    }
}

impl TryFrom<DateTime<Utc>> for Timestamp {
    type Error = InvalidValue;

    /// Fails for instants outside the years 0001..=9999 and for leap seconds.
    fn try_from(value: DateTime<Utc>) -> Result<Self, InvalidValue> {
        Timestamp::from_parts(value.timestamp(), value.timestamp_subsec_nanos(), 0)
    }
}

impl TryFrom<DateTime<FixedOffset>> for Timestamp {
    type Error = InvalidValue;

    /// Keeps the offset; fails when the instant or its local time lies outside the years
    /// 0001..=9999, and for leap seconds.
    fn try_from(value: DateTime<FixedOffset>) -> Result<Self, InvalidValue> {
        Timestamp::from_parts(
            value.timestamp(),
            value.timestamp_subsec_nanos(),
            value.offset().local_minus_utc(),
        )
    }
}

impl From<Date> for NaiveDate {
    fn from(value: Date) -> Self {
        // A valid date of the years 0001..=9999 is a valid chrono date: the fallback is
        // never taken.
        NaiveDate::from_ymd_opt(
            i32::from(value.year()),
            u32::from(value.month()),
            u32::from(value.day()),
        )
        .unwrap_or(NaiveDate::MAX)
    }
}

impl TryFrom<NaiveDate> for Date {
    type Error = InvalidValue;

    /// Fails for years outside 0001..=9999.
    fn try_from(value: NaiveDate) -> Result<Self, InvalidValue> {
        // chrono's months (1..=12) and days (1..=31) fit a u8.
        convert::date(value.year(), value.month() as u8, value.day() as u8)
    }
}

impl From<Duration> for TimeDelta {
    fn from(value: Duration) -> Self {
        // chrono splits a span into seconds rounded down and nanoseconds 0..1e9.
        let total =
            i128::from(value.seconds()) * NANOS_PER_SECOND + i128::from(value.subsec_nanos());
        // About 10,000 years fit both parts and chrono's range (about 292 million
        // years): the fallback is never taken.
        let seconds = i64::try_from(total.div_euclid(NANOS_PER_SECOND)).unwrap_or(i64::MAX);
        let nanos = total.rem_euclid(NANOS_PER_SECOND) as u32;
        TimeDelta::new(seconds, nanos).unwrap_or(TimeDelta::MAX)
    }
}

impl TryFrom<TimeDelta> for Duration {
    type Error = InvalidValue;

    /// Fails for spans longer than 315,576,000,000 seconds (about 10,000 years).
    fn try_from(value: TimeDelta) -> Result<Self, InvalidValue> {
        // `num_seconds` rounds toward zero and `subsec_nanos` has the same sign.
        convert::duration(value.num_seconds(), value.subsec_nanos())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn timestamps_round_trip_at_the_edges_with_their_offset() {
        for wire in [
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "1969-12-31T23:59:59.000000001Z",
            "2024-02-29T12:00:00.123456789Z",
            "2024-02-29T23:30:00-05:30",
            "0001-01-01T01:00:00+01:00",
            "9999-12-31T22:59:59.500-01:00",
        ] {
            let fixed = DateTime::<FixedOffset>::from(ts(wire));
            let utc = DateTime::<Utc>::from(ts(wire));
            assert_eq!(fixed, utc, "{wire}: same instant");
            assert_eq!(
                fixed.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                wire,
                "{wire}"
            );
            assert_eq!(Timestamp::try_from(fixed).unwrap(), ts(wire), "{wire}");
            assert_eq!(
                Timestamp::try_from(utc).unwrap().unix_seconds(),
                ts(wire).unix_seconds()
            );
        }
        // February 29th exists in 2024 and 2000, not in 1900.
        let leap = "2000-02-29T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            Timestamp::try_from(leap).unwrap(),
            ts("2000-02-29T00:00:00Z")
        );
    }

    #[test]
    fn out_of_range_instants_offsets_and_leap_seconds_are_refused() {
        let year_0 = NaiveDate::from_ymd_opt(0, 12, 31)
            .unwrap()
            .and_hms_opt(23, 59, 59)
            .unwrap()
            .and_utc();
        let year_10000 = NaiveDate::from_ymd_opt(10000, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc();
        for (value, reason) in [
            (year_0, "outside years 0001..=9999"),
            (year_10000, "outside years 0001..=9999"),
            (DateTime::<Utc>::MIN_UTC, "outside years 0001..=9999"),
            (DateTime::<Utc>::MAX_UTC, "outside years 0001..=9999"),
        ] {
            let err = Timestamp::try_from(value).unwrap_err();
            assert_eq!(err.kind(), "timestamp");
            assert_eq!(err.reason(), reason, "{value}");
        }
        // In range in UTC, but the local time is in the year 10000.
        let local_10000 = "9999-12-31T23:30:00Z"
            .parse::<DateTime<Utc>>()
            .unwrap()
            .with_timezone(&FixedOffset::east_opt(3600).unwrap());
        let err = Timestamp::try_from(local_10000).unwrap_err();
        assert_eq!(err.reason(), "local time outside years 0001..=9999");
        // A leap second: chrono's nanoseconds reach 1e9.
        let leap_second = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap()
            .and_utc();
        let err = Timestamp::try_from(leap_second).unwrap_err();
        assert_eq!(err.reason(), "nanoseconds must be below 1e9");
        // An offset with seconds is written as UTC, the instant kept.
        let odd = "2024-01-01T00:00:00Z"
            .parse::<DateTime<Utc>>()
            .unwrap()
            .with_timezone(&FixedOffset::east_opt(3601).unwrap());
        let t = Timestamp::try_from(odd).unwrap();
        assert_eq!(t.to_string(), "2024-01-01T00:00:00Z");
    }

    #[test]
    fn dates_round_trip_and_refuse_other_years() {
        for (y, m, d) in [
            (1, 1, 1),
            (9999, 12, 31),
            (2024, 2, 29),
            (2000, 2, 29),
            (1900, 2, 28),
        ] {
            let date = Date::new(y, m, d).unwrap();
            let n = NaiveDate::from(date);
            assert_eq!(
                n,
                NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d)).unwrap()
            );
            assert_eq!(Date::try_from(n).unwrap(), date);
        }
        for n in [
            NaiveDate::from_ymd_opt(0, 2, 29).unwrap(),
            NaiveDate::from_ymd_opt(10000, 1, 1).unwrap(),
            NaiveDate::MIN,
            NaiveDate::MAX,
        ] {
            let err = Date::try_from(n).unwrap_err();
            assert_eq!(err.reason(), "outside years 0001..=9999", "{n}");
        }
    }

    #[test]
    fn durations_keep_sign_and_nanoseconds() {
        for wire in [
            "0s",
            "1.5s",
            "-1.5s",
            "-0.000000001s",
            "315576000000s",
            "-315576000000.999999999s",
        ] {
            let d: Duration = wire.parse().unwrap();
            let c = TimeDelta::from(d);
            assert_eq!(c.num_seconds(), d.seconds(), "{wire}");
            assert_eq!(c.subsec_nanos(), d.subsec_nanos(), "{wire}");
            assert_eq!(Duration::try_from(c).unwrap(), d, "{wire}");
        }
        assert_eq!(
            TimeDelta::from("-0.5s".parse::<Duration>().unwrap()),
            TimeDelta::milliseconds(-500)
        );
        for too_long in [
            TimeDelta::new(315_576_000_001, 0).unwrap(),
            -TimeDelta::new(315_576_000_001, 0).unwrap(),
            TimeDelta::MAX,
            TimeDelta::MIN,
        ] {
            let err = Duration::try_from(too_long).unwrap_err();
            assert_eq!(err.reason(), "longer than 315576000000 seconds");
        }
    }
}
