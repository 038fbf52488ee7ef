//! Limits for callers who are not signed in — sign-in, and the publisher's routes (resolving a
//! link and the steps of its landing page) — so that none of them can use up the server: a rate
//! per client address, sign-in's password hashing off the async workers and a few at a time, and
//! a delay per account that grows with its failed sign-ins.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Semaphore;

/// The bounds a server is started with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How many connections may be open at once; the next waits in the listen queue.
    pub max_connections: usize,
    /// How long a connection may take to send a request's headers, counted from when the server
    /// is ready for them (so a connection idle that long between requests is closed too).
    pub header_read_timeout: Duration,
    /// Sign-in attempts one client address may make a minute (all at once, or spread).
    pub sign_ins_per_minute: u32,
    /// Calls of the publisher's routes one client address may make a minute.
    pub publisher_calls_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(10),
            sign_ins_per_minute: 20,
            publisher_calls_per_minute: 120,
        }
    }
}

/// Failed sign-ins an account may have before each next attempt waits.
const FREE_FAILURES: u32 = 5;
/// The longest an account waits after repeated failures.
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);

/// A caller over a limit, and when it may try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooMany {
    pub wait: Duration,
}

/// An account's failed sign-ins in a row, and until when the next attempt waits.
struct Failures {
    count: u32,
    until: Instant,
}

/// The limits in force, shared by every request.
pub(crate) struct Gate {
    clock: DefaultClock,
    sign_ins: DefaultKeyedRateLimiter<IpAddr>,
    publisher_calls: DefaultKeyedRateLimiter<IpAddr>,
    /// Failures by e-mail address, for addresses that exist and those that do not alike, so the
    /// answers tell nothing of which accounts exist. Kept by hand because a rate limiter counts
    /// every attempt, while this counts failures only and forgets them at a success.
    failures: Mutex<HashMap<String, Failures>>,
    /// Password hashes checked at once: half the cores, so reads keep the rest.
    hashing: Semaphore,
    /// A hash of a random password, checked for an address with no account so that the answer
    /// takes as long as for one that has.
    unknown_account: String,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).expect("at least one"))
}

impl Gate {
    pub(crate) fn new(limits: &Limits) -> Gate {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let salt = SaltString::encode_b64(crate::random_hex(16).as_bytes()).expect("a valid salt");
        let unknown_account = Argon2::default()
            .hash_password(crate::random_hex(16).as_bytes(), &salt)
            .expect("hashing works")
            .to_string();
        Gate {
            clock: DefaultClock::default(),
            sign_ins: RateLimiter::keyed(per_minute(limits.sign_ins_per_minute)),
            publisher_calls: RateLimiter::keyed(per_minute(limits.publisher_calls_per_minute)),
            failures: Mutex::default(),
            hashing: Semaphore::new((cores / 2).max(1)),
            unknown_account,
        }
    }

    fn check(&self, limiter: &DefaultKeyedRateLimiter<IpAddr>, at: IpAddr) -> Result<(), TooMany> {
        limiter.check_key(&at).map_err(|not_until| TooMany {
            wait: not_until.wait_time_from(self.clock.now()),
        })
    }

    /// One sign-in attempt from `at`.
    pub(crate) fn sign_in_from(&self, at: IpAddr) -> Result<(), TooMany> {
        self.check(&self.sign_ins, at)
    }

    /// One call of a publisher's route from `at`.
    pub(crate) fn publisher_call_from(&self, at: IpAddr) -> Result<(), TooMany> {
        self.check(&self.publisher_calls, at)
    }

    /// A refused publisher's call from `at` counts once more: guessing uses the rate up twice as
    /// fast, and nothing of it is stored.
    pub(crate) fn publisher_refused_from(&self, at: IpAddr) {
        let _ = self.publisher_calls.check_key(&at);
    }

    /// Whether `account` may try a password now.
    pub(crate) fn account_may_try(&self, account: &str) -> Result<(), TooMany> {
        let failures = self.failures.lock().expect("the lock is never poisoned");
        match failures.get(account) {
            Some(f) if f.until > Instant::now() => Err(TooMany {
                wait: f.until - Instant::now(),
            }),
            _ => Ok(()),
        }
    }

    /// A failed sign-in of `account`: after the first few, each next attempt waits twice as long
    /// as the one before (1 s, 2 s, 4 s … up to 15 minutes).
    pub(crate) fn account_failed(&self, account: &str) {
        let mut failures = self.failures.lock().expect("the lock is never poisoned");
        let entry = failures.entry(account.to_owned()).or_insert(Failures {
            count: 0,
            until: Instant::now(),
        });
        entry.count += 1;
        if entry.count >= FREE_FAILURES {
            let doublings = (entry.count - FREE_FAILURES).min(10);
            let wait = Duration::from_secs(1 << doublings).min(LONGEST_WAIT);
            entry.until = Instant::now() + wait;
        }
    }

    /// A successful sign-in of `account`: its failures are forgotten.
    pub(crate) fn account_signed_in(&self, account: &str) {
        self.failures
            .lock()
            .expect("the lock is never poisoned")
            .remove(account);
    }

    /// Whether `password` matches `hash` (the account's, or `None` for an address with no
    /// account, which is checked against a hash all the same and never matches). Runs on a
    /// blocking thread, a few at a time.
    pub(crate) async fn password_matches(&self, hash: Option<String>, password: String) -> bool {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.unknown_account.clone());
        let _permit = self.hashing.acquire().await.expect("never closed");
        let matches = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash).is_ok_and(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
        })
        .await
        .unwrap_or(false);
        known && matches
    }

    /// Forgets what no longer limits anyone (called every half minute).
    pub(crate) fn forget_old(&self) {
        self.sign_ins.retain_recent();
        self.publisher_calls.retain_recent();
        let now = Instant::now();
        self.failures
            .lock()
            .expect("the lock is never poisoned")
            .retain(|_, f| f.until + LONGEST_WAIT > now);
    }
}
