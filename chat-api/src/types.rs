//! Wire types of Google APIs: timestamps, dates, durations, field masks and bytes.
//! (Issue 3 completes this.)
