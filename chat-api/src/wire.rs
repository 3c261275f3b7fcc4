//! serde helpers for wire formats that `#[derive]` cannot express on its own.
//!
//! - [`int64`]: `int64`/`uint64` values travel as JSON strings (`"123"`) because
//!   JavaScript numbers lose precision above 2^53; decoding also accepts plain numbers,
//!   which some servers send. Works through `Option`, `Vec` and `BTreeMap<String, _>`.
//! - [`string_enum!`]: the serde, `Display` and query-string impls of the generated string
//!   enums, written once here instead of once per enum in the generated code.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// A value (or a container of values) whose integers travel as JSON strings.
pub(crate) trait StringNumber: Sized {
    /// Serializes with every integer as a string.
    fn ser<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Deserializes integers from strings or numbers.
    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Borrowing adapter: serializes `T` through [`StringNumber`].
struct Ser<'a, T>(&'a T);

impl<T: StringNumber> Serialize for Ser<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.ser(serializer)
    }
}

/// Owning adapter: deserializes `T` through [`StringNumber`].
struct De<T>(T);

impl<'de, T: StringNumber> Deserialize<'de> for De<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::de(deserializer).map(De)
    }
}

/// Accepts `"123"`, `123` and (for `i64`) `-123` as an integer of type `T`.
struct IntVisitor<T>(PhantomData<T>);

impl<T> Visitor<'_> for IntVisitor<T>
where
    T: TryFrom<i64> + TryFrom<u64> + std::str::FromStr,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a {} as a decimal string or number",
            std::any::type_name::<T>()
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }
}

macro_rules! string_number_int {
    ($($t:ty),*) => {$(
        impl StringNumber for $t {
            fn ser<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
            fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(IntVisitor(PhantomData))
            }
        }
    )*};
}

string_number_int!(i64, u64);

impl<T: StringNumber> StringNumber for Option<T> {
    fn ser<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Ser(value)),
            None => serializer.serialize_none(),
        }
    }
    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<De<T>>::deserialize(deserializer)?.map(|v| v.0))
    }
}

impl<T: StringNumber> StringNumber for Vec<T> {
    fn ser<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Ser))
    }
    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<De<T>>::deserialize(deserializer)?
            .into_iter()
            .map(|v| v.0)
            .collect())
    }
}

impl<T: StringNumber> StringNumber for BTreeMap<String, T> {
    fn ser<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, Ser(v))))
    }
    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(BTreeMap::<String, De<T>>::deserialize(deserializer)?
            .into_iter()
            .map(|(k, v)| (k, v.0))
            .collect())
    }
}

/// `#[serde(default, with = "crate::wire::int64")]`: `int64`/`uint64` as JSON strings.
pub(crate) mod int64 {
    use super::StringNumber;
    use serde::{Deserializer, Serializer};

    /// Writes every integer in `value` as a JSON string.
    pub(crate) fn serialize<T: StringNumber, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.ser(serializer)
    }

    /// Reads integers from JSON strings or numbers.
    pub(crate) fn deserialize<'de, T: StringNumber, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::de(deserializer)
    }
}

/// Decodes a string enum through its `From<&str>`, which maps unknown values to the
/// enum's catch-all variant, so a value the server adds later never fails decoding.
pub(crate) fn deserialize_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct EnumVisitor<T>(PhantomData<T>);

    impl<T: for<'a> From<&'a str>> Visitor<'_> for EnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an enum value as a string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
    }

    deserializer.deserialize_str(EnumVisitor(PhantomData))
}

/// The impls every generated string enum shares: `Display`, `Serialize`,
/// `Deserialize`, `From<String>` and `QueryValue`, all through the enum's `as_str()` and
/// `From<&str>` (which the generator writes).
macro_rules! string_enum {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::wire::deserialize_enum(deserializer)
            }
        }

        impl $crate::rt::QueryValue for $name {
            fn to_query_value(&self) -> ::std::string::String {
                self.as_str().to_owned()
            }
        }
    };
}

pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Wire {
        #[serde(default, with = "int64", skip_serializing_if = "Option::is_none")]
        one: Option<i64>,
        #[serde(default, with = "int64", skip_serializing_if = "Option::is_none")]
        big: Option<u64>,
        #[serde(default, with = "int64", skip_serializing_if = "Option::is_none")]
        many: Option<Vec<i64>>,
        #[serde(default, with = "int64", skip_serializing_if = "Option::is_none")]
        map: Option<BTreeMap<String, u64>>,
    }

    #[test]
    fn int64_round_trips_as_strings() {
        let value = Wire {
            one: Some(-9_007_199_254_740_993),
            big: Some(u64::MAX),
            many: Some(vec![1, -2]),
            map: Some(BTreeMap::from([("a".to_owned(), 3)])),
        };
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(
            json,
            r#"{"one":"-9007199254740993","big":"18446744073709551615","many":["1","-2"],"map":{"a":"3"}}"#
        );
        assert_eq!(serde_json::from_str::<Wire>(&json).unwrap(), value);
    }

    #[test]
    fn int64_accepts_numbers_and_missing_fields() {
        let value: Wire = serde_json::from_str(r#"{"one":5,"many":[1,"2"]}"#).unwrap();
        assert_eq!(value.one, Some(5));
        assert_eq!(value.many, Some(vec![1, 2]));
        assert_eq!(value.big, None);
        assert_eq!(serde_json::from_str::<Wire>("{}").unwrap(), Wire::default());
        assert_eq!(
            serde_json::from_str::<Wire>(r#"{"one":null}"#).unwrap(),
            Wire::default()
        );
    }

    #[test]
    fn int64_rejects_bad_values() {
        for bad in [
            r#"{"one":"12x"}"#,
            r#"{"big":"-1"}"#,
            r#"{"big":-1}"#,
            r#"{"one":"99999999999999999999"}"#,
            r#"{"one":true}"#,
        ] {
            let err = serde_json::from_str::<Wire>(bad).unwrap_err();
            assert!(
                err.to_string().contains("as a decimal string or number"),
                "{bad}: {err}"
            );
        }
    }
}
