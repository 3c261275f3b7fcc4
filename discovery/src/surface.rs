//! A flat, sorted, line-per-item listing of an API surface, and diffs of two.
//! (Issue 5 completes this.)

use crate::model::Model;

/// Which surface of a merged [`Model`] to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// What the crate exposes without the `developer-preview` feature.
    Stable,
    /// What the crate exposes with the `developer-preview` feature.
    Preview,
}

/// The surface of an API: one item per resource, method, parameter, type, field and
/// enum value, sorted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Surface {
    _private: (),
}

impl Surface {
    /// The surface of `model` seen through `view`.
    pub fn from_model(model: &Model, view: View) -> Surface {
        let _ = (model, view);
        unimplemented!("issue 5")
    }

    /// The listing: one line per item, sorted, ending in a newline.
    pub fn listing(&self) -> String {
        unimplemented!("issue 5")
    }
}
