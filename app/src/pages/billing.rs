use domain::time::display_date;
use leptos::prelude::*;

use crate::components::Blocked;
use crate::console::use_console;

/// Billing: the invoices ("Recurring and one-time purchases") and unbilled charges, for the roles
/// that may see them.
#[component]
pub fn BillingPage() -> impl IntoView {
    let console = use_console();
    let invoices = move || {
        let actor = console.actor();
        console.read(|e| {
            e.invoices(&actor)
                .map(|list| list.into_iter().cloned().collect::<Vec<_>>())
        })
    };
    let blocked = Signal::derive(move || invoices().err().map(|d| d.to_string()));
    view! {
        <h1>"Billing"</h1>
        <Blocked reason=blocked id="billing-blocked" />
        <Show when=move || invoices().is_ok()>
            <section class="card" aria-labelledby="invoices-title">
                <h2 id="invoices-title">"Invoices: Recurring and one-time purchases"</h2>
                <div class="table-wrap">
                    <table class="data-table" data-testid="invoices-table">
                        <thead><tr><th scope="col">"Invoice"</th><th scope="col">"Month"</th><th scope="col">"Currency"</th><th scope="col" class="num">"Lines"</th><th scope="col" class="num">"Total"</th></tr></thead>
                        <tbody>
                            {move || invoices().unwrap_or_default().into_iter().map(|i| view! {
                                <tr>
                                    <td>{i.number.clone()}</td>
                                    <td>{i.month.format("%B %Y").to_string()}</td>
                                    <td>{i.currency.code()}</td>
                                    <td class="num">{i.lines.len()}</td>
                                    <td class="num">{i.total.to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <p class="hint">{move || format!("Invoices close at the end of each month (UTC). Today is {}.", display_date(console.now()))}</p>
            </section>
        </Show>
    }
}
