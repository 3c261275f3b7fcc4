//! Wire types of Google APIs: timestamps, dates, durations, field masks and bytes, and
//! what keeps values the crate does not know ([`UnknownFields`], [`UnknownValue`]).
//!
//! Each is a small typed wrapper that parses the exact wire format (with a typed
//! [`InvalidValue`] error, never a panic) and writes it back, so values round-trip. They
//! implement `Display` + `FromStr` (the wire form) and serde. They are written here rather
//! than taken from a date/time crate to keep that crate's types (and versions) out of
//! this crate's public API and its compile time. They convert to and from `std::time`,
//! and, each behind an optional feature of the same name (off by default), to and from
//! the types of `jiff`, `chrono` and `time` (`From` into them, `TryFrom` back, failing
//! with [`InvalidValue`] outside the wire's range; a [`Timestamp`] into `jiff` is a
//! `TryFrom` too, as jiff's instants end 26 hours before the year 9999 does):
//!
//! | wire type | `jiff` | `chrono` | `time` |
//! |---|---|---|---|
//! | [`Timestamp`] | `jiff::Timestamp` | `DateTime<Utc>`, `DateTime<FixedOffset>` | `OffsetDateTime` |
//! | [`Date`] | `jiff::civil::Date` | `NaiveDate` | `time::Date` |
//! | [`Duration`] | `jiff::SignedDuration` | `TimeDelta` | `time::Duration` |

use std::fmt;
use std::str::FromStr;
use std::time::{Duration as StdDuration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;

mod unknown_fields;

pub use unknown_fields::UnknownFields;

// Conversions to and from the date/time crates, one file each, behind their features.
#[cfg(feature = "chrono")]
mod chrono;
#[cfg(any(feature = "jiff", feature = "chrono", feature = "time"))]
mod convert;
#[cfg(feature = "jiff")]
mod jiff;
#[cfg(feature = "time")]
mod time;

/// A value that does not have the wire format of its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} {input:?}: {reason}")]
pub struct InvalidValue {
    kind: &'static str,
    input: String,
    reason: &'static str,
}

impl InvalidValue {
    fn new(kind: &'static str, input: &str, reason: &'static str) -> Self {
        // Enough of the input to recognise it without echoing megabytes.
        let input = match input.char_indices().nth(80) {
            Some((end, _)) => format!("{}...", &input[..end]),
            None => input.to_owned(),
        };
        Self {
            kind,
            input,
            reason,
        }
    }

    /// The kind of value that was expected, e.g. `timestamp`.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// Why the value was rejected.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

/// serde and `QueryValue` impls shared by all wire types: the
/// value travels as its `Display` form and is read back through `FromStr`.
macro_rules! wire_string_impls {
    ($t:ty, $expecting:literal) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$t, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(V)
            }
        }

        impl crate::request::QueryValue for $t {
            fn to_query_value(&self) -> String {
                self.to_string()
            }
        }
    };
}

/// Parses exactly `n` ASCII digits at `s[at..]`.
fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = s.get(at..at + n)?;
    part.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // The casts cannot truncate: day is 1..=31 and month 1..=12 by construction.
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Writes `nanos` as `.f{3,6,9}`, or nothing when zero.
fn write_fraction(f: &mut fmt::Formatter<'_>, nanos: u32) -> fmt::Result {
    if nanos == 0 {
        Ok(())
    } else if nanos % 1_000_000 == 0 {
        write!(f, ".{:03}", nanos / 1_000_000)
    } else if nanos % 1_000 == 0 {
        write!(f, ".{:06}", nanos / 1_000)
    } else {
        write!(f, ".{nanos:09}")
    }
}

/// Parses 1 to 9 fraction digits (after the `.`) into nanoseconds; returns the value and
/// the number of bytes read.
fn parse_fraction(s: &[u8]) -> Option<(u32, usize)> {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || n > 9 {
        return None;
    }
    let value = digits(s, 0, n)?;
    Some((value * 10u32.pow(9 - n as u32), n))
}

/// Seconds since the epoch of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range
/// RFC 3339 can write.
const MIN_UNIX_SECONDS: i64 = -62_135_596_800;
const MAX_UNIX_SECONDS: i64 = 253_402_300_799;

