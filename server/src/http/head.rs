//! `HEAD` is answered as `GET` is, by the same handlers and through every layer (so its
//! `ETag`, cache and encoding headers are the `GET` answer's), and then without the body.
//!
//! A plain tower service rather than an axum middleware: it is on every request's path, and
//! `from_fn` boxes a future and the service beneath it for each one.

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::http::Method;
use axum::response::Response;
use futures_util::future::MapOk;
use futures_util::TryFutureExt;
use tower::{Layer, Service};

/// Puts [`HeadAsGet`] around a service.
#[derive(Clone, Copy, Debug, Default)]
pub struct HeadAsGetLayer;

impl<S> Layer<S> for HeadAsGetLayer {
    type Service = HeadAsGet<S>;

    fn layer(&self, inner: S) -> HeadAsGet<S> {
        HeadAsGet { inner }
    }
}

/// Sends a `HEAD` request on as a `GET` and drops the body of its answer.
#[derive(Clone, Debug)]
pub struct HeadAsGet<S> {
    inner: S,
}

fn whole(response: Response) -> Response {
    response
}

fn without_body(response: Response) -> Response {
    let (parts, _) = response.into_parts();
    Response::from_parts(parts, Body::empty())
}

impl<S> Service<Request> for HeadAsGet<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = MapOk<S::Future, fn(Response) -> Response>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let finish: fn(Response) -> Response = if request.method() == Method::HEAD {
            *request.method_mut() = Method::GET;
            without_body
        } else {
            whole
        };
        self.inner.call(request).map_ok(finish)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;
    use tower::ServiceExt;

    #[tokio::test]
    async fn head_is_answered_by_get_without_the_body() {
        let echo = tower::service_fn(|request: Request| async move {
            let mut response = Response::new(Body::from(request.method().to_string()));
            response
                .headers_mut()
                .insert("x-method", request.method().as_str().parse().unwrap());
            Ok::<_, Infallible>(response)
        });
        let service = HeadAsGetLayer.layer(echo);
        for (method, body) in [(Method::GET, "GET"), (Method::HEAD, "")] {
            let mut request = Request::new(Body::empty());
            *request.method_mut() = method;
            let response = service.clone().oneshot(request).await.unwrap();
            assert_eq!(response.headers()["x-method"], "GET");
            assert_eq!(to_bytes(response.into_body(), 64).await.unwrap(), body);
        }
    }
}
