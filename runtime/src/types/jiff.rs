//! Conversions between the wire time types and [`jiff`]'s (feature `jiff`):
//! [`Timestamp`] and `jiff::Timestamp`, [`Date`] and `jiff::civil::Date`, [`Duration`] and
//! `jiff::SignedDuration`.
//!
//! Dates and durations convert into jiff with `From` (jiff spans the years
//! -9999..=9999); a [`Timestamp`] with `TryFrom`, failing only in the last 26 hours of the
//! year 9999, where jiff's instants end. Back from jiff, `TryFrom` fails with
//! [`InvalidValue`] outside what the wire can carry (years 0001..=9999, durations up to
//! about 10,000 years). A `jiff::Timestamp` has no UTC offset: one made from a
//! [`Timestamp`] is the same instant, and one converted back is written in UTC.

use super::convert;
use super::{Date, Duration, InvalidValue, Timestamp};

const NANOS_PER_SECOND: i128 = 1_000_000_000;

impl TryFrom<Timestamp> for jiff::Timestamp {
    type Error = InvalidValue;

    /// Fails only for the last 26 hours of the year 9999: jiff's instants end at
    /// `9999-12-30T22:00:00.999999999Z` (so that every one has a civil time at any
    /// offset up to 25:59), the wire's at `9999-12-31T23:59:59.999999999Z`.
    fn try_from(value: Timestamp) -> Result<Self, InvalidValue> {
        let nanos =
            i128::from(value.unix_seconds()) * NANOS_PER_SECOND + i128::from(value.subsec_nanos());
        jiff::Timestamp::from_nanosecond(nanos).map_err(|_| {
            InvalidValue::new("timestamp", &value.to_string(), "after jiff's last instant")
        })
    }
}

impl TryFrom<jiff::Timestamp> for Timestamp {
    type Error = InvalidValue;

    /// Fails for instants before 0001-01-01 or after 9999-12-31 (UTC).
    fn try_from(value: jiff::Timestamp) -> Result<Self, InvalidValue> {
        let nanos = value.as_nanosecond();
        // jiff's range (years -9999..=9999) fits an i64 of seconds.
        let seconds = i64::try_from(nanos.div_euclid(NANOS_PER_SECOND)).unwrap_or(i64::MAX);
        // Below 1e9 and not negative.
        let subsec = nanos.rem_euclid(NANOS_PER_SECOND) as u32;
        Timestamp::from_parts(seconds, subsec, 0)
    }
}

impl From<Date> for jiff::civil::Date {
    fn from(value: Date) -> Self {
        // A valid date of the years 0001..=9999 is a valid jiff date: the fallback is
        // never taken. (Years up to 9999 fit an i16, months and days an i8.)
        jiff::civil::Date::new(value.year() as i16, value.month() as i8, value.day() as i8)
            .unwrap_or(jiff::civil::Date::MAX)
    }
}

impl TryFrom<jiff::civil::Date> for Date {
    type Error = InvalidValue;

    /// Fails for years outside 0001..=9999.
    fn try_from(value: jiff::civil::Date) -> Result<Self, InvalidValue> {
        // jiff's months and days are positive.
        convert::date(
            i32::from(value.year()),
            value.month().unsigned_abs(),
            value.day().unsigned_abs(),
        )
    }
}

impl From<Duration> for jiff::SignedDuration {
    fn from(value: Duration) -> Self {
        // Same split (whole seconds, nanoseconds of the same sign); never overflows.
        jiff::SignedDuration::new(value.seconds(), value.subsec_nanos())
    }
}

impl TryFrom<jiff::SignedDuration> for Duration {
    type Error = InvalidValue;

