//! serde helpers for wire formats (int64 as JSON strings). (Issue 3 completes this.)
