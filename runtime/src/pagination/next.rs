//! [`PageStream`]: `next()` and `try_next()` on what `.pages()` and `.stream()` return,
//! so a caller needs no second crate (futures-util's `StreamExt`) to read them.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::error::Result;

/// Reading a stream of results (what `.pages()` and `.stream()` return) one at a time:
/// `use chat_api::PageStream as _;` then
/// `while let Some(message) = stream.try_next().await? { .. }`.
///
/// Implemented for every `Unpin` stream of `Result<T>`. Code that already imports
/// futures-util's `StreamExt` does not need it (importing both makes `.next()`
/// ambiguous; keep one).
pub trait PageStream<T>: Stream<Item = Result<T>> + Unpin {
    /// The next item: `None` at the end, `Some(Err(..))` for a failed page (the stream
    /// ends after it).
    fn next(&mut self) -> Next<'_, Self> {
        Next { stream: self }
    }

    /// The next item, the error of a failed page as `Err`: `Ok(None)` at the end, so
    /// `while let Some(item) = stream.try_next().await? { .. }` reads to the end or
    /// returns the first error.
    fn try_next(&mut self) -> TryNext<'_, Self> {
        TryNext { stream: self }
    }
}

impl<T, S> PageStream<T> for S where S: Stream<Item = Result<T>> + Unpin + ?Sized {}

/// The future of [`PageStream::next`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Next<'a, S: ?Sized> {
    stream: &'a mut S,
}

impl<S: Stream + Unpin + ?Sized> Future for Next<'_, S> {
    type Output = Option<S::Item>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut *self.stream).poll_next(cx)
    }
}

/// The future of [`PageStream::try_next`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct TryNext<'a, S: ?Sized> {
    stream: &'a mut S,
}

impl<T, S: Stream<Item = Result<T>> + Unpin + ?Sized> Future for TryNext<'_, S> {
    type Output = Result<Option<T>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut *self.stream)
            .poll_next(cx)
            .map(Option::transpose)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    /// A stream of the given results, without futures-util.
    struct Of(std::vec::IntoIter<Result<u32>>);

    impl Stream for Of {
        type Item = Result<u32>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.next())
        }
    }

    fn of(items: Vec<Result<u32>>) -> Of {
        Of(items.into_iter())
    }

    #[tokio::test]
    async fn next_yields_items_then_none() {
        let mut s = of(vec![Ok(1), Err(Error::invalid("m", "bad")), Ok(3)]);
        assert_eq!(PageStream::next(&mut s).await.unwrap().unwrap(), 1);
        assert!(PageStream::next(&mut s).await.unwrap().is_err());
        assert_eq!(PageStream::next(&mut s).await.unwrap().unwrap(), 3);
        assert!(PageStream::next(&mut s).await.is_none());
    }

    #[tokio::test]
    async fn try_next_turns_the_error_into_err_and_the_end_into_ok_none() {
        let mut s = of(vec![Ok(1), Err(Error::invalid("m", "bad"))]);
        assert_eq!(s.try_next().await.unwrap(), Some(1));
        assert!(s.try_next().await.is_err());
        assert_eq!(s.try_next().await.unwrap(), None);
    }
}
