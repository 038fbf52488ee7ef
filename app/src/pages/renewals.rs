use domain::time::{display, display_date};
use domain::{ClosingWindow, RenewalsRead, TermEnd};
use leptos::prelude::*;

use super::{navigator, query_param, with_query};
use crate::components::{PageTitle, Pager};
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
    let (closing_page, ends_page) = (query_param("closing"), query_param("ends"));
    let renewals = fetch(move || {
        Some(RenewalsRead {
            days: span.get(),
            closing_page: closing_page.get().parse().unwrap_or(1),
            ends_page: ends_page.get().parse().unwrap_or(1),
        })
    });
    let closing = move || renewals.with(|r| r.map(|r| r.closing.rows.clone()).unwrap_or_default());
    let ends = move || renewals.with(|r| r.map(|r| r.term_ends.rows.clone()).unwrap_or_default());
    // The page's address: the period and the page of each list.
    let address = move |days: u16, closing: usize, ends: usize| {
        let page = |p: usize| if p > 1 { p.to_string() } else { String::new() };
        with_query(
            "/renewals",
            &[
                ("days", days.to_string()),
                ("closing", page(closing)),
                ("ends", page(ends)),
            ],
        )
    };
    let page_of = |p: Memo<String>| move || p.get_untracked().parse::<usize>().unwrap_or(1);
    let go_closing = go.clone();
    let closing_to = Callback::new(move |p: usize| {
        go_closing(
            &address(span.get_untracked(), p, page_of(ends_page)()),
            false,
        )
    });
    let go_ends = go.clone();
    let ends_to = Callback::new(move |p: usize| {
        go_ends(
            &address(span.get_untracked(), page_of(closing_page)(), p),
            false,
        )
    });
    let closing_at = move |f: fn(&domain::Paged<ClosingWindow>) -> usize| {
        Signal::derive(move || renewals.with(|r| r.map_or(1, |r| f(&r.closing))))
    };
    let ends_at = move |f: fn(&domain::Paged<TermEnd>) -> usize| {
        Signal::derive(move || renewals.with(|r| r.map_or(1, |r| f(&r.term_ends))))
    };
    view! {
        <PageTitle title="Renewals".to_owned() />
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
                <Show when=move || { closing_at(|p| p.page_count).get() > 1 }>
                    <Pager page=closing_at(|p| p.page) page_count=closing_at(|p| p.page_count)
                        total=closing_at(|p| p.total) noun="subscriptions" on_page=closing_to />
                </Show>
            </Show>
        </section>
        <section class="card" aria-labelledby="ends-title" data-testid="term-ends">
            <h2 id="ends-title">{move || format!("Renewing or ending in the next {} days", span.get())}</h2>
            <div class="segmented" role="group" aria-label="Period">
                {SPANS.into_iter().map(|d| {
                    let go = go.clone();
                    view! {
                        <button type="button" data-testid=format!("span-{d}") aria-pressed=move || (span.get() == d).to_string()
                            on:click=move |_| go(&address(d, 1, 1), false)>
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
                <Show when=move || { ends_at(|p| p.page_count).get() > 1 }>
                    <Pager page=ends_at(|p| p.page) page_count=ends_at(|p| p.page_count)
                        total=ends_at(|p| p.total) noun="subscriptions" on_page=ends_to />
                </Show>
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
