use domain::time::{display_date, month_start, month_year, short_month_year};
use domain::{
    BillingRead, ChargeLine, ChargeList, Currency, Invoice, InvoiceRead, Money,
    ReconciliationExport, Spend, Timestamp,
};
use leptos::prelude::*;

use super::{navigator, query_param, with_query};
use crate::components::{Blocked, ExportButton, PageTitle, Pager};
use crate::source::{LoadStatus, fetch, use_source};

/// Billing: the invoices ("Recurring and one-time purchases") with their lines and reconciliation
/// files, the charges not yet invoiced, and monthly spend per publisher — for the roles that may
/// see them; others see why not.
#[component]
pub fn BillingPage() -> impl IntoView {
    let source = use_source();
    let go = navigator();
    let selected = query_param("invoice");
    let (unbilled_page, lines_page) = (query_param("unbilled"), query_param("lines"));
    let billing = fetch(move || {
        Some(BillingRead {
            unbilled_page: unbilled_page.get().parse().unwrap_or(1),
        })
    });
    let denied = move || billing.failure().filter(|r| r.code == Some(403));
    let blocked = Signal::derive(move || denied().map(|r| r.message));
    let invoices = move || billing.with(|b| b.map(|b| b.invoices.clone()).unwrap_or_default());
    // The page's address: the invoice open and the pages of the two lists.
    let address = move |invoice: String, unbilled: usize, lines: usize| {
        let page = |p: usize| if p > 1 { p.to_string() } else { String::new() };
        with_query(
            "/billing",
            &[
                ("invoice", invoice),
                ("unbilled", page(unbilled)),
                ("lines", page(lines)),
            ],
        )
    };
    let unbilled_at = move || unbilled_page.get_untracked().parse().unwrap_or(1);
    let go_invoice = go.clone();
    let open_invoice =
        Callback::new(move |number: String| go_invoice(&address(number, unbilled_at(), 1), false));
    let go_lines = go.clone();
    let lines_to = Callback::new(move |p: usize| {
        go_lines(&address(selected.get_untracked(), unbilled_at(), p), false)
    });
    let unbilled_to = Callback::new(move |p: usize| {
        let lines = lines_page.get_untracked().parse().unwrap_or(1);
        go(&address(selected.get_untracked(), p, lines), false)
    });
    view! {
        <PageTitle title="Billing".to_owned() />
        <h1>"Billing"</h1>
        <p class="hint">"Commercial marketplace purchases are billed on the monthly invoice \u{201c}Recurring and one-time purchases\u{201d}, one per currency, closed at the end of each month (UTC)."</p>
        <Blocked reason=blocked id="billing-blocked" />
        <Show when=move || denied().is_none()>
            <LoadStatus fetched=billing what="billing" />
        </Show>
        <Show when=move || billing.with(|b| b.is_some()) && denied().is_none()>
            <section class="card" aria-labelledby="invoices-title">
                <h2 id="invoices-title">"Invoices"</h2>
                <div class="table-wrap">
                    <table class="data-table" data-testid="invoices-table">
                        <thead><tr><th scope="col">"Invoice"</th><th scope="col">"Month"</th><th scope="col">"Currency"</th><th scope="col" class="num">"Lines"</th><th scope="col" class="num">"Total"</th><th scope="col">"Reconciliation"</th></tr></thead>
                        <tbody>
                            <For each=invoices key=|i| i.number.clone() let:invoice>
                                <InvoiceRow invoice=invoice open=open_invoice />
                            </For>
                        </tbody>
                    </table>
                </div>
                <Show when=move || invoices().is_empty()>
                    <p class="empty">"No invoice has closed yet: the first closes at the end of this month."</p>
                </Show>
            </section>
            <Show when=move || !selected.get().is_empty()>
                <InvoiceLines number=selected page=lines_page to_page=lines_to />
            </Show>
            <SpendChart spend=Signal::derive(move || billing.with(|b| b.map(|b| b.spend.clone()).unwrap_or_default())) />
            <section class="card" aria-labelledby="unbilled-title" data-testid="unbilled">
                <h2 id="unbilled-title">{move || format!("Unbilled charges of {}", month_year(source.now()))}</h2>
                <ChargeTable charges=Signal::derive(move || billing.with(|b| b.map(|b| b.unbilled.clone()))) to_page=unbilled_to />
            </section>
        </Show>
    }
}

