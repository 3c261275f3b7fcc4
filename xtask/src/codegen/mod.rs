//! Model -> Rust tokens -> prettyplease -> files.
