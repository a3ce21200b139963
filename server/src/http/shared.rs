//! A service shared behind one reference count.

use std::sync::Arc;
use std::task::{Context, Poll};

use tower::util::Oneshot;
use tower::{Layer, Service, ServiceExt};

/// Puts the service beneath it behind an [`Arc`].
#[derive(Clone, Copy, Debug, Default)]
pub struct SharedLayer;

impl<S> Layer<S> for SharedLayer {
    type Service = Shared<S>;

    fn layer(&self, inner: S) -> Shared<S> {
        Shared(Arc::new(inner))
    }
}

/// A service whose clone is a reference count's increment: middlewares that clone the service
/// inside them on every request (axum's `from_fn` does) then no longer copy every layer
/// beneath. The service itself is cloned for each request that reaches it, and made ready
/// there.
pub struct Shared<S>(Arc<S>);

impl<S> Clone for Shared<S> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<S, R> Service<R> for Shared<S>
where
    S: Service<R> + Clone,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Oneshot<S, R>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        // Readiness is the clone's, awaited by `Oneshot` for each request.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: R) -> Self::Future {
        S::clone(&self.0).oneshot(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts its clones.
    struct Counted(Arc<AtomicUsize>);

    impl Clone for Counted {
        fn clone(&self) -> Self {
            self.0.fetch_add(1, Ordering::SeqCst);
            Self(self.0.clone())
        }
    }

    impl Service<u32> for Counted {
        type Response = u32;
        type Error = std::convert::Infallible;
        type Future = std::future::Ready<Result<u32, Self::Error>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: u32) -> Self::Future {
            std::future::ready(Ok(request + 1))
        }
    }

    #[tokio::test]
    async fn clones_share_the_service_and_copy_it_only_to_call_it() {
        let clones = Arc::new(AtomicUsize::new(0));
        let shared = SharedLayer.layer(Counted(clones.clone()));
        let copies: Vec<_> = (0..10).map(|_| shared.clone()).collect();
        assert_eq!(clones.load(Ordering::SeqCst), 0);
        for (n, copy) in copies.into_iter().enumerate() {
            assert_eq!(copy.oneshot(n as u32).await, Ok(n as u32 + 1));
        }
        assert_eq!(clones.load(Ordering::SeqCst), 10, "one copy a call");
    }
}
