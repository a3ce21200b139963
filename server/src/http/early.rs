//! A layer that may answer a request itself, at once, before the services beneath see it:
//! rate limits (`429`) and read-cache hits. A plain tower service, because it is on every
//! request's path, where axum's `from_fn` would box a future and the service beneath for each.

use std::convert::Infallible;
use std::future::{ready, Ready};
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::Response;
use futures_util::future::Either;
use tower::{Layer, Service};

/// What answers some requests at once.
pub trait AnswerEarly: Clone {
    /// The answer to `request`, if it is answered here; `None` passes it on.
    fn answer_early(&self, request: &Request) -> Option<Response>;
}

/// Puts [`Early`] with `A` around a service.
#[derive(Clone)]
pub struct EarlyLayer<A>(pub A);

impl<A: AnswerEarly, S> Layer<S> for EarlyLayer<A> {
    type Service = Early<A, S>;

    fn layer(&self, inner: S) -> Early<A, S> {
        Early {
            answerer: self.0.clone(),
            inner,
        }
    }
}

/// Answers what `A` answers; passes every other request to `S`.
#[derive(Clone)]
pub struct Early<A, S> {
    answerer: A,
    inner: S,
}

impl<A, S> Service<Request> for Early<A, S>
where
    A: AnswerEarly,
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Ready<Result<Response, Infallible>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        match self.answerer.answer_early(&request) {
            Some(answer) => Either::Left(ready(Ok(answer))),
            None => Either::Right(self.inner.call(request)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::StatusCode;
    use tower::ServiceExt;

    /// Answers `/early` itself.
    #[derive(Clone)]
    struct Gate;

    impl AnswerEarly for Gate {
        fn answer_early(&self, request: &Request) -> Option<Response> {
            (request.uri().path() == "/early").then(|| {
                let mut answer = Response::new(Body::empty());
                *answer.status_mut() = StatusCode::TOO_MANY_REQUESTS;
                answer
            })
        }
    }

    #[tokio::test]
    async fn what_is_answered_early_never_reaches_the_service_beneath() {
        let beneath = tower::service_fn(|request: Request| async move {
            assert_ne!(request.uri().path(), "/early", "passed on");
            Ok::<_, Infallible>(Response::new(Body::empty()))
        });
        let service = EarlyLayer(Gate).layer(beneath);
        for (path, status) in [("/early", 429), ("/later", 200)] {
            let request = Request::builder().uri(path).body(Body::empty()).unwrap();
            let answer = service.clone().oneshot(request).await.unwrap();
            assert_eq!(answer.status(), status, "{path}");
        }
    }
}
