//! What the `jiff`, `chrono` and `time` conversions share: building the wire types from
//! another crate's parts, with the same checks (and the same typed [`InvalidValue`]) as
//! parsing the wire form.

use super::{InvalidValue, MAX_UNIX_SECONDS, MIN_UNIX_SECONDS, Timestamp};

impl Timestamp {
    /// The instant `seconds` + `nanos` after the epoch, written with the UTC offset of
    /// `offset_seconds`. RFC 3339 writes offsets in whole minutes: an offset with
    /// seconds (only historical local mean times have one) is written as UTC, the
    /// instant unchanged. Both the instant and its local time must lie in the years
    /// 0001..=9999, or the wire form could not be written.
    pub(super) fn from_parts(
        seconds: i64,
        nanos: u32,
        offset_seconds: i32,
    ) -> Result<Self, InvalidValue> {
        let mut value = Timestamp::from_unix(seconds, nanos)?;
        // `from_unix` refused more than 1e9 nanoseconds, so this is the exact instant.
        if offset_seconds % 60 == 0 {
            let local = seconds + i64::from(offset_seconds);
            if !(MIN_UNIX_SECONDS..=MAX_UNIX_SECONDS).contains(&local) {
                return Err(InvalidValue::new(
                    "timestamp",
                    &format!("{seconds}s at UTC offset {offset_seconds}s"),
                    "local time outside years 0001..=9999",
                ));
            }
            // Offsets of the other crates stay below a day: 1439 minutes fits an i16.
            value.offset_minutes = i16::try_from(offset_seconds / 60).map_err(|_| {
                InvalidValue::new(
                    "timestamp",
                    &format!("UTC offset {offset_seconds}s"),
                    "UTC offset out of range",
                )
            })?;
        }
        Ok(value)
    }
}

/// The year, month and day of a date of another crate as a [`super::Date`]: a typed error
/// for years outside 0001..=9999 (the other crates' dates are valid calendar dates).
pub(super) fn date(year: i32, month: u8, day: u8) -> Result<super::Date, InvalidValue> {
    match u16::try_from(year) {
        Ok(y) if (1..=9999).contains(&y) => super::Date::new(y, month, day),
        _ => Err(InvalidValue::new(
            "date",
            &format!("{year:04}-{month:02}-{day:02}"),
            "outside years 0001..=9999",
        )),
    }
}

/// A span of another crate as a [`super::Duration`]: `seconds` and `nanos` of the same
/// sign, as `jiff`, `chrono` and `time` all split them; a typed error beyond about
/// 10,000 years.
pub(super) fn duration(seconds: i64, nanos: i32) -> Result<super::Duration, InvalidValue> {
    super::Duration::new(seconds, nanos)
}
