//! serde helpers for wire formats that `#[derive]` cannot express on its own.
//!
//! - [`StringNumber`] ([`put_int64`], [`next_int64`]): `int64`/`uint64` values travel as
//!   JSON strings (`"123"`) because JavaScript numbers lose precision above 2^53;
//!   decoding also accepts plain numbers, which some servers send. Works through
//!   `Option`, `Vec` and `BTreeMap<String, _>`.
//! - [`string_enum!`]: the serde, `Display` and query-string impls of the generated string
//!   enums, written once here instead of once per enum in the generated code.
//! - [`Object`], [`deserialize_object`], [`put`]: what the generated models' serde impls
//!   call. Models do not `#[derive(Serialize, Deserialize)]`: the derive's output (a field
//!   enum, two visitors and a sequence form per struct) was most of the crate's compile
//!   time, while a model only needs "for each key, decode that field"; the loop over
//!   keys lives here, once.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::types::UnknownFields;

/// A value (or a container of values) whose integers travel as JSON strings.
pub trait StringNumber: Sized {
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

/// Decodes a string enum through its `From<&str>`, which maps unknown values to the
/// enum's catch-all variant, so a value the server adds later never fails decoding.
pub fn deserialize_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
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
/// `Deserialize` and `From<String>`, all through the enum's `as_str()` and
/// `From<&str>` (which the generator writes).
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum {
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
                $crate::contract::wire::deserialize_enum(deserializer)
            }
        }
    };
}

pub use crate::__string_enum as string_enum;

/// A generated model: a struct of optional fields decoded one key at a time.
pub trait Object: Default {
    /// The type's name, for error messages.
    const NAME: &'static str;

    /// Decodes the value of `key` (a wire name) into its field; unknown keys are skipped
    /// so that fields the server adds later never fail decoding.
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
}

/// An object key, borrowed from the input when the deserializer allows it.
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Decodes a model from a JSON object, field by field (`null` fields stay `None`).
pub fn deserialize_object<'de, D: Deserializer<'de>, T: Object>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(PhantomData<T>);

    impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} object", T::NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut value = T::default();
            while let Some(key) = map.next_key::<Key<'de>>()? {
                value.field(key.as_str(), &mut map)?;
            }
            Ok(value)
        }
    }

    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// The next value of `map`, with its integers read from strings or numbers.
pub fn next_int64<'de, A: MapAccess<'de>, T: StringNumber>(map: &mut A) -> Result<T, A::Error> {
    map.next_value::<De<T>>().map(|v| v.0)
}

/// The next value of `map`, or the empty value when it is `null`: how list and map
/// fields (plain `Vec`/`BTreeMap`, empty when absent) are read.
pub fn next_or_default<'de, A: MapAccess<'de>, T: Deserialize<'de> + Default>(
    map: &mut A,
) -> Result<T, A::Error> {
    Ok(map.next_value::<Option<T>>()?.unwrap_or_default())
}

/// Like [`next_or_default`], with the integers of the value read from strings or numbers.
#[allow(
    dead_code,
    reason = "only APIs with lists or maps of int64 values use it"
)]
pub fn next_int64_or_default<'de, A: MapAccess<'de>, T: StringNumber + Default>(
    map: &mut A,
) -> Result<T, A::Error> {
    Ok(map.next_value::<De<Option<T>>>()?.0.unwrap_or_default())
}

/// Keeps the next value of `map` under `key`: a member the model does not know.
pub fn keep<'de, A: MapAccess<'de>>(
    unknown: &mut UnknownFields,
    key: &str,
    map: &mut A,
) -> Result<(), A::Error> {
    // As its JSON text: a number no Rust type holds exactly (`12345678901234567890123`,
    // `1e400`) or writes the same way (`1e2`) comes back unchanged.
    let value: Box<serde_json::value::RawValue> = map.next_value()?;
    unknown.put(key.to_owned(), value);
    Ok(())
}

/// Writes back the members the model did not know, after its own fields.
pub fn put_unknown<M: SerializeMap>(map: &mut M, unknown: &UnknownFields) -> Result<(), M::Error> {
    for (key, json) in unknown.raw() {
        map.serialize_entry(key, json)?;
    }
    Ok(())
}

/// Whether a field is on the wire: `Some`, or a non-empty list or map.
pub trait Present {
    /// Whether the field is written (and shown by `Debug`).
    fn is_present(&self) -> bool;
}

impl<T> Present for Option<T> {
    fn is_present(&self) -> bool {
        self.is_some()
    }
}

impl<T> Present for Vec<T> {
    fn is_present(&self) -> bool {
        !self.is_empty()
    }
}

impl<K, V> Present for BTreeMap<K, V> {
    fn is_present(&self) -> bool {
        !self.is_empty()
    }
}

/// Writes `key: value` when the field is present (`None` and empty lists and maps are
/// omitted).
pub fn put<M: SerializeMap, T: Present + Serialize>(
    map: &mut M,
    key: &'static str,
    value: &T,
) -> Result<(), M::Error> {
    if value.is_present() {
        map.serialize_entry(key, value)
    } else {
        Ok(())
    }
}

