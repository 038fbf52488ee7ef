//! A page's read as a resource: keyed by the read the page asks (from its address), read again
//! when the source says something changed, keeping the last answer on screen while the next one
//! loads, and telling what failed with a Retry.

use domain::Read;
use leptos::prelude::*;

use super::{Refusal, use_source};

/// A read with the answer it got (`None` while nothing is asked).
type Answered<R> = Option<(R, Result<<R as Read>::Answer, Refusal>)>;

/// What a page read: the answer it shows, and how the latest read went.
///
/// The resource is an `AsyncDerived` rather than a `LocalResource`, which waits a task before it
/// even starts its future (for server-side rendering's hydration, which this console does not
/// use): the in-browser source's answer is ready when the future is first polled, as the page is
/// built, so a page opens in one pass instead of being built empty and then again. Measured on the
/// scale data (docs/PERFORMANCE.md), against the hand-written page: opening a customer 2.0× → 1.6×,
/// a subscription 2.1× → 2.0×, the Subscriptions list's first render 1.9× → 1.2×.
pub struct Fetched<R: Read> {
    resource: AsyncDerived<Answered<R>, LocalStorage>,
    /// Counts the user's Retries: the resource reads again when it changes.
    retries: RwSignal<u32>,
    asked: Memo<Option<R>>,
    /// The last answer received, kept while the next read runs and after a failed one.
    shown: Memo<Option<R::Answer>>,
}

impl<R: Read> Clone for Fetched<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Read> Copy for Fetched<R> {}

/// Reads what `read` asks (nothing while it answers `None`), again whenever it asks something
/// else, the source tells of a change, or the clock moves on (every 30 seconds, so times left stay
/// true; an answer that did not change changes nothing on the page).
pub fn fetch<R: Read>(read: impl Fn() -> Option<R> + Send + Sync + 'static) -> Fetched<R> {
    let source = use_source();
    let asked = Memo::new(move |_| read());
    let retries = RwSignal::new(0);
    let resource = AsyncDerived::new_unsync(move || {
        let read = asked.get();
        retries.track();
        source.revision.track();
        source.real_now.track();
        async move {
            let read = read?;
            let answer = source.read(read.clone()).await;
            Some((read, answer))
        }
    });
    let shown = Memo::new(move |last: Option<&Option<R::Answer>>| {
        resource.with(|r| match r.as_ref().and_then(Option::as_ref) {
            Some((_, Ok(answer))) => Some(answer.clone()),
            _ => last.cloned().flatten(),
        })
    });
    Fetched {
        resource,
        retries,
        asked,
        shown,
    }
}

impl<R: Read> Fetched<R> {
    /// The answer shown (the last one received), tracked.
    pub fn get(&self) -> Option<R::Answer> {
        self.shown.get()
    }

    /// Reads the answer shown, tracked.
    pub fn with<T>(&self, f: impl FnOnce(Option<&R::Answer>) -> T) -> T {
        self.shown.with(|a| f(a.as_ref()))
    }

    /// Whether the answer to what is asked now has not arrived yet, tracked.
    pub fn loading(&self) -> bool {
        let asked = self.asked.get();
        self.resource.with(|r| {
            r.as_ref()
                .and_then(Option::as_ref)
                .is_none_or(|(answered, _)| Some(answered) != asked.as_ref())
        }) && asked.is_some()
    }

    /// Why the latest read failed, if it did, tracked.
    pub fn failure(&self) -> Option<Refusal> {
        self.resource
            .with(|r| match r.as_ref().and_then(Option::as_ref) {
                Some((_, Err(refusal))) => Some(refusal.clone()),
                _ => None,
            })
    }
}

/// How a page's read goes, whatever it reads: what [`LoadStatus`] shows, built once for every
/// kind of read rather than once per kind.
#[derive(Clone, Copy)]
pub struct ReadProgress {
    /// Whether no answer has been shown yet.
    first: Signal<bool>,
    /// Whether the answer to what is asked now has not arrived yet.
    loading: Signal<bool>,
    /// Why the latest read failed, if it did.
    failure: Signal<Option<Refusal>>,
    /// The read's Retry count.
    retries: RwSignal<u32>,
}

impl<R: Read> From<Fetched<R>> for ReadProgress {
    fn from(fetched: Fetched<R>) -> Self {
        ReadProgress {
            first: Signal::derive(move || fetched.with(|a| a.is_none())),
            loading: Signal::derive(move || fetched.loading()),
            failure: Signal::derive(move || fetched.failure()),
            retries: fetched.retries,
        }
    }
}

impl ReadProgress {
    /// Reads again.
    fn retry(&self) {
        self.retries.update(|n| *n += 1);
    }
}

/// How long a read may take before the page says it is loading: an answer that comes sooner (the
/// in-browser source's always does) shows no progress line that would only flash.
const QUIET_MS: u64 = 150;

/// How a page's read goes: a progress line while it loads longer than a moment (over the content,
/// which stays, so nothing moves), and what failed with Retry when it failed.
#[component]
pub fn LoadStatus(
    /// The page's read.
    #[prop(into)]
    fetched: ReadProgress,
    /// What is read, in words ("the customers").
    what: &'static str,
) -> impl IntoView {
    let first = move || fetched.first.get();
    // Whether the read has been loading for longer than `QUIET_MS`.
    let slow = RwSignal::new(false);
    Effect::new(move |_| {
        if fetched.loading.get() {
            // The page may be gone by then (and its read with it).
            let still = move || {
                if !slow.is_disposed() {
                    slow.set(fetched.loading.get_untracked());
                }
            };
            set_timeout(still, std::time::Duration::from_millis(QUIET_MS));
        } else if slow.get_untracked() {
            slow.set(false);
        }
    });
    view! {
        <div class="load-status" aria-live="polite">
            <Show when=move || slow.get() && fetched.failure.with(Option::is_none)>
                <p class="load-status__loading" role="status" data-testid="loading">
                    <span class="spinner" aria-hidden="true"></span>
                    {move || if first() { format!("Loading {what}…") } else { format!("Updating {what}…") }}
                </p>
            </Show>
            {move || fetched.failure.get().map(|refusal| view! {
                <div class="banner banner--error" role="alert" data-testid="load-failed">
                    <p>{format!("{} could not be loaded: {}", capitalized(what), refusal.message)}</p>
                    <button type="button" data-testid="load-retry" on:click=move |_| fetched.retry()>"Retry"</button>
                </div>
            })}
        </div>
    }
}

/// `text` with its first letter in upper case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
