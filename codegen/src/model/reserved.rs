//! The names generated code must not give to its own items, because the runtime
//! (`google-api-runtime`'s `contract` module, what generated code calls) and the
//! generator's fixed code already use them in the same scope. The generator decides
//! every generated name, so the list lives here, once; a name added to the runtime's
//! generated-code-facing types belongs here too.

/// Members of a generated `Client` (its inherent methods, the runtime's `ApiClient`,
/// `Clone`, `Debug`): a top-level resource accessor or method with one of these names
/// gets the suffix `_resource` / `_method`.
pub const CLIENT_MEMBERS: &[&str] = &[
    "authorize",
    "builder",
    "clone",
    "clone_from",
    "fmt",
    "from_runtime",
    "new",
    "resume_upload",
    "runtime",
];

/// Members of a generated resource handle (`Clone`, `Debug`).
pub const HANDLE_MEMBERS: &[&str] = &["clone", "clone_from", "fmt"];

/// Members of a generated request builder: its own fields and methods, those of
/// the runtime's `WithStandardParams`, `Pageable`,
/// `PageItems`, `Clone` and `Debug`. A parameter with one of these
/// names gets the suffix `_param`.
pub const BUILDER_MEMBERS: &[&str] = &[
    "body",
    "client",
    "clone",
    "clone_from",
    "download",
    "fetch_media",
    "fetch_page",
    "fields",
    "fmt",
    "into_request",
    "new",
    "next_page_token",
    "page_items",
    "pages",
    "pretty_print",
    "quota_user",
    "retry_policy",
    "send",
    "send_media",
    "set_page_token",
    "standard",
    "standard_params_mut",
    "stream",
    "timeout",
    "upload",
];

/// Members of a generated model besides its fields' getters: `new()`, the private
/// `unknown_fields` (with its getter), and the methods of the traits every model
/// implements or gets from std's blanket impls (`Default`, `Clone`, `Debug`,
/// `PartialEq`, serde's traits, `From`/`Into`, `ToOwned`, `Borrow`, `Any`). A getter
/// with one of those names would shadow the trait method, in generated code and in the
/// user's (`Photo::default()` would need `&self`), so a field with one of these names is
/// numbered.
pub const MODEL_MEMBERS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "clone_into",
    "default",
    "deserialize",
    "eq",
    "fmt",
    "from",
    "into",
    "ne",
    "new",
    "serialize",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
    "unknown_fields",
];
