use domain::time::{display, display_date};
use domain::{ClosingWindow, RenewalsRead, TermEnd};
use leptos::prelude::*;

use super::{navigator, query_param, with_query};
use crate::source::{LoadStatus, fetch};

const SPANS: [u16; 3] = [30, 60, 90];

/// Renewals: what renews or ends in the next 30, 60 or 90 days, and which cancellation windows
/// close in the next 72 hours — what a partner can still cancel today, on one page.
#[component]
pub fn RenewalsPage() -> impl IntoView {
    let go = navigator();
    let days = query_param("days");
    let span = Memo::new(move |_| {
        days.get()
            .parse::<u16>()
            .ok()
            .filter(|d| SPANS.contains(d))
            .unwrap_or(30)
    });
    let renewals = fetch(move || Some(RenewalsRead { days: span.get() }));
    let closing = move || renewals.with(|r| r.map(|r| r.closing.clone()).unwrap_or_default());
    let ends = move || renewals.with(|r| r.map(|r| r.term_ends.clone()).unwrap_or_default());
    view! {
        <h1>"Renewals"</h1>
        <p class="hint">"What renews next, and what you can still cancel with a full refund."</p>
        <LoadStatus fetched=renewals what="the renewals" />
        <section class="card" aria-labelledby="closing-title" data-testid="closing-windows">
            <h2 id="closing-title">"Cancellation windows closing in the next 72 hours"</h2>
            <Show when=move || !closing().is_empty() fallback=|| view! { <p class="empty">"No cancellation window closes in the next 72 hours."</p> }>
                <div class="table-wrap">
                    <table class="data-table">
                        <thead><tr><th scope="col">"Customer"</th><th scope="col">"Subscription"</th><th scope="col">"Cancellation allowed until"</th><th scope="col">"Time left"</th><th scope="col" class="num">"Refund if cancelled now"</th></tr></thead>
                        <tbody>
                            <For each=closing key=|w| (w.subscription, w.time_left.clone()) let:window>
                                <ClosingRow window=window />
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
        <section class="card" aria-labelledby="ends-title" data-testid="term-ends">
            <h2 id="ends-title">{move || format!("Renewing or ending in the next {} days", span.get())}</h2>
            <div class="segmented" role="group" aria-label="Period">
                {SPANS.into_iter().map(|d| {
                    let go = go.clone();
                    view! {
                        <button type="button" data-testid=format!("span-{d}") aria-pressed=move || (span.get() == d).to_string()
                            on:click=move |_| go(&with_query("/renewals", &[("days", d.to_string())]), false)>
                            {format!("{d} days")}
                        </button>
                    }
                }).collect_view()}
            </div>
            <Show when=move || !ends().is_empty() fallback=|| view! { <p class="empty">"Nothing renews or ends in this period."</p> }>
                <div class="table-wrap">
                    <table class="data-table">
                        <thead><tr><th scope="col">"Date"</th><th scope="col">"Customer"</th><th scope="col">"Subscription"</th><th scope="col">"Offer"</th><th scope="col" class="num">"Quantity"</th><th scope="col">"What happens"</th></tr></thead>
                        <tbody>
                            <For each=ends key=|t| (t.subscription, t.at, t.renews) let:end>
                                <TermEndRow end=end />
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn ClosingRow(window: ClosingWindow) -> impl IntoView {
    let w = window;
    view! {
        <tr data-testid="closing-row">
            <td>{w.customer_name}</td>
            <td><a href=format!("/customers/{}/subscriptions/{}", w.customer, w.subscription)>{w.nickname}</a></td>
            <td>{display(w.until)}</td>
            <td><strong>{w.time_left}</strong></td>
            <td class="num">{w.refund.map_or_else(|| "—".to_owned(), |m| m.to_string())}</td>
        </tr>
    }
}

#[component]
fn TermEndRow(end: TermEnd) -> impl IntoView {
    let t = end;
    let what = match (t.renews, t.renewal_charge) {
        (true, Some(charge)) => format!("Renews — first charge {charge}"),
        (true, None) => "Renews".to_owned(),
        (false, _) => "Ends (auto-renew is off)".to_owned(),
    };
    view! {
        <tr data-testid="term-end-row">
            <td>{display_date(t.at)}</td>
            <td>{t.customer_name}</td>
            <td><a href=format!("/customers/{}/subscriptions/{}", t.customer, t.subscription)>{t.nickname}</a></td>
            <td>{t.offer_name}</td>
            <td class="num">{t.quantity}</td>
            <td>{what}</td>
        </tr>
    }
}