    /// Fails for spans longer than 315,576,000,000 seconds (about 10,000 years).
    fn try_from(value: jiff::SignedDuration) -> Result<Self, InvalidValue> {
        convert::duration(value.as_secs(), value.subsec_nanos())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn timestamps_round_trip_at_the_edges() {
        for wire in [
            "0001-01-01T00:00:00Z",
            "9999-12-30T22:00:00.999999999Z",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.000000001Z",
            "2024-02-29T12:00:00.123456789Z",
            "2000-02-29T00:00:00Z",
        ] {
            let j = jiff::Timestamp::try_from(ts(wire)).unwrap();
            assert_eq!(j.to_string().replace("+00:00", "Z"), wire, "{wire}");
            assert_eq!(Timestamp::try_from(j).unwrap(), ts(wire), "{wire}");
        }
        // The instant is kept; the offset is not (a jiff::Timestamp has none).
        let j = jiff::Timestamp::try_from(ts("2024-02-29T01:30:00+02:00")).unwrap();
        assert_eq!(
            j,
            "2024-02-28T23:30:00Z".parse::<jiff::Timestamp>().unwrap()
        );
        assert_eq!(
            Timestamp::try_from(j).unwrap().to_string(),
            "2024-02-28T23:30:00Z"
        );
    }

    #[test]
    fn timestamps_outside_the_wire_range_are_refused() {
        for out in [
            "0000-12-31T23:59:59.999999999Z",
            "-0001-01-01T00:00:00Z",
            "9999-12-31T23:59:60Z",
        ] {
            // jiff rejects a :60 leap second itself; the others it accepts and we refuse.
            let Ok(j) = out.parse::<jiff::Timestamp>() else {
                continue;
            };
            let err = Timestamp::try_from(j).unwrap_err();
            assert_eq!(err.kind(), "timestamp", "{out}");
            assert!(err.reason().contains("0001..=9999"), "{out}: {err}");
        }
        let err = Timestamp::try_from(jiff::Timestamp::MIN).unwrap_err();
        assert!(
            err.to_string().contains("outside years 0001..=9999"),
            "{err}"
        );
        // jiff's last instant is ours too; the wire's last 26 hours are not jiff's.
        assert!(Timestamp::try_from(jiff::Timestamp::MAX).is_ok());
        for late in ["9999-12-30T22:00:01Z", "9999-12-31T23:59:59.999999999Z"] {
            let err = jiff::Timestamp::try_from(ts(late)).unwrap_err();
            assert_eq!(err.kind(), "timestamp");
            assert_eq!(err.reason(), "after jiff's last instant", "{late}");
        }
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
            let j = jiff::civil::Date::from(date);
            assert_eq!(j, jiff::civil::date(y as i16, m as i8, d as i8));
            assert_eq!(Date::try_from(j).unwrap(), date);
        }
        for j in [
            jiff::civil::date(0, 2, 29),
            jiff::civil::date(-1, 1, 1),
            jiff::civil::Date::MIN,
        ] {
            let err = Date::try_from(j).unwrap_err();
            assert_eq!(err.kind(), "date");
            assert_eq!(err.reason(), "outside years 0001..=9999", "{j}");
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
            let d: Duration = wire.parse().unwrap_or_else(|e| panic!("{wire}: {e}"));
            let j = jiff::SignedDuration::from(d);
            assert_eq!(j.as_secs(), d.seconds(), "{wire}");
            assert_eq!(j.subsec_nanos(), d.subsec_nanos(), "{wire}");
            assert_eq!(Duration::try_from(j).unwrap(), d, "{wire}");
        }
        assert_eq!(
            jiff::SignedDuration::from("-0.5s".parse::<Duration>().unwrap()),
            jiff::SignedDuration::from_millis(-500)
        );
        for too_long in [
            jiff::SignedDuration::new(315_576_000_001, 0),
            jiff::SignedDuration::new(-315_576_000_001, 0),
            jiff::SignedDuration::MAX,
            jiff::SignedDuration::MIN,
        ] {
            let err = Duration::try_from(too_long).unwrap_err();
            assert_eq!(err.kind(), "duration");
            assert_eq!(err.reason(), "longer than 315576000000 seconds");
        }
    }
}
