//! Standard query parameters every method accepts.

/// Standard query parameters every Google API method accepts (`fields`, `quotaUser`,
/// `prettyPrint`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StandardParams {
    /// Selector specifying which fields to include in a partial response.
    pub fields: Option<String>,
    /// Quota user: an arbitrary string identifying a user for quota purposes.
    pub quota_user: Option<String>,
    /// Returns the response with indentations and line breaks.
    pub pretty_print: Option<bool>,
}

impl StandardParams {
    /// The parameters as `(wire name, value)` pairs, in a fixed order.
    pub(crate) fn query_pairs(&self) -> impl Iterator<Item = (&'static str, String)> + '_ {
        [
            ("fields", self.fields.clone()),
            ("quotaUser", self.quota_user.clone()),
            ("prettyPrint", self.pretty_print.map(|b| b.to_string())),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
    }
}

/// Setters for the [`StandardParams`] of any request builder.
///
/// Every generated request builder implements this trait, so `fields` and `quota_user`
/// are available on every request: `use chat_api::WithStandardParams;`.
pub trait WithStandardParams: Sized {
    /// The builder's standard parameters.
    fn standard_params_mut(&mut self) -> &mut StandardParams;

    /// Selects which fields to include in a partial response (`fields`).
    fn fields(mut self, fields: impl Into<String>) -> Self {
        self.standard_params_mut().fields = Some(fields.into());
        self
    }

    /// Sets the `quotaUser` used for quota accounting.
    fn quota_user(mut self, quota_user: impl Into<String>) -> Self {
        self.standard_params_mut().quota_user = Some(quota_user.into());
        self
    }

    /// Asks the server to pretty-print the response (`prettyPrint`).
    fn pretty_print(mut self, pretty_print: bool) -> Self {
        self.standard_params_mut().pretty_print = Some(pretty_print);
        self
    }
}
