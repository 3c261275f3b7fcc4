//! Pagination of list methods. (Issue 4 completes this.)

use std::future::Future;

use crate::error::Result;

/// A list request that can be sent page after page.
///
/// Generated list builders implement this and expose `.pages()` and `.stream()`.
pub trait Pageable: Clone + Send + Sync + 'static {
    /// One page of the response.
    type Page: Send + 'static;
    /// One item of a page.
    type Item: Send + 'static;
    /// Sets the page token of the next request.
    fn set_page_token(&mut self, token: String);
    /// Sends this request for one page.
    fn fetch_page(self) -> impl Future<Output = Result<Self::Page>> + Send;
    /// The token of the page after `page`, if any (empty means none).
    fn next_page_token(page: &Self::Page) -> Option<&str>;
    /// The items of `page`.
    fn page_items(page: Self::Page) -> Vec<Self::Item>;
}

/// Every page of `request`, in order.
pub(crate) fn pages<P: Pageable>(
    request: P,
) -> impl futures_core::Stream<Item = Result<P::Page>> + Send {
    let _ = request;
    futures_util::stream::empty()
}

/// Every item of every page of `request`, in order.
pub(crate) fn items<P: Pageable>(
    request: P,
) -> impl futures_core::Stream<Item = Result<P::Item>> + Send {
    let _ = request;
    futures_util::stream::empty()
}
