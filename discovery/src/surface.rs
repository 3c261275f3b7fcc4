//! A flat, sorted, line-per-item listing of an API surface, and diffs of two.
