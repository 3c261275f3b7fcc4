//! `app_object!`: a hand-written model of a JSON object that the Discovery document does
//! not describe (the add-on event object), made the way the generator makes models: a
//! `#[non_exhaustive]` struct of optional fields, members it does not know kept in
//! `unknown_fields` (and written back), `Debug` showing only what is set. Built on the
//! runtime's `wire` helpers, so no `serde_derive` enters a user's build.

macro_rules! app_object {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $(
                $(#[$fattr:meta])*
                pub $field:ident : $ty:ty = $wire:literal
            ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$fattr])* pub $field: $ty, )*
            unknown_fields: ::google_api_runtime::types::UnknownFields,
        }

        impl $name {
            /// An empty value: set its public fields.
            pub fn new() -> Self {
                Self::default()
            }

            /// Members Google sent that this version of the crate does not know; they are
            /// written back unchanged when the value is serialized.
            pub fn unknown_fields(&self) -> &::google_api_runtime::types::UnknownFields {
                &self.unknown_fields
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut d = ::google_api_runtime::contract::wire::DebugObject::new(f, stringify!($name));
                $( d.field(stringify!($field), &self.$field); )*
                d.finish(&self.unknown_fields)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                use ::google_api_runtime::contract::wire;
                let mut map = serializer.serialize_map(None)?;
                $( wire::put(&mut map, $wire, &self.$field)?; )*
                wire::put_unknown(&mut map, &self.unknown_fields)?;
                map.end()
            }
        }

        impl ::google_api_runtime::contract::wire::Object for $name {
            const NAME: &'static str = stringify!($name);

            fn field<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::std::result::Result<(), A::Error> {
                use ::google_api_runtime::contract::wire;
                match key {
                    $( $wire => self.$field = wire::next_or_default(map)?, )*
                    _ => wire::keep(&mut self.unknown_fields, key, map)?,
                }
                Ok(())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::google_api_runtime::contract::wire::deserialize_object(deserializer)
            }
        }
    };
}

pub(crate) use app_object;
