use domain::{Applied, Command, SubscriptionId, SubscriptionStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{FeedbackLine, Notice};
use crate::source::use_source;

/// A subscription's status as a coloured badge.
#[component]
pub fn StatusBadge(status: SubscriptionStatus) -> impl IntoView {
    view! { <span class=format!("status-badge status-badge--{}", status.as_str())>{status.label()}</span> }
}

/// "Go to publisher's site" for a pending subscription: its personalized link while the code is
/// valid, or a button that asks for a fresh one, whose result is told on `line` (the feedback
/// line with id `feedback`).
#[component]
pub fn PublisherLink(
    /// The subscription.
    subscription: SubscriptionId,
    /// The personalized link, while its code is valid.
    uri: Option<String>,
    /// Where a fresh link's outcome is told.
    line: FeedbackLine,
    /// That line's id.
    feedback: &'static str,
) -> impl IntoView {
    let source = use_source();
    let fresh = move |_| {
        // One click gets the link and opens it: the new tab is opened now, while the click still
        // counts as the user's (one opened when the answer arrives would be blocked as a popup),
        // and sent to the link when it comes.
        let tab = web_sys::window()
            .and_then(|w| w.open_with_url_and_target("about:blank", "_blank").ok())
            .flatten();
        line.set(Some(Notice::Working("Getting a fresh link…".into())));
        spawn_local(async move {
            let result = source
                .submit(Command::ActivationLink { subscription }, None)
                .await;
            if let Some(tab) = tab {
                match &result {
                    Ok(Applied::Link(link)) => {
                        let _ = tab.set_opener(&wasm_bindgen::JsValue::NULL);
                        let _ = tab.location().set_href(&source.shareable_link(&link.uri));
                    }
                    _ => {
                        let _ = tab.close();
                    }
                }
            }
            line.set(Some(Notice::from_result(
                &result,
                "A fresh link is ready and opened in a new tab: it works for 24 hours.",
            )));
        });
    };
    let link = match uri.map(|uri| source.shareable_link(&uri)) {
        Some(href) => view! {
            <a href=href target="_blank" rel="noopener" data-testid="go-to-publisher">"Go to publisher's site"</a>
        }
        .into_any(),
        None => view! {
            <button type="button" class="link-button" data-testid="fresh-link" aria-describedby=feedback on:click=fresh>
                "Get a fresh link to the publisher's site"
            </button>
        }
        .into_any(),
    };
    view! { <span class="publisher-link">{link}</span> }
}