/// A point in time, RFC 3339 on the wire (`google-datetime`), e.g.
/// `2024-05-01T12:30:00.125Z` or `2024-05-01T14:30:00+02:00`.
///
/// Keeps the UTC offset it was written with so that it is written back the same way;
/// equality compares instant and offset. Nanosecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    seconds: i64,
    nanos: u32,
    offset_minutes: i16,
}

impl Timestamp {
    /// The instant `seconds` + `nanos` after 1970-01-01T00:00:00Z, written in UTC.
    pub fn from_unix(seconds: i64, nanos: u32) -> Result<Self, InvalidValue> {
        const KIND: &str = "timestamp";
        if nanos >= 1_000_000_000 {
            return Err(InvalidValue::new(
                KIND,
                &format!("{seconds}s {nanos}ns"),
                "nanoseconds must be below 1e9",
            ));
        }
        if !(MIN_UNIX_SECONDS..=MAX_UNIX_SECONDS).contains(&seconds) {
            return Err(InvalidValue::new(
                KIND,
                &format!("{seconds}s"),
                "outside years 0001..=9999",
            ));
        }
        Ok(Self {
            seconds,
            nanos,
            offset_minutes: 0,
        })
    }

    /// The current time, in UTC.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (negative before).
    pub fn unix_seconds(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`Self::unix_seconds`], below one billion.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// The UTC offset the value is written with, in minutes (0 for `Z`).
    pub fn offset_minutes(&self) -> i16 {
        self.offset_minutes
    }

    /// The same instant as a `SystemTime`.
    pub fn to_system_time(&self) -> SystemTime {
        let nanos = StdDuration::from_nanos(u64::from(self.nanos));
        if self.seconds >= 0 {
            UNIX_EPOCH + StdDuration::from_secs(self.seconds.unsigned_abs()) + nanos
        } else {
            UNIX_EPOCH - StdDuration::from_secs(self.seconds.unsigned_abs()) + nanos
        }
    }
}

impl From<SystemTime> for Timestamp {
    /// Converts, saturating at the years 0001 and 9999.
    fn from(time: SystemTime) -> Self {
        let (seconds, nanos) = match time.duration_since(UNIX_EPOCH) {
            Ok(d) => (
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            ),
            Err(before) => {
                let d = before.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() == 0 {
                    (-secs, 0)
                } else {
                    (-secs - 1, 1_000_000_000 - d.subsec_nanos())
                }
            }
        };
        if seconds > MAX_UNIX_SECONDS {
            Self {
                seconds: MAX_UNIX_SECONDS,
                nanos: 999_999_999,
                offset_minutes: 0,
            }
        } else if seconds < MIN_UNIX_SECONDS {
            Self {
                seconds: MIN_UNIX_SECONDS,
                nanos: 0,
                offset_minutes: 0,
            }
        } else {
            Self {
                seconds,
                nanos,
                offset_minutes: 0,
            }
        }
    }
}

impl FromStr for Timestamp {
    type Err = InvalidValue;

