//! Pagination of list methods: [`Pageable`] (every method with a `pageToken` parameter
//! and a `nextPageToken` in its response: `.pages()`) and [`PageItems`] (those whose
//! items field the generator could pick: `.stream()`).

use std::future::Future;

use crate::error::Result;

mod next;
pub use next::{Next, PageStream, TryNext};

/// A list request that can be sent page after page.
///
/// Generated list builders implement this and expose `.pages()`.
pub trait Pageable: Clone + Send + Sync + 'static {
    /// One page of the response.
    type Page: Send + 'static;
    /// Sets the page token of the next request.
    fn set_page_token(&mut self, token: String);
    /// Sends this request for one page.
    fn fetch_page(self) -> impl Future<Output = Result<Self::Page>> + Send;
    /// The token of the page after `page`, if any (empty means none).
    fn next_page_token(page: &Self::Page) -> Option<&str>;
}

/// A list request whose pages hold one list of items: generated builders implement this
/// and expose `.stream()` when the response has one array field, or one named like the
/// method's resource (`spaces.search` streams `spaces`).
pub trait PageItems: Pageable {
    /// One item of a page.
    type Item: Send + 'static;
    /// The items of `page`.
    fn page_items(page: Self::Page) -> Vec<Self::Item>;
}

/// Every page of `request`, in order: lazy, one page in flight, stopping after a page
/// whose `nextPageToken` is missing or empty, or after the first error.
///
/// Boxed so the stream is `Unpin` (auto traits show through the generated `impl
/// Stream`): callers can write `while let Some(x) = stream.next().await` without pinning.
pub fn pages<P: Pageable>(
    request: P,
) -> impl futures_core::Stream<Item = Result<P::Page>> + Send + Unpin {
    Box::pin(futures_util::stream::unfold(
        Some(request),
        |state| async move {
            let request = state?;
            let next = request.clone();
            match request.fetch_page().await {
                Ok(page) => {
                    let next = P::next_page_token(&page)
                        .filter(|token| !token.is_empty())
                        .map(|token| {
                            let mut next = next;
                            next.set_page_token(token.to_owned());
                            next
                        });
                    Some((Ok(page), next))
                }
                Err(e) => Some((Err(e), None)),
            }
        },
    ))
}

/// Every item of every page of `request`, in order (pages fetched as items are used).
pub fn items<P: PageItems>(
    request: P,
) -> impl futures_core::Stream<Item = Result<P::Item>> + Send + Unpin {
    Items::<P, _> {
        pages: pages(request),
        current: None,
    }
}

/// The items of a page stream. A plain struct rather than a combinator: items (a
/// `Message` is about 2 KB) move out of the page's vector straight to the caller, with
/// no per-item future or state to move around.
struct Items<P: PageItems, S> {
    pages: S,
    current: Option<std::vec::IntoIter<P::Item>>,
}

// No field is ever pinned: `pages` is Unpin itself and items are only moved out.
impl<P: PageItems, S: Unpin> Unpin for Items<P, S> {}

impl<P, S> futures_core::Stream for Items<P, S>
where
    P: PageItems,
    S: futures_core::Stream<Item = Result<P::Page>> + Unpin,
{
    type Item = Result<P::Item>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.as_mut().and_then(Iterator::next) {
                return Poll::Ready(Some(Ok(item)));
            }
            // `pages` ends after an error, so the items end too.
            match std::pin::Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => this.current = Some(P::page_items(page).into_iter()),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::StreamExt as _;

    // Not `super::*`: `PageStream` and futures-util's `StreamExt` both have `next()`.
    use super::{PageItems, Pageable, Result, items, pages};
    use crate::error::Error;

    /// Pages `["a","b"]`, `[]`, `["c"]` behind tokens, then an empty token.
    #[derive(Clone)]
    struct Fake {
        token: Option<String>,
        fetches: Arc<AtomicUsize>,
        fail_on: Option<&'static str>,
    }

    impl Pageable for Fake {
        type Page = (Vec<&'static str>, Option<String>);
        fn set_page_token(&mut self, token: String) {
            self.token = Some(token);
        }
        async fn fetch_page(self) -> Result<Self::Page> {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            if self.fail_on.is_some() && self.token.as_deref() == self.fail_on {
                return Err(Error::invalid("fake", "boom"));
            }
            Ok(match self.token.as_deref() {
                None => (vec!["a", "b"], Some("t1".into())),
                Some("t1") => (vec![], Some("t2".into())),
                Some("t2") => (vec!["c"], Some(String::new())),
                Some(other) => panic!("unexpected token {other}"),
            })
        }
        fn next_page_token(page: &Self::Page) -> Option<&str> {
            page.1.as_deref()
        }
    }

    impl PageItems for Fake {
        type Item = &'static str;
        fn page_items(page: Self::Page) -> Vec<Self::Item> {
            page.0
        }
    }

    fn fake(fail_on: Option<&'static str>) -> Fake {
        Fake {
            token: None,
            fetches: Arc::default(),
            fail_on,
        }
    }

    #[tokio::test]
    async fn items_span_pages_and_stop_on_empty_token() {
        let req = fake(None);
        let fetches = req.fetches.clone();
        let all: Vec<_> = items(req).map(|r| r.unwrap()).collect().await;
        assert_eq!(all, ["a", "b", "c"]);
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn streams_are_lazy_and_stop_after_an_error() {
        let req = fake(Some("t1"));
        let fetches = req.fetches.clone();
        let mut s = items(req);
        assert_eq!(fetches.load(Ordering::SeqCst), 0);
        assert_eq!(s.next().await.unwrap().unwrap(), "a");
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        assert_eq!(s.next().await.unwrap().unwrap(), "b");
        assert!(s.next().await.unwrap().is_err());
        assert!(s.next().await.is_none());
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn try_next_reads_every_page_and_stops_at_the_error() {
        let mut s = items(fake(None));
        let mut all = Vec::new();
        while let Some(item) = super::PageStream::try_next(&mut s).await.unwrap() {
            all.push(item);
        }
        assert_eq!(all, ["a", "b", "c"]);
        let mut s = pages(fake(Some("t1")));
        assert_eq!(
            super::PageStream::try_next(&mut s)
                .await
                .unwrap()
                .unwrap()
                .0,
            ["a", "b"]
        );
        assert!(super::PageStream::try_next(&mut s).await.is_err());
        assert!(super::PageStream::try_next(&mut s).await.unwrap().is_none());
    }
}
