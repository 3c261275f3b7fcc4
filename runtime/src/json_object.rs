//! `json_object!`: a struct and its `Deserialize` impl, for the JSON the runtime reads
//! itself (credentials files, token and error answers).
//!
//! Why not `#[derive(Deserialize)]`: the derive is the only user of `serde_derive` in a
//! user's build graph (about 2 s of a 2-core clean build, measured by
//! `cargo xtask bench-build`), and these structs need little of it. Members are matched by
//! their wire names; unknown members are skipped; a member marked `required` that is
//! absent fails with serde's own "missing field `name`" error; any other member that is
//! absent takes its type's default (`None` for an `Option`).

/// Declares `struct $name { fields }` and implements `serde::Deserialize` for it.
///
/// ```ignore
/// json_object! {
///     struct Key {
///         client_email: String = "client_email" (required),
///         token_uri: Option<String> = "token_uri",
///     }
/// }
/// ```
macro_rules! json_object {
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$fattr:meta])*
                $fvis:vis $field:ident : $ty:ty = $wire:literal $(($required:ident))?
            ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        $vis struct $name {
            $( $(#[$fattr])* $fvis $field: $ty, )*
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct ObjectVisitor;

                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;

                    fn expecting(
                        &self,
                        f: &mut ::std::fmt::Formatter<'_>,
                    ) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<$name, A::Error> {
                        $( let mut $field: ::std::option::Option<$ty> = None; )*
                        while let Some(key) = map.next_key::<$crate::wire::Key<'de>>()? {
                            match key.as_str() {
                                $( $wire => $field = Some(map.next_value()?), )*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok($name {
                            $( $field: $crate::json_object::json_object!(
                                @finish A, $field, $wire $(, $required)?
                            ), )*
                        })
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    };
    (@finish $map:ident, $field:ident, $wire:literal, required) => {
        $field.ok_or_else(|| <$map::Error as ::serde::de::Error>::missing_field($wire))?
    };
    (@finish $map:ident, $field:ident, $wire:literal) => {
        $field.unwrap_or_default()
    };
}

pub(crate) use json_object;

#[cfg(test)]
mod tests {
    json_object! {
        #[derive(Debug, PartialEq)]
        struct Sample {
            name: String = "name" (required),
            token_uri: Option<String> = "tokenUri",
            list: Vec<String> = "list",
            nested: Option<Nested> = "nested",
        }
    }

    json_object! {
        #[derive(Debug, PartialEq)]
        struct Nested {
            kind: Option<String> = "type",
        }
    }

    #[test]
    fn members_by_wire_name_unknown_skipped_absent_defaulted() {
        let s: Sample = serde_json::from_str(
            r#"{"name": "n", "tokenUri": null, "extra": {"deep": [1]}, "nested": {"type": "t"}}"#,
        )
        .unwrap();
        assert_eq!(
            s,
            Sample {
                name: "n".into(),
                token_uri: None,
                list: vec![],
                nested: Some(Nested {
                    kind: Some("t".into())
                }),
            }
        );
    }

    #[test]
    fn errors_read_like_serdes_own() {
        let missing = serde_json::from_str::<Sample>(r#"{"list": []}"#).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "missing field `name` at line 1 column 12"
        );
        let wrong = serde_json::from_str::<Sample>(r#"{"name": 1}"#).unwrap_err();
        assert!(
            wrong
                .to_string()
                .starts_with("invalid type: integer `1`, expected a string"),
            "{wrong}"
        );
        let not_object = serde_json::from_str::<Sample>("[]").unwrap_err();
        assert!(
            not_object.to_string().contains("expected struct Sample"),
            "{not_object}"
        );
    }
}