    fn from_str(input: &str) -> Result<Self, InvalidValue> {
        let err = |reason| InvalidValue::new("timestamp", input, reason);
        let s = input.as_bytes();
        let shape = |at: usize, c: u8| s.get(at).is_some_and(|b| b.eq_ignore_ascii_case(&c));
        if !(shape(4, b'-')
            && shape(7, b'-')
            && shape(10, b't')
            && shape(13, b':')
            && shape(16, b':'))
        {
            return Err(err(
                "expected YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)",
            ));
        }
        let num = |at, n| digits(s, at, n).ok_or_else(|| err("expected digits"));
        let (year, month, day) = (i64::from(num(0, 4)?), num(5, 2)?, num(8, 2)?);
        let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
        if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(err("no such date"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(err("no such time of day"));
        }
        let mut at = 19;
        let mut nanos = 0;
        if s.get(at) == Some(&b'.') {
            let (value, n) = parse_fraction(&s[at + 1..])
                .ok_or_else(|| err("expected 1 to 9 fraction digits"))?;
            nanos = value;
            at += 1 + n;
        }
        let offset_minutes: i16 = match s.get(at..) {
            Some([b'Z' | b'z']) => 0,
            Some([sign @ (b'+' | b'-'), _, _, b':', _, _]) => {
                let (h, m) = (num(at + 1, 2)?, num(at + 4, 2)?);
                if h > 23 || m > 59 {
                    return Err(err("UTC offset out of range"));
                }
                // At most 23 * 60 + 59, which fits.
                let minutes = (h * 60 + m) as i16;
                if *sign == b'-' { -minutes } else { minutes }
            }
            _ => {
                return Err(err(
                    "expected a UTC offset (Z, +HH:MM or -HH:MM) at the end",
                ));
            }
        };
        let local = days_from_civil(year, month, day) * 86_400
            + i64::from(hour * 3600 + minute * 60 + second);
        let seconds = local - i64::from(offset_minutes) * 60;
        if !(MIN_UNIX_SECONDS..=MAX_UNIX_SECONDS).contains(&seconds) {
            return Err(err("outside years 0001..=9999 in UTC"));
        }
        Ok(Self {
            seconds,
            nanos,
            offset_minutes,
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.seconds + i64::from(self.offset_minutes) * 60;
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let secs = local.rem_euclid(86_400);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )?;
        write_fraction(f, self.nanos)?;
        match self.offset_minutes {
            0 => f.write_str("Z"),
            m => {
                let sign = if m < 0 { '-' } else { '+' };
                let m = m.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", m / 60, m % 60)
            }
        }
    }
}

wire_string_impls!(Timestamp, "an RFC 3339 timestamp string");

/// A calendar date, `YYYY-MM-DD` on the wire (`date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date `year`-`month`-`day`, if it exists (years 1 to 9999).
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, InvalidValue> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && u32::from(day) <= days_in_month(i64::from(year), u32::from(month));
        if valid {
            Ok(Self { year, month, day })
        } else {
            Err(InvalidValue::new(
                "date",
                &format!("{year:04}-{month:02}-{day:02}"),
                "no such date",
            ))
        }
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }
}

impl FromStr for Date {
    type Err = InvalidValue;

    fn from_str(input: &str) -> Result<Self, InvalidValue> {
        let s = input.as_bytes();
        let parsed = (s.len() == 10 && s[4] == b'-' && s[7] == b'-')
            .then(|| Some((digits(s, 0, 4)?, digits(s, 5, 2)?, digits(s, 8, 2)?)))
            .flatten();
        let Some((year, month, day)) = parsed else {
            return Err(InvalidValue::new("date", input, "expected YYYY-MM-DD"));
        };
        // Four and two digits always fit.
        Self::new(year as u16, month as u8, day as u8)
            .map_err(|_| InvalidValue::new("date", input, "no such date"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

wire_string_impls!(Date, "a YYYY-MM-DD date string");

/// The largest duration Google APIs accept: about 10,000 years, in seconds.
const MAX_DURATION_SECONDS: i64 = 315_576_000_000;

/// A signed span of time, seconds with an `s` suffix on the wire (`google-duration`),
/// e.g. `3.5s` or `-0.000000001s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    seconds: i64,
    /// Same sign as `seconds` (or either sign when `seconds` is 0), below 1e9 in size.
    nanos: i32,
}

impl Duration {
    /// `seconds` + `nanos`; both must have the same sign (or be zero), `|nanos| < 1e9`,
    /// and `|seconds|` at most 315,576,000,000 (about 10,000 years).
    pub fn new(seconds: i64, nanos: i32) -> Result<Self, InvalidValue> {
        let err = |reason| InvalidValue::new("duration", &format!("{seconds}s {nanos}ns"), reason);
        if nanos.unsigned_abs() >= 1_000_000_000 {
            return Err(err("nanoseconds must be below 1e9 in size"));
        }
        if (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0) {
            return Err(err("seconds and nanoseconds must have the same sign"));
        }
        if seconds.unsigned_abs() > MAX_DURATION_SECONDS.unsigned_abs() {
            return Err(err("longer than 315576000000 seconds"));
        }
        Ok(Self { seconds, nanos })
    }

    /// Whole seconds (rounded toward zero).
    pub fn seconds(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds past [`Self::seconds`], with the same sign.
    pub fn subsec_nanos(&self) -> i32 {
        self.nanos
    }

    /// The duration as a `std::time::Duration`, or `None` when negative.
    pub fn to_std(&self) -> Option<StdDuration> {
        let seconds = u64::try_from(self.seconds).ok()?;
        let nanos = u32::try_from(self.nanos).ok()?;
        Some(StdDuration::new(seconds, nanos))
    }
}

impl TryFrom<StdDuration> for Duration {
    type Error = InvalidValue;

    /// Fails for spans longer than about 10,000 years.
    fn try_from(d: StdDuration) -> Result<Self, InvalidValue> {
        let seconds = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        // Below 1e9, so it fits.
        Self::new(seconds, d.subsec_nanos() as i32)
    }
}

impl FromStr for Duration {
    type Err = InvalidValue;

    fn from_str(input: &str) -> Result<Self, InvalidValue> {
        let err = |reason| InvalidValue::new("duration", input, reason);
        let body = input
            .strip_suffix('s')
            .ok_or_else(|| err("expected a number of seconds ending in `s`"))?;
        let (negative, body) = match body.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        let (whole, fraction) = match body.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (body, None),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("expected decimal seconds, e.g. 3.5s"));
        }
        let seconds: i64 = whole.parse().map_err(|_| err("too many seconds"))?;
        let nanos = match fraction {
            None => 0,
            Some(f) => match parse_fraction(f.as_bytes()) {
                Some((n, len)) if len == f.len() => n,
                _ => return Err(err("expected 1 to 9 fraction digits")),
            },
        };
        // Below 1e9, so it fits.
        let nanos = nanos as i32;
        let (seconds, nanos) = if negative {
            (-seconds, -nanos)
        } else {
            (seconds, nanos)
        };
        Self::new(seconds, nanos).map_err(|e| err(e.reason))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds < 0 || self.nanos < 0 {
            f.write_str("-")?;
        }
        write!(f, "{}", self.seconds.unsigned_abs())?;
        write_fraction(f, self.nanos.unsigned_abs())?;
        f.write_str("s")
    }
}

wire_string_impls!(Duration, "a duration string such as 3.5s");

/// A set of field paths, comma-separated on the wire (`google-fieldmask`), e.g.
/// `text,cardsV2`. Paths use the wire (camelCase) names of fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FieldMask {
    paths: Vec<String>,
}

impl FieldMask {
    /// A mask of `paths`, e.g. `FieldMask::new(["text", "cardsV2"])`.
    pub fn new(paths: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            paths: paths.into_iter().map(Into::into).collect(),
        }
    }