#[component]
fn InvoiceRow(invoice: Invoice, open: Callback<String>) -> impl IntoView {
    let number = invoice.number.clone();
    let file = format!("Reconciliation-{}.csv", invoice.number);
    let export = Signal::stored(Some(ReconciliationExport {
        number: number.clone(),
    }));
    view! {
        <tr data-testid="invoice-row">
            <td><button type="button" class="link-button" on:click={let n = number.clone(); move |_| open.run(n.clone())}>{number.clone()}</button></td>
            <td>{month_year(invoice.month)}</td>
            <td>{invoice.currency.code()}</td>
            <td class="num">{invoice.lines.len()}</td>
            <td class="num">{invoice.total.to_string()}</td>
            <td><ExportButton label="Download CSV" file=file testid="export-reconciliation" read=export /></td>
        </tr>
    }
}

#[component]
fn InvoiceLines(
    number: Memo<String>,
    page: Memo<String>,
    to_page: Callback<usize>,
) -> impl IntoView {
    let found = fetch(move || {
        Some(InvoiceRead {
            number: number.get(),
            page: page.get().parse().unwrap_or(1),
        })
    });
    view! {
        <section class="card" aria-labelledby="lines-title" data-testid="invoice-lines">
            {move || match found.failure().filter(|r| r.code == Some(404)) {
                Some(_) => view! { <h2 id="lines-title">{format!("Invoice {} was not found", number.get())}</h2> }.into_any(),
                None => view! {
                    <LoadStatus fetched=found what="the invoice" />
                    <h2 id="lines-title">{move || found.with(|f| f.map(|f| format!("Invoice {} · {} · {}", f.invoice.number, month_year(f.invoice.month), f.invoice.total)).unwrap_or_default())}</h2>
                    <ChargeTable charges=Signal::derive(move || found.with(|f| f.map(|f| f.lines.clone()))) to_page=to_page />
                }.into_any(),
            }}
        </section>
    }
}

/// A page of charge lines, with what all of them come to per currency and the pager.
#[component]
fn ChargeTable(charges: Signal<Option<ChargeList>>, to_page: Callback<usize>) -> impl IntoView {
    let rows =
        move || charges.with(|c| c.as_ref().map(|c| c.lines.rows.clone()).unwrap_or_default());
    let totals = move || {
        charges.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.totals
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .unwrap_or_default()
        })
    };
    let paged = move |f: fn(&ChargeList) -> usize| {
        Signal::derive(move || charges.with(|c| c.as_ref().map_or(1, f)))
    };
    view! {
        <Show when=move || !rows().is_empty() fallback=|| view! { <p class="empty">"No charges."</p> }>
            <div class="table-wrap">
                <table class="data-table" data-testid="charges-table">
                    <thead><tr><th scope="col">"Customer"</th><th scope="col">"Subscription"</th><th scope="col">"Publisher"</th><th scope="col">"Charge type"</th><th scope="col">"Period"</th><th scope="col" class="num">"Quantity"</th><th scope="col" class="num">"Unit price"</th><th scope="col" class="num">"Amount"</th></tr></thead>
                    <tbody>
                        <For each=rows key=|c| c.charge.seq let:line>
                            <ChargeRow line=line />
                        </For>
                    </tbody>
                </table>
            </div>
            <p class="total" data-testid="charges-total"><strong>"Total: "</strong>{totals}</p>
            <Show when=move || { paged(|c| c.lines.page_count).get() > 1 }>
                <Pager page=paged(|c| c.lines.page) page_count=paged(|c| c.lines.page_count)
                    total=paged(|c| c.lines.total) noun="charges" on_page=to_page />
            </Show>
        </Show>
    }
}

#[component]
fn ChargeRow(line: ChargeLine) -> impl IntoView {
    let c = line.charge;
    view! {
        <tr>
            <td>{line.customer_name}</td>
            <td><a href=format!("/customers/{}/subscriptions/{}", c.customer, c.subscription)>{c.subscription_name}</a></td>
            <td>{c.publisher_name}</td>
            <td>{c.charge_type.label()}</td>
            <td>{format!("{} – {}", display_date(c.period_start), display_date(c.period_end))}</td>
            <td class="num">{c.quantity}</td>
            <td class="num">{c.unit_price.to_string()}</td>
            <td class="num">{c.amount.to_string()}</td>
        </tr>
    }
}

const COLOURS: [&str; 8] = [
    "#0f6cbd", "#c239b3", "#107c10", "#ca5010", "#5c2e91", "#038387", "#986f0b", "#a4262c",
];

