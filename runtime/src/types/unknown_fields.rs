//! [`UnknownFields`]: the members of a JSON object that a model does not know, kept as
//! the exact JSON text the server sent.

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// Members of a JSON object that the model type does not know (yet): kept when a value
/// is decoded and written back, in the order they came, when it is encoded again, so a
/// read-modify-write never drops or changes what a newer server sent.
///
/// Each member is kept as its JSON text, byte for byte: `12345678901234567890123` stays
/// that (a `f64` would make it `1.2345678901234568e22`), `1e2` stays `1e2`, and `1e400`,
/// which no Rust number holds, is kept and sent back all the same. Read a member as text
/// ([`json`](Self::json)) or decode it into any type ([`decode`](Self::decode)).
///
/// Members are kept when a model is decoded by `serde_json` (from text, bytes, a reader
/// or a `serde_json::Value`), which is how the client decodes every response.
#[derive(Clone, Default)]
pub struct UnknownFields {
    members: Vec<(String, Box<RawValue>)>,
}

impl UnknownFields {
    /// No members.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many members are kept.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether no member is kept.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Whether a member named `name` is kept.
    pub fn contains(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    /// The JSON text of the member `name`, exactly as it came (`"1e2"`, `"{\"a\": 1}"`).
    pub fn json(&self, name: &str) -> Option<&str> {
        self.position(name).map(|i| self.members[i].1.get())
    }

    /// The member `name` decoded as a `T` (a `serde_json::Value`, or a type of yours).
    /// `None` when there is no such member; an error when it does not decode as a `T`.
    pub fn decode<T: DeserializeOwned>(&self, name: &str) -> Option<serde_json::Result<T>> {
        self.json(name).map(serde_json::from_str)
    }

    /// The members, in order: each name with its JSON text.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.members.iter().map(|(k, v)| (k.as_str(), v.get()))
    }

    /// Keeps `json` (which must be one JSON value) as the member `name`, replacing any
    /// member of that name. The text is kept as given (surrounding whitespace aside).
    pub fn insert_json(&mut self, name: impl Into<String>, json: &str) -> serde_json::Result<()> {
        let value = RawValue::from_string(json.trim().to_owned())?;
        self.put(name.into(), value);
        Ok(())
    }

    /// Keeps `value`, encoded as JSON, as the member `name`, replacing any member of that
    /// name.
    pub fn insert<T: serde::Serialize + ?Sized>(
        &mut self,
        name: impl Into<String>,
        value: &T,
    ) -> serde_json::Result<()> {
        let value = serde_json::value::to_raw_value(value)?;
        self.put(name.into(), value);
        Ok(())
    }

    /// Removes the member `name`; its JSON text, if it was kept.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let i = self.position(name)?;
        Some(self.members.remove(i).1.get().to_owned())
    }

    /// Keeps a member decoded from the wire. A repeated name keeps the last value, in the
    /// place of the first, as `serde_json::Map` does.
    pub(crate) fn put(&mut self, name: String, value: Box<RawValue>) {
        match self.position(&name) {
            Some(i) => self.members[i].1 = value,
            None => self.members.push((name, value)),
        }
    }

    /// The members as serde_json keeps them, for writing them back.
    pub(crate) fn raw(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.members.iter().map(|(k, v)| (k.as_str(), &**v))
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.members.iter().position(|(k, _)| k == name)
    }
}

impl PartialEq for UnknownFields {
    /// Equal when the same members hold the same JSON text, in the same order.
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.members.iter().map(|(k, v)| (k, Json(v.get()))))
            .finish()
    }
}

/// JSON text shown as it is (not as a quoted string) in `Debug` output.
struct Json<'a>(&'a str);

impl fmt::Debug for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_their_text_and_order() {
        let mut fields = UnknownFields::new();
        fields
            .insert_json("zBig", "12345678901234567890123")
            .unwrap();
        fields.insert_json("e", " 1e2 ").unwrap();
        fields.insert("v", &serde_json::json!({"a": [1]})).unwrap();
        fields.insert_json("zBig", "1e400").unwrap();
        assert_eq!(
            fields.iter().collect::<Vec<_>>(),
            [("zBig", "1e400"), ("e", "1e2"), ("v", "{\"a\":[1]}")]
        );
        assert_eq!(fields.json("e"), Some("1e2"));
        assert_eq!(fields.decode::<f64>("e").unwrap().unwrap(), 100.0);
        assert!(fields.decode::<f64>("zBig").unwrap().is_err());
        assert!(fields.decode::<f64>("missing").is_none());
        assert_eq!(
            format!("{fields:?}"),
            "{\"zBig\": 1e400, \"e\": 1e2, \"v\": {\"a\":[1]}}"
        );
        assert!(fields.insert_json("bad", "{").is_err());
        assert!(fields.insert_json("two", "1 2").is_err());
        assert_eq!(fields.remove("e").as_deref(), Some("1e2"));
        assert_eq!(fields.len(), 2);
        assert!(!fields.contains("e"));
    }
}
