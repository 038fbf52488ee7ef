use std::fmt::Write;

use chrono::TimeDelta;
use domain::time::{display, display_date};
use domain::{ClosingWindow, TermEnd};
use leptos::prelude::*;

use super::{navigator, query_param, with_query};
use crate::console::use_console;
use crate::html::escape;

const SPANS: [i64; 3] = [30, 60, 90];

/// Renewals: what renews or ends in the next 30, 60 or 90 days, and which cancellation windows
/// close in the next 72 hours — what a partner can still cancel today, on one page.
#[component]
pub fn RenewalsPage() -> impl IntoView {
    let console = use_console();
    let go = navigator();
    let days = query_param("days");
    let span = Memo::new(move |_| {
        days.get()
            .parse::<i64>()
            .ok()
            .filter(|d| SPANS.contains(d))
            .unwrap_or(30)
    });
    let closing = Memo::new(move |_| {
        let now = console.now();
        console.read(|e| closing_rows_html(&e.windows_closing_within(now, TimeDelta::hours(72))))
    });
    let ends = Memo::new(move |_| {
        let now = console.now();
        let span = span.get();
        console.read(|e| term_end_rows_html(&e.term_ends_within(now, TimeDelta::days(span))))
    });
    view! {
        <h1>"Renewals"</h1>
        <p class="hint">"What renews next, and what you can still cancel with a full refund."</p>
        <section class="card" aria-labelledby="closing-title" data-testid="closing-windows">
            <h2 id="closing-title">"Cancellation windows closing in the next 72 hours"</h2>
            <Show when=move || !closing.with(String::is_empty) fallback=|| view! { <p class="empty">"No cancellation window closes in the next 72 hours."</p> }>
                <div class="table-wrap">
                    <table class="data-table">
                        <thead><tr><th scope="col">"Customer"</th><th scope="col">"Subscription"</th><th scope="col">"Cancellation allowed until"</th><th scope="col">"Time left"</th><th scope="col" class="num">"Refund if cancelled now"</th></tr></thead>
                        <tbody inner_html=move || closing.get()></tbody>
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
            <Show when=move || !ends.with(String::is_empty) fallback=|| view! { <p class="empty">"Nothing renews or ends in this period."</p> }>
                <div class="table-wrap">
                    <table class="data-table">
                        <thead><tr><th scope="col">"Date"</th><th scope="col">"Customer"</th><th scope="col">"Subscription"</th><th scope="col">"Offer"</th><th scope="col" class="num">"Quantity"</th><th scope="col">"What happens"</th></tr></thead>
                        <tbody inner_html=move || ends.get()></tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

/// The windows closing soon as table rows (HTML).
fn closing_rows_html(windows: &[ClosingWindow]) -> String {
    let mut html = String::new();
    for w in windows {
        let _ = write!(
            html,
            "<tr data-testid=\"closing-row\"><td>{}</td>\
             <td><a href=\"/customers/{}/subscriptions/{}\">{}</a></td><td>{}</td>\
             <td><strong>{}</strong></td><td class=\"num\">{}</td></tr>",
            escape(&w.customer_name),
            w.customer,
            w.subscription,
            escape(&w.nickname),
            display(w.until),
            escape(&w.time_left),
            w.refund.map_or_else(|| "—".to_owned(), |m| m.to_string()),
        );
    }
    html
}

/// The terms ending in the period as table rows (HTML).
fn term_end_rows_html(ends: &[TermEnd]) -> String {
    let mut html = String::new();
    for t in ends {
        let _ = write!(
            html,
            "<tr data-testid=\"term-end-row\"><td>{}</td><td>{}</td>\
             <td><a href=\"/customers/{}/subscriptions/{}\">{}</a></td><td>{}</td>\
             <td class=\"num\">{}</td><td>",
            display_date(t.at),
            escape(&t.customer_name),
            t.customer,
            t.subscription,
            escape(&t.nickname),
            escape(&t.offer_name),
            t.quantity,
        );
        let _ = match t.renewal_charge {
            Some(charge) => write!(html, "Renews — first charge {charge}</td></tr>"),
            None => write!(html, "Ends (auto-renew is off)</td></tr>"),
        };
    }
    html
}
