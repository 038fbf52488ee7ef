use std::fmt::Write;

use domain::export::reconciliation_csv;
use domain::time::{display_date, month_start, month_year, short_month_year};
use domain::{Charge, Currency, Engine, Invoice, Money, Spend, Timestamp};
use leptos::prelude::*;

use super::{navigator, query_param, with_query};
use crate::components::{Blocked, ExportButton};
use crate::console::use_console;
use crate::html::escape;

/// Billing: the invoices ("Recurring and one-time purchases") with their lines and reconciliation
/// files, the charges not yet invoiced, and monthly spend per publisher — for the roles that may
/// see them; others see why not.
#[component]
pub fn BillingPage() -> impl IntoView {
    let console = use_console();
    let go = navigator();
    let selected = query_param("invoice");
    let invoices = Memo::new(move |_| {
        let actor = console.actor();
        console.read(|e| {
            e.invoices(&actor)
                .map(|list| list.into_iter().cloned().collect::<Vec<_>>())
                .map_err(|d| d.to_string())
        })
    });
    let blocked = Signal::derive(move || invoices.get().err());
    let unbilled = Memo::new(move |_| {
        let actor = console.actor();
        console.read(|e| {
            e.unbilled_charges(&actor)
                .map(|l| l.into_iter().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let spend = Memo::new(move |_| {
        let actor = console.actor();
        console.read(|e| e.spend_by_publisher(&actor).unwrap_or_default())
    });
    let open_invoice = Callback::new(move |number: String| {
        go(&with_query("/billing", &[("invoice", number)]), false)
    });
    view! {
        <h1>"Billing"</h1>
        <p class="hint">"Commercial marketplace purchases are billed on the monthly invoice \u{201c}Recurring and one-time purchases\u{201d}, one per currency, closed at the end of each month (UTC)."</p>
        <Blocked reason=blocked id="billing-blocked" />
        <Show when=move || invoices.with(Result::is_ok)>
            <section class="card" aria-labelledby="invoices-title">
                <h2 id="invoices-title">"Invoices"</h2>
                <div class="table-wrap">
                    <table class="data-table" data-testid="invoices-table">
                        <thead><tr><th scope="col">"Invoice"</th><th scope="col">"Month"</th><th scope="col">"Currency"</th><th scope="col" class="num">"Lines"</th><th scope="col" class="num">"Total"</th><th scope="col">"Reconciliation"</th></tr></thead>
                        <tbody>
                            <For each=move || invoices.get().unwrap_or_default() key=|i| i.number.clone() let:invoice>
                                <InvoiceRow invoice=invoice open=open_invoice />
                            </For>
                        </tbody>
                    </table>
                </div>
                <Show when=move || invoices.with(|l| l.as_ref().is_ok_and(Vec::is_empty))>
                    <p class="empty">"No invoice has closed yet: the first closes at the end of this month."</p>
                </Show>
            </section>
            <Show when=move || !selected.get().is_empty()>
                <InvoiceLines number=selected />
            </Show>
            <SpendChart spend=Signal::derive(move || spend.get()) />
            <section class="card" aria-labelledby="unbilled-title" data-testid="unbilled">
                <h2 id="unbilled-title">{move || format!("Unbilled charges of {}", month_year(console.now()))}</h2>
                <ChargeTable charges=Signal::derive(move || unbilled.get()) />
            </section>
        </Show>
    }
}

#[component]
fn InvoiceRow(invoice: Invoice, open: Callback<String>) -> impl IntoView {
    let console = use_console();
    let number = invoice.number.clone();
    let file = format!("Reconciliation-{}.csv", invoice.number);
    let make = {
        let number = number.clone();
        Callback::new(move |()| {
            let actor = console.actor();
            console.read(|e| reconciliation_csv(e, &actor, &number).map_err(|e| e.to_string()))
        })
    };
    view! {
        <tr data-testid="invoice-row">
            <td><button type="button" class="link-button" on:click={let n = number.clone(); move |_| open.run(n.clone())}>{number.clone()}</button></td>
            <td>{month_year(invoice.month)}</td>
            <td>{invoice.currency.code()}</td>
            <td class="num">{invoice.lines.len()}</td>
            <td class="num">{invoice.total.to_string()}</td>
            <td><ExportButton label="Download CSV" file=file testid="export-reconciliation" make=make /></td>
        </tr>
    }
}

#[component]
fn InvoiceLines(number: Memo<String>) -> impl IntoView {
    let console = use_console();
    let found = Memo::new(move |_| {
        let actor = console.actor();
        let number = number.get();
        console.read(|e| {
            let invoice = e
                .state()
                .invoices
                .iter()
                .find(|i| i.number == number)
                .cloned();
            let lines = e
                .invoice_lines(&actor, &number)
                .map(|l| l.into_iter().cloned().collect::<Vec<_>>());
            invoice.zip(lines.ok())
        })
    });
    view! {
        <section class="card" aria-labelledby="lines-title" data-testid="invoice-lines">
            {move || match found.get() {
                None => view! { <h2 id="lines-title">{format!("Invoice {} was not found", number.get())}</h2> }.into_any(),
                Some((invoice, lines)) => view! {
                    <h2 id="lines-title">{format!("Invoice {} · {} · {}", invoice.number, month_year(invoice.month), invoice.total)}</h2>
                    <ChargeTable charges=Signal::derive(move || lines.clone()) />
                }.into_any(),
            }}
        </section>
    }
}

/// Charge lines with their total per currency.
#[component]
fn ChargeTable(charges: Signal<Vec<Charge>>) -> impl IntoView {
    let console = use_console();
    let totals = move || {
        charges.with(|list| {
            [Currency::USD, Currency::EUR]
                .into_iter()
                .filter(|cur| list.iter().any(|c| c.amount.currency == *cur))
                .map(|cur| {
                    Money::sum(
                        cur,
                        list.iter()
                            .filter(|c| c.amount.currency == cur)
                            .map(|c| &c.amount),
                    )
                    .to_string()
                })
                .collect::<Vec<_>>()
                .join(" · ")
        })
    };
    view! {
        <Show when=move || !charges.with(Vec::is_empty) fallback=|| view! { <p class="empty">"No charges."</p> }>
            <div class="table-wrap">
                <table class="data-table" data-testid="charges-table">
                    <thead><tr><th scope="col">"Customer"</th><th scope="col">"Subscription"</th><th scope="col">"Publisher"</th><th scope="col">"Charge type"</th><th scope="col">"Period"</th><th scope="col" class="num">"Quantity"</th><th scope="col" class="num">"Unit price"</th><th scope="col" class="num">"Amount"</th></tr></thead>
                    <tbody inner_html=move || charges.with(|list| console.read(|e| charge_rows_html(e, list)))></tbody>
                </table>
            </div>
            <p class="total" data-testid="charges-total"><strong>"Total: "</strong>{totals}</p>
        </Show>
    }
}

/// Charge lines as table rows (HTML), each with its customer's name.
fn charge_rows_html(engine: &Engine, charges: &[Charge]) -> String {
    let mut html = String::new();
    for c in charges {
        let customer = engine.customer(c.customer).map_or("", |x| &x.company_name);
        let _ = write!(
            html,
            "<tr><td>{}</td><td><a href=\"/customers/{}/subscriptions/{}\">{}</a></td><td>{}</td>\
             <td>{}</td><td>{} – {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td></tr>",
            escape(customer),
            c.customer,
            c.subscription,
            escape(&c.subscription_name),
            escape(&c.publisher_name),
            c.charge_type.as_str(),
            display_date(c.period_start),
            display_date(c.period_end),
            c.quantity,
            c.unit_price,
            c.amount,
        );
    }
    html
}

const COLOURS: [&str; 8] = [
    "#0f6cbd", "#c239b3", "#107c10", "#ca5010", "#5c2e91", "#038387", "#986f0b", "#a4262c",
];

/// Monthly spend per publisher as stacked bars, one chart per currency, drawn as inline SVG.
#[component]
fn SpendChart(spend: Signal<Vec<Spend>>) -> impl IntoView {
    let console = use_console();
    let currency = RwSignal::new(Currency::USD);
    let chart = move || {
        let cur = currency.get();
        spend.with(|all| {
            let rows: Vec<&Spend> = all.iter().filter(|s| s.amount.currency == cur).collect();
            let mut months: Vec<_> = rows.iter().map(|s| s.month).collect();
            domain::sorting::sort_dedup(&mut months);
            let months: Vec<_> = months.into_iter().rev().take(6).rev().collect();
            let mut publishers: Vec<String> = rows.iter().map(|s| s.publisher.clone()).collect();
            domain::sorting::sort_dedup(&mut publishers);
            let total = |m| {
                rows.iter()
                    .filter(|s| s.month == m)
                    .map(|s| s.amount.minor.max(0))
                    .sum::<i64>()
            };
            let top = months.iter().map(|m| total(*m)).max().unwrap_or(0).max(1);
            (
                months,
                publishers,
                rows.into_iter().cloned().collect::<Vec<_>>(),
                top,
            )
        })
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
            <div inner_html=move || chart_html(&chart(), currency.get())></div>
            <p class="hint">{"Month of "}{move || month_year(month_start(console.now()))}{" is still open: its charges are unbilled."}</p>
        </section>
    }
}

/// The stacked bars of the last six months and the legend, as SVG and HTML.
fn chart_html(
    (months, publishers, rows, top): &(Vec<Timestamp>, Vec<String>, Vec<Spend>, i64),
    currency: Currency,
) -> String {
    let width = 80 * months.len().max(1) as i64 + 60;
    let colour =
        |p: &str| COLOURS[publishers.iter().position(|x| x == p).unwrap_or(0) % COLOURS.len()];
    let mut html = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"Stacked bars of {} spend per publisher for \
         the last {} months.\" viewBox=\"0 0 {width} 224\" width=\"{width}\" height=\"224\">\
         <line x1=\"56\" y1=\"200\" x2=\"{width}\" y2=\"200\" stroke=\"#c8c6c4\"></line>",
        currency.code(),
        months.len()
    );
    for (i, m) in months.iter().enumerate() {
        let mut y = 200i64;
        let x = 60 + 80 * i as i64;
        html.push_str("<g>");
        for s in rows.iter().filter(|s| s.month == *m && s.amount.minor > 0) {
            let h = s.amount.minor * 180 / top;
            y -= h;
            let _ = write!(
                html,
                "<rect x=\"{x}\" y=\"{y}\" width=\"48\" height=\"{h}\" fill=\"{}\"><title>{}: {} in {}</title></rect>",
                colour(&s.publisher),
                escape(&s.publisher),
                s.amount,
                month_year(s.month)
            );
        }
        let month_total = Money::new(
            rows.iter()
                .filter(|s| s.month == *m)
                .map(|s| s.amount.minor)
                .sum(),
            currency,
        );
        let _ = write!(
            html,
            "<text x=\"{cx}\" y=\"216\" text-anchor=\"middle\" font-size=\"11\">{}</text>\
             <text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\">{month_total}</text></g>",
            short_month_year(*m),
            y - 4,
            cx = x + 24,
        );
    }
    html.push_str("</svg><ul class=\"legend\">");
    for p in publishers {
        let _ = write!(
            html,
            "<li><svg class=\"swatch\" width=\"10\" height=\"10\" aria-hidden=\"true\">\
             <rect width=\"10\" height=\"10\" rx=\"2\" fill=\"{}\"></rect></svg>{}</li>",
            colour(p),
            escape(p)
        );
    }
    html.push_str("</ul>");
    html
}
