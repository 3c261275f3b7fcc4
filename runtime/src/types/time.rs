//! Conversions between the wire time types and [`time`]'s (feature `time`):
//! [`Timestamp`] and `OffsetDateTime`, [`Date`] and `time::Date`, [`Duration`] and
//! `time::Duration`.
//!
//! Into `time` they cannot fail (its default range is the years -9999..=9999); from `time`
//! they fail with [`InvalidValue`] outside what the wire can carry (years 0001..=9999,
//! durations up to about 10,000 years). `OffsetDateTime` keeps the UTC offset both ways
//! (an offset with seconds, which RFC 3339 cannot write, becomes UTC, the instant
//! unchanged).

use time::{Month, OffsetDateTime, UtcOffset};

use super::convert;
use super::{Date, Duration, InvalidValue, Timestamp};

const NANOS_PER_SECOND: i128 = 1_000_000_000;

impl From<Timestamp> for OffsetDateTime {
    /// The same instant, at the offset the value was written with.
    fn from(value: Timestamp) -> Self {
        let nanos =
            i128::from(value.unix_seconds()) * NANOS_PER_SECOND + i128::from(value.subsec_nanos());
        // The years 0001..=9999 (the local time too) lie inside time's range, and
        // offsets below a day are valid: the fallbacks are never taken.
        let utc =
            OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let offset = UtcOffset::from_whole_seconds(i32::from(value.offset_minutes()) * 60)
            .unwrap_or(UtcOffset::UTC);
        utc.to_offset(offset)
    }
}

impl TryFrom<OffsetDateTime> for Timestamp {
    type Error = InvalidValue;

    /// Keeps the offset; fails when the instant or its local time lies outside the years
    /// 0001..=9999.
    fn try_from(value: OffsetDateTime) -> Result<Self, InvalidValue> {
        let nanos = value.unix_timestamp_nanos();
        // Below 1e9 and not negative.
        let subsec = nanos.rem_euclid(NANOS_PER_SECOND) as u32;
        // time's range fits an i64 of seconds.
        let seconds = i64::try_from(nanos.div_euclid(NANOS_PER_SECOND)).unwrap_or(i64::MAX);
        Timestamp::from_parts(seconds, subsec, value.offset().whole_seconds())
    }
}

impl From<Date> for time::Date {
    fn from(value: Date) -> Self {
        // A valid date of the years 0001..=9999 is a valid `time` date: the fallbacks
        // are never taken.
        let month = Month::try_from(value.month()).unwrap_or(Month::January);
        time::Date::from_calendar_date(i32::from(value.year()), month, value.day())
            .unwrap_or(time::Date::MIN)
    }
}

impl TryFrom<time::Date> for Date {
    type Error = InvalidValue;

    /// Fails for years outside 0001..=9999.
    fn try_from(value: time::Date) -> Result<Self, InvalidValue> {
        convert::date(value.year(), u8::from(value.month()), value.day())
    }
}

impl From<Duration> for time::Duration {
    fn from(value: Duration) -> Self {
        // Same split (whole seconds, nanoseconds of the same sign); never overflows.
        time::Duration::new(value.seconds(), value.subsec_nanos())
    }
}

impl TryFrom<time::Duration> for Duration {
    type Error = InvalidValue;

    /// Fails for spans longer than 315,576,000,000 seconds (about 10,000 years).
    fn try_from(value: time::Duration) -> Result<Self, InvalidValue> {
        convert::duration(value.whole_seconds(), value.subsec_nanoseconds())
    }
}

#[cfg(test)]
mod tests {
    use time::format_description::well_known::Rfc3339;
    use time::macros::{date, datetime};

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
            "9999-12-31T22:59:59.5-01:00",
        ] {
            let t = OffsetDateTime::from(ts(wire));
            assert_eq!(t.format(&Rfc3339).unwrap(), wire, "{wire}");
            assert_eq!(Timestamp::try_from(t).unwrap(), ts(wire), "{wire}");
        }
        assert_eq!(
            OffsetDateTime::from(ts("2000-02-29T00:00:00Z")),
            datetime!(2000-02-29 0:00 UTC)
        );
    }

    #[test]
    fn out_of_range_instants_and_offsets_are_refused() {
        for (value, reason) in [
            (
                datetime!(0000-12-31 23:59:59.999999999 UTC),
                "outside years 0001..=9999",
            ),
            (datetime!(-0001-01-01 0:00 UTC), "outside years 0001..=9999"),
            // 10000-01-01T00:59:59.999999999Z.
            (
                datetime!(9999-12-31 23:59:59.999999999 -01:00),
                "outside years 0001..=9999",
            ),
            // In range in UTC (0001-01-01T00:30:00Z), but the local time is in the year 0000.
            (
                datetime!(0000-12-31 23:30 -01:00),
                "local time outside years 0001..=9999",
            ),
        ] {
            let err = Timestamp::try_from(value).unwrap_err();
            assert_eq!(err.kind(), "timestamp");
            assert_eq!(err.reason(), reason, "{value}");
        }
        // An offset with seconds is written as UTC, the instant kept.
        let odd = datetime!(2024-01-01 0:00 UTC).to_offset(time::macros::offset!(+01:00:01));
        assert_eq!(
            Timestamp::try_from(odd).unwrap().to_string(),
            "2024-01-01T00:00:00Z"
        );
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
            let ours = Date::new(y, m, d).unwrap();
            let theirs = time::Date::from(ours);
            assert_eq!(theirs.to_string(), ours.to_string());
            assert_eq!(Date::try_from(theirs).unwrap(), ours);
        }
        for theirs in [
            date!(0000 - 02 - 29),
            date!(-0001 - 01 - 01),
            time::Date::MIN,
        ] {
            let err = Date::try_from(theirs).unwrap_err();
            assert_eq!(err.reason(), "outside years 0001..=9999", "{theirs}");
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
            let t = time::Duration::from(d);
            assert_eq!(t.whole_seconds(), d.seconds(), "{wire}");
            assert_eq!(t.subsec_nanoseconds(), d.subsec_nanos(), "{wire}");
            assert_eq!(Duration::try_from(t).unwrap(), d, "{wire}");
        }
        assert_eq!(
            time::Duration::from("-0.5s".parse::<Duration>().unwrap()),
            time::Duration::milliseconds(-500)
        );
        for too_long in [
            time::Duration::seconds(315_576_000_001),
            time::Duration::seconds(-315_576_000_001),
            time::Duration::MAX,
            time::Duration::MIN,
        ] {
            let err = Duration::try_from(too_long).unwrap_err();
            assert_eq!(err.reason(), "longer than 315576000000 seconds");
        }
    }
}