    /// The paths.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }
}

impl From<&str> for FieldMask {
    /// Splits at commas, trimming spaces and ignoring empty paths: `"text, cardsV2"`.
    /// Use `str::parse` to reject such input instead.
    fn from(value: &str) -> Self {
        Self::new(value.split(',').map(str::trim).filter(|p| !p.is_empty()))
    }
}

impl From<String> for FieldMask {
    /// Like `From<&str>`.
    fn from(value: String) -> Self {
        Self::from(value.as_str())
    }
}

impl FromStr for FieldMask {
    type Err = InvalidValue;

    /// Strict: the empty string is the empty mask; otherwise every comma-separated path
    /// must be non-empty and free of whitespace.
    fn from_str(input: &str) -> Result<Self, InvalidValue> {
        if input.is_empty() {
            return Ok(Self::default());
        }
        let paths: Vec<&str> = input.split(',').collect();
        if paths.iter().any(|p| p.is_empty()) {
            return Err(InvalidValue::new("field mask", input, "empty path"));
        }
        if paths.iter().any(|p| p.chars().any(char::is_whitespace)) {
            return Err(InvalidValue::new(
                "field mask",
                input,
                "whitespace in a path",
            ));
        }
        Ok(Self::new(paths))
    }
}

impl fmt::Display for FieldMask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, path) in self.paths.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(path)?;
        }
        Ok(())
    }
}

wire_string_impls!(FieldMask, "a comma-separated field mask string");

/// Binary data, base64 on the wire (`byte`).
///
/// Written with the standard alphabet and padding; read in the standard or URL-safe
/// alphabet, padded or not (Google APIs use both).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Bytes(Vec<u8>);

impl Bytes {
    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, owned.
    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(value: Vec<u8>) -> Self {
        Self(value)
    }
}

impl From<&[u8]> for Bytes {
    fn from(value: &[u8]) -> Self {
        Self(value.to_vec())
    }
}

impl From<Bytes> for Vec<u8> {
    fn from(value: Bytes) -> Self {
        value.0
    }
}