/// One month's bar of the chart: its stacked parts and its total.
#[derive(Clone, PartialEq)]
struct Bar {
    month: Timestamp,
    /// Each publisher's part: its colour, height, top and tooltip.
    parts: Vec<(&'static str, i64, i64, String)>,
    total: Money,
    top: i64,
}

/// Monthly spend per publisher as stacked bars, one chart per currency, drawn as inline SVG.
#[component]
fn SpendChart(spend: Signal<Vec<Spend>>) -> impl IntoView {
    let source = use_source();
    let currency = RwSignal::new(Currency::USD);
    // The last six months of the chosen currency, and the publishers with their colours.
    let chart = Memo::new(move |_| {
        let cur = currency.get();
        spend.with(|all| {
            let rows: Vec<&Spend> = all.iter().filter(|s| s.amount.currency == cur).collect();
            let mut months: Vec<_> = rows.iter().map(|s| s.month).collect();
            domain::sorting::sort_dedup(&mut months);
            let months: Vec<_> = months.into_iter().rev().take(6).rev().collect();
            let mut publishers: Vec<String> = rows.iter().map(|s| s.publisher.clone()).collect();
            domain::sorting::sort_dedup(&mut publishers);
            let colour = |p: &str| {
                COLOURS[publishers.iter().position(|x| x == p).unwrap_or(0) % COLOURS.len()]
            };
            let positive = |m: Timestamp| {
                rows.iter()
                    .filter(|s| s.month == m)
                    .map(|s| s.amount.minor.max(0))
                    .sum::<i64>()
            };
            let highest = months
                .iter()
                .map(|m| positive(*m))
                .max()
                .unwrap_or(0)
                .max(1);
            let bars: Vec<Bar> = months
                .iter()
                .map(|&month| {
                    let mut y = 200i64;
                    let parts = rows
                        .iter()
                        .filter(|s| s.month == month && s.amount.minor > 0)
                        .map(|s| {
                            let h = s.amount.minor * 180 / highest;
                            y -= h;
                            let tip =
                                format!("{}: {} in {}", s.publisher, s.amount, month_year(s.month));
                            (colour(&s.publisher), h, y, tip)
                        })
                        .collect();
                    let total = Money::new(
                        rows.iter()
                            .filter(|s| s.month == month)
                            .map(|s| s.amount.minor)
                            .sum(),
                        cur,
                    );
                    Bar {
                        month,
                        parts,
                        total,
                        top: y,
                    }
                })
                .collect();
            let legend: Vec<(String, &'static str)> =
                publishers.iter().map(|p| (p.clone(), colour(p))).collect();
            (bars, legend)
        })
    });
    let width = move || chart.with(|(bars, _)| 80 * bars.len().max(1) as i64 + 60);
    let label = move || {
        format!(
            "Stacked bars of {} spend per publisher for the last {} months.",
            currency.get().code(),
            chart.with(|(bars, _)| bars.len())
        )
    };
    let bars = move || {
        chart.with(|(bars, _)| bars.clone())
            .into_iter()
            .enumerate()
            .map(|(i, bar)| {
                let x = 60 + 80 * i as i64;
                let parts = bar
                    .parts
                    .into_iter()
                    .map(|(fill, h, y, tip)| view! { <rect x=x y=y width="48" height=h fill=fill><title>{tip}</title></rect> })
                    .collect_view();
                view! {
                    <g>
                        {parts}
                        <text x=x + 24 y="216" text-anchor="middle" font-size="11">{short_month_year(bar.month)}</text>
                        <text x=x + 24 y=bar.top - 4 text-anchor="middle" font-size="10">{bar.total.to_string()}</text>
                    </g>
                }
            })
            .collect_view()
    };
    let legend = move || {
        chart.with(|(_, legend)| legend.clone())
            .into_iter()
            .map(|(publisher, fill)| view! {
                <li><svg class="swatch" width="10" height="10" aria-hidden="true"><rect width="10" height="10" rx="2" fill=fill></rect></svg>{publisher}</li>
            })
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="spend-title" data-testid="spend-chart">
            <h2 id="spend-title">"Monthly spend per publisher"</h2>
            <label class="inline-label">
                <span>"Currency"</span>
                <select on:change=move |ev| currency.set(if event_target_value(&ev) == "EUR" { Currency::EUR } else { Currency::USD })>
                    <option value="USD">"USD"</option>
                    <option value="EUR">"EUR"</option>
                </select>
            </label>
            <div>
                <svg class="chart" role="img" aria-label=label viewBox=move || format!("0 0 {} 224", width()) width=width height="224">
                    <line x1="56" y1="200" x2=width y2="200" stroke="#c8c6c4"></line>
                    {bars}
                </svg>
                <ul class="legend">{legend}</ul>
            </div>
            <p class="hint">{"Month of "}{move || month_year(month_start(source.now()))}{" is still open: its charges are unbilled."}</p>
        </section>
    }
}
