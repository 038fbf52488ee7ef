use std::fmt::Write;

use domain::time::display;
use domain::{ActivityEntry, Outcome};
use leptos::prelude::*;

use crate::html::escape;

/// Activity log entries as a table: when, who with which role, what, the change, and whether it
/// was done or refused (with the message the user saw). The rows are written as HTML.
#[component]
pub fn ActivityTable(
    /// The entries, newest first.
    entries: Signal<Vec<ActivityEntry>>,
    /// The table's test id.
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid=testid inner_html=move || entries.with(|e| table_html(e))></table>
        </div>
    }
}

/// The inside of the table (its head and rows), for pages written as HTML: `entries`, newest
/// first.
pub fn table_html<'a>(entries: impl IntoIterator<Item = &'a ActivityEntry>) -> String {
    let mut html = String::from(
        "<thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th>\
         <th scope=\"col\">Operation</th><th scope=\"col\">Change</th>\
         <th scope=\"col\">Result</th></tr></thead><tbody>",
    );
    rows_html(&mut html, entries);
    html.push_str("</tbody>");
    html
}

/// The entries as table rows (HTML).
fn rows_html<'a>(html: &mut String, entries: impl IntoIterator<Item = &'a ActivityEntry>) {
    for entry in entries {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}",
            display(entry.at),
            escape(&entry.actor.name)
        );
        if let Some(role) = entry.actor.role {
            let _ = write!(html, " ({})", role.label());
        }
        let change = match (&entry.old, &entry.new) {
            (Some(o), Some(n)) if !o.is_empty() => format!("{o} → {n}"),
            (_, Some(n)) => n.clone(),
            _ => String::new(),
        };
        let result = match &entry.outcome {
            Outcome::Succeeded => "Done".to_owned(),
            Outcome::Denied { message, .. } => format!("Refused: {message}"),
        };
        let _ = write!(
            html,
            "</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            entry.operation.label(),
            escape(&change),
            escape(&result)
        );
    }
}
