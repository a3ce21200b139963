//! Request budgets: per client, one for writes (`POST` and other unsafe methods) and one for
//! everything else; and one for the writes of all clients together, so that many clients cannot
//! grow the stored reports and sign-ups without bound. Over a budget, the answer is `429` with
//! `Retry-After`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::Request;
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use governor::clock::Clock;
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota};

use super::early::AnswerEarly;
use super::{client, HttpPolicy};
use crate::api::error::AppError;

/// Forgotten clients' buckets are swept out after this many requests.
const SWEEP_EVERY: u64 = 4096;

/// The per-client budgets, each kept per client address, and the server-wide write budget.
pub struct RateLimits {
    reads: DefaultKeyedRateLimiter<IpAddr>,
    writes: DefaultKeyedRateLimiter<IpAddr>,
    all_writes: DefaultDirectRateLimiter,
    seen: AtomicU64,
}

/// Whole seconds from `clock`'s now until `not_until`, at least one.
fn seconds_until<C: Clock>(not_until: &governor::NotUntil<C::Instant>, clock: &C) -> u64 {
    let wait = not_until.wait_time_from(clock.now());
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl RateLimits {
    /// Budgets of `reads` and `writes` requests per minute per client, and of `all_writes` per
    /// minute from every client together, each allowed in a burst.
    pub fn new(reads: u32, writes: u32, all_writes: u32) -> Self {
        Self {
            reads: DefaultKeyedRateLimiter::keyed(per_minute(reads)),
            writes: DefaultKeyedRateLimiter::keyed(per_minute(writes)),
            all_writes: DefaultDirectRateLimiter::direct(per_minute(all_writes)),
            seen: AtomicU64::new(0),
        }
    }

    /// `Ok` when `client` may make a request of this kind now, else the seconds to wait. A
    /// write within the client's budget also spends one of the server-wide budget.
    pub fn check(&self, client: IpAddr, write: bool) -> Result<(), u64> {
        self.check_kind(client, if write { Kind::Write } else { Kind::Read })
    }

    /// As [`RateLimits::check`], for a request of `kind`.
    fn check_kind(&self, client: IpAddr, kind: Kind) -> Result<(), u64> {
        let write = kind != Kind::Read;
        if self.seen.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            for limiter in [&self.reads, &self.writes] {
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        }
        let limiter = if write { &self.writes } else { &self.reads };
        limiter
            .check_key(&client)
            .map_err(|not_until| seconds_until(&not_until, limiter.clock()))?;
        if kind == Kind::Write {
            self.all_writes.check().map_err(|not_until| {
                tracing::warn!("the server-wide write budget is spent");
                seconds_until(&not_until, self.all_writes.clock())
            })?;
        }
        Ok(())
    }
}

/// Which budgets a request spends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// The client's reads.
    Read,
    /// The client's writes and the server-wide writes: it may store something.
    Write,
    /// The client's writes only: a reporter's status question, a `POST` so that its token
    /// stays out of addresses, which stores nothing (so it cannot use up the server's budget
    /// for reports), but is held to the write budget as each one tries a token.
    StatusQuestion,
}

/// Whether `method` changes something, and so spends the write budget.
fn is_write(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// The budgets a request with `method` to `path` spends.
fn kind_of(method: &Method, path: &str) -> Kind {
    if !is_write(method) {
        Kind::Read
    } else if path == budapest_post_contract::paths::report_status() {
        Kind::StatusQuestion
    } else {
        Kind::Write
    }
}

/// Answers `429` with `Retry-After` when the client is over its budget (in an
/// [`EarlyLayer`](super::early::EarlyLayer)).
#[derive(Clone)]
pub struct RateLimit(pub Arc<HttpPolicy>);

impl AnswerEarly for RateLimit {
    fn answer_early(&self, request: &Request) -> Option<Response> {
        let client = client::client_key(request, self.0.client_address);
        let kind = kind_of(request.method(), request.uri().path());
        let seconds = self.0.limits.check_kind(client, kind).err()?;
        tracing::info!(%client, seconds, "rate limited");
        Some(AppError::rate_limited(seconds).into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_are_per_client_and_per_kind() {
        let limits = RateLimits::new(3, 1, 100);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(limits.check(a, true).is_ok());
        let wait = limits.check(a, true).unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(
            limits.check(b, true).is_ok(),
            "another client has its own budget"
        );
        for _ in 0..3 {
            assert!(
                limits.check(a, false).is_ok(),
                "reads have their own budget"
            );
        }
        assert!(limits.check(a, false).is_err());
    }

    #[test]
    fn the_server_wide_write_budget_holds_across_clients() {
        let limits = RateLimits::new(100, 2, 3);
        let client = |n: u8| IpAddr::from([192, 0, 2, n]);
        for n in 1..=3 {
            assert!(limits.check(client(n), true).is_ok(), "write {n}");
        }
        let wait = limits.check(client(4), true).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert!(
            limits.check(client(4), false).is_ok(),
            "reads are not in the write budget"
        );
        // A write refused by its client's own budget spends none of the server's.
        let limits = RateLimits::new(100, 1, 2);
        assert!(limits.check(client(1), true).is_ok());
        assert!(limits.check(client(1), true).is_err());
        assert!(limits.check(client(2), true).is_ok());
    }

    #[test]
    fn status_questions_spend_the_clients_write_budget_but_not_the_servers() {
        let limits = RateLimits::new(100, 2, 1);
        let client = |n: u8| IpAddr::from([192, 0, 2, n]);
        for n in 1..=3 {
            assert!(limits.check_kind(client(n), Kind::StatusQuestion).is_ok());
        }
        assert!(limits.check_kind(client(1), Kind::StatusQuestion).is_ok());
        assert!(
            limits.check_kind(client(1), Kind::StatusQuestion).is_err(),
            "past the client's write budget"
        );
        assert!(
            limits.check(client(1), false).is_ok(),
            "reads are not in it"
        );
        assert!(
            limits.check(client(4), true).is_ok(),
            "the server's budget is whole"
        );
        let status = budapest_post_contract::paths::report_status();
        assert_eq!(kind_of(&Method::POST, &status), Kind::StatusQuestion);
        assert_eq!(kind_of(&Method::POST, "/api/v1/reports"), Kind::Write);
        assert_eq!(kind_of(&Method::GET, &status), Kind::Read);
    }

    #[test]
    fn writes_are_unsafe_methods() {
        assert!(is_write(&Method::POST));
        assert!(is_write(&Method::DELETE));
        assert!(!is_write(&Method::GET));
        assert!(!is_write(&Method::OPTIONS));
    }
}