/// Like [`put`], with the integers of `value` written as strings.
pub fn put_int64<M: SerializeMap, T: Present + StringNumber>(
    map: &mut M,
    key: &'static str,
    value: &T,
) -> Result<(), M::Error> {
    if value.is_present() {
        map.serialize_entry(key, &Ser(value))
    } else {
        Ok(())
    }
}

/// A field as `Debug` shows it: only when present.
pub trait DebugField: Present + fmt::Debug {
    /// The field as a `dyn Debug` (a method rather than trait upcasting, which needs
    /// Rust 1.86; the crates support 1.85).
    fn as_debug(&self) -> &dyn fmt::Debug;
}

impl<T: Present + fmt::Debug> DebugField for T {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
}

/// The `Debug` output of a model: the fields that are set, then the unknown members.
/// Objects (not generic code per field) so that each model's `Debug` impl stays small.
pub struct DebugObject<'a, 'b> {
    inner: fmt::DebugStruct<'a, 'b>,
}

impl<'a, 'b> DebugObject<'a, 'b> {
    /// Starts the output of a value of type `name`.
    pub fn new(f: &'a mut fmt::Formatter<'b>, name: &str) -> Self {
        Self {
            inner: f.debug_struct(name),
        }
    }

    /// Shows `name: value` when the field is set.
    pub fn field(&mut self, name: &str, value: &dyn DebugField) {
        if value.is_present() {
            self.inner.field(name, value.as_debug());
        }
    }

    /// Shows the unknown members, if any, and ends the output.
    pub fn finish(mut self, unknown: &UnknownFields) -> fmt::Result {
        if !unknown.is_empty() {
            self.inner.field("unknown_fields", unknown);
        }
        self.inner.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model written the way the generator writes them.
    #[derive(Debug, Default, PartialEq)]
    struct Wire {
        one: Option<i64>,
        big: Option<u64>,
        many: Option<Vec<i64>>,
        map: Option<BTreeMap<String, u64>>,
        text: Option<String>,
        child: Option<Box<Wire>>,
        unknown: UnknownFields,
    }

    impl Serialize for Wire {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            put_int64(&mut map, "one", &self.one)?;
            put_int64(&mut map, "big", &self.big)?;
            put_int64(&mut map, "many", &self.many)?;
            put_int64(&mut map, "map", &self.map)?;
            put(&mut map, "text", &self.text)?;
            put(&mut map, "child", &self.child)?;
            put_unknown(&mut map, &self.unknown)?;
            map.end()
        }
    }

    impl Object for Wire {
        const NAME: &'static str = "Wire";
        fn field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match key {
                "one" => self.one = next_int64(map)?,
                "big" => self.big = next_int64(map)?,
                "many" => self.many = next_int64(map)?,
                "map" => self.map = next_int64(map)?,
                "text" => self.text = map.next_value()?,
                "child" => self.child = map.next_value()?,
                _ => keep(&mut self.unknown, key, map)?,
            }
            Ok(())
        }
    }

    impl<'de> Deserialize<'de> for Wire {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_object(deserializer)
        }
    }

    #[test]
    fn objects_keep_unknown_keys_and_read_nulls_as_absent() {
        let value: Wire = serde_json::from_str(
            r#"{"text":"hi","later":{"a":[1,2]},"child":{"text":"in","one":null},"one":null}"#,
        )
        .unwrap();
        let mut unknown = UnknownFields::new();
        unknown.insert_json("later", r#"{"a":[1,2]}"#).unwrap();
        assert_eq!(
            value,
            Wire {
                text: Some("hi".to_owned()),
                child: Some(Box::new(Wire {
                    text: Some("in".to_owned()),
                    ..Wire::default()
                })),
                unknown,
                ..Wire::default()
            }
        );
        // Known fields first, then what the crate does not know, unchanged.
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"text":"hi","child":{"text":"in"},"later":{"a":[1,2]}}"#
        );
        // Keys are borrowed from the input when possible, and work when they are not.
        let from_reader: Wire = serde_json::from_reader(&br#"{"t\u0065xt":"x"}"#[..]).unwrap();
        assert_eq!(from_reader.text.as_deref(), Some("x"));
    }

    #[test]
    fn objects_reject_other_json_with_the_type_name() {
        let err = serde_json::from_str::<Wire>("[1]").unwrap_err();
        assert!(err.to_string().contains("a Wire object"), "{err}");
        let err = serde_json::from_str::<Wire>(r#"{"text":5}"#).unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }

    #[test]
    fn int64_round_trips_as_strings() {
        let value = Wire {
            one: Some(-9_007_199_254_740_993),
            big: Some(u64::MAX),
            many: Some(vec![1, -2]),
            map: Some(BTreeMap::from([("a".to_owned(), 3)])),
            ..Wire::default()
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