const BASE64_DECODE: base64::engine::GeneralPurposeConfig =
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent);
const STANDARD_ANY_PADDING: base64::engine::GeneralPurpose =
    base64::engine::GeneralPurpose::new(&base64::alphabet::STANDARD, BASE64_DECODE);
const URL_SAFE_ANY_PADDING: base64::engine::GeneralPurpose =
    base64::engine::GeneralPurpose::new(&base64::alphabet::URL_SAFE, BASE64_DECODE);

impl FromStr for Bytes {
    type Err = InvalidValue;

    fn from_str(input: &str) -> Result<Self, InvalidValue> {
        let engine = if input.contains(['-', '_']) {
            &URL_SAFE_ANY_PADDING
        } else {
            &STANDARD_ANY_PADDING
        };
        engine
            .decode(input)
            .map(Self)
            .map_err(|_| InvalidValue::new("base64 bytes", input, "not base64"))
    }
}

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

wire_string_impls!(Bytes, "a base64 string");

/// An enum value this version of the crate does not know, kept as the server sent it.
///
/// There is no public constructor: an enum's `Unknown` variant only ever holds a value
/// that is not one of its known variants (`Enum::from("KNOWN")` gives the known
/// variant), so every value has exactly one spelling.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps `value`; only the generated `From<&str>` impls call this (through
    /// [`crate::contract::unknown_value`]), after checking that `value` is not a known
    /// variant.
    pub(crate) fn new(value: &str) -> Self {
        Self(value.to_owned())
    }

    /// The value as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: FromStr<Err = InvalidValue> + fmt::Display>(wire: &str) -> String {
        wire.parse::<T>()
            .unwrap_or_else(|e| panic!("{wire}: {e}"))
            .to_string()
    }

    #[test]
    fn timestamps_round_trip() {
        for wire in [
            "2024-05-01T12:30:00Z",
            "2024-05-01T12:30:00.125Z",
            "2024-05-01T12:30:00.125001Z",
            "2024-05-01T12:30:00.000000001Z",
            "2024-05-01T14:30:00+02:00",
            "2024-02-29T23:59:59.5-05:30",
            "1969-12-31T23:59:59.999999999Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
        ] {
            let written = round_trip::<Timestamp>(wire);
            let reparsed: Timestamp = written.parse().unwrap();
            assert_eq!(
                reparsed,
                wire.parse::<Timestamp>().unwrap(),
                "{wire} -> {written}"
            );
        }
        assert_eq!(
            round_trip::<Timestamp>("2024-05-01t12:30:00.1z"),
            "2024-05-01T12:30:00.100Z"
        );
        assert_eq!(
            round_trip::<Timestamp>("2024-02-29T23:59:59.5-05:30"),
            "2024-02-29T23:59:59.500-05:30"
        );
    }

    #[test]
    fn timestamp_values_and_offsets() {
        let t: Timestamp = "1970-01-01T01:00:00.25+01:00".parse().unwrap();
        assert_eq!(
            (t.unix_seconds(), t.subsec_nanos(), t.offset_minutes()),
            (0, 250_000_000, 60)
        );
        let t: Timestamp = "1969-12-31T23:59:59.5Z".parse().unwrap();
        assert_eq!((t.unix_seconds(), t.subsec_nanos()), (-1, 500_000_000));
        assert_eq!(
            Timestamp::from(t.to_system_time()).to_string(),
            "1969-12-31T23:59:59.500Z"
        );
        let t = Timestamp::from_unix(1_714_566_600, 0).unwrap();
        assert_eq!(t.to_string(), "2024-05-01T12:30:00Z");
        assert!(Timestamp::from_unix(0, 1_000_000_000).is_err());
        assert!(Timestamp::from_unix(MAX_UNIX_SECONDS + 1, 0).is_err());
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"2024-05-01T12:30:00Z\"");
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
    }

    #[test]
    fn bad_timestamps_are_typed_errors() {
        for bad in [
            "",
            "2024-05-01",
            "2024-05-01T12:30:00",
            "2024-05-01 12:30:00Z",
            "2024-13-01T12:30:00Z",
            "2023-02-29T12:30:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T12:30:60Z",
            "2024-05-01T12:30:00.Z",
            "2024-05-01T12:30:00.1234567891Z",
            "2024-05-01T12:30:00+2:00",
            "2024-05-01T12:30:00+24:00",
            "2024-05-01T12:30:00Zjunk",
            "0000-01-01T00:00:00Z",
            "0001-01-01T00:00:00+01:00",
            "２０２４-05-01T12:30:00Z",
        ] {
            let err = bad.parse::<Timestamp>().unwrap_err();
            assert_eq!(err.kind(), "timestamp", "{bad}");
            assert!(err.to_string().starts_with("invalid timestamp"), "{err}");
        }
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
        assert!(serde_json::from_str::<Timestamp>("12").is_err());
    }

    #[test]
    fn dates_round_trip_and_reject_bad_input() {
        for wire in ["2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(round_trip::<Date>(wire), wire);
        }
        let d = Date::new(2024, 5, 1).unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2024, 5, 1));
        for bad in [
            "2023-02-29",
            "2024-00-10",
            "2024-5-1",
            "20240501",
            "0000-01-01",
            "2024-05-01T",
        ] {
            assert_eq!(bad.parse::<Date>().unwrap_err().kind(), "date", "{bad}");
        }
        assert!(Date::new(2024, 4, 31).is_err());
    }

    #[test]
    fn durations_round_trip() {
        for wire in [
            "0s",
            "3s",
            "3.500s",
            "-0.000000001s",
            "-1.000001s",
            "315576000000s",
        ] {
            assert_eq!(round_trip::<Duration>(wire), wire);
        }
        assert_eq!(round_trip::<Duration>("3.5s"), "3.500s");
        let d: Duration = "-1.5s".parse().unwrap();
        assert_eq!((d.seconds(), d.subsec_nanos()), (-1, -500_000_000));
        assert_eq!(d.to_std(), None);
        let d = Duration::try_from(StdDuration::from_millis(1500)).unwrap();
        assert_eq!(d.to_string(), "1.500s");
        assert_eq!(d.to_std(), Some(StdDuration::from_millis(1500)));
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"1.500s\"");
    }

    #[test]
    fn bad_durations_are_typed_errors() {
        for bad in [
            "",
            "s",
            "3",
            "3.s",
            "-s",
            "1.0000000001s",
            "+3s",
            "3.5 s",
            "315576000001s",
            "99999999999999999999s",
            "1e3s",
        ] {
            assert_eq!(
                bad.parse::<Duration>().unwrap_err().kind(),
                "duration",
                "{bad}"
            );
        }
        assert!(Duration::new(1, -1).is_err());
        assert!(Duration::new(0, 1_000_000_000).is_err());
        assert!(Duration::try_from(StdDuration::from_secs(u64::MAX)).is_err());
    }

    #[test]
    fn field_masks() {
        assert_eq!(round_trip::<FieldMask>("text,cardsV2"), "text,cardsV2");
        assert_eq!(round_trip::<FieldMask>(""), "");
        let mask: FieldMask = "a.b,c".parse().unwrap();
        assert_eq!(mask.paths(), ["a.b", "c"]);
        assert_eq!(
            FieldMask::from("text, cardsV2,").to_string(),
            "text,cardsV2"
        );
        assert_eq!(FieldMask::new(["x", "y"]).to_string(), "x,y");
        for bad in [",", "a,,b", "a, b", "a,"] {
            assert_eq!(
                bad.parse::<FieldMask>().unwrap_err().kind(),
                "field mask",
                "{bad}"
            );
        }
    }

    #[test]
    fn bytes_base64() {
        let b = Bytes::from(vec![0xfb, 0xff, 0x00]);
        assert_eq!(b.to_string(), "+/8A");
        assert_eq!("+/8A".parse::<Bytes>().unwrap(), b);
        assert_eq!("-_8A".parse::<Bytes>().unwrap(), b);
        assert_eq!("aGk".parse::<Bytes>().unwrap().as_slice(), b"hi");
        assert_eq!("aGk=".parse::<Bytes>().unwrap().as_slice(), b"hi");
        assert_eq!(
            serde_json::to_string(&Bytes::from(&b"hi"[..])).unwrap(),
            "\"aGk=\""
        );
        assert_eq!(
            "not base64!".parse::<Bytes>().unwrap_err().kind(),
            "base64 bytes"
        );
        let long = "!".repeat(500);
        let err = long.parse::<Bytes>().unwrap_err().to_string();
        assert!(err.len() < 200, "{err}");
    }
}
