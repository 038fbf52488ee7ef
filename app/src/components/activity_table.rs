use domain::time::display;
use domain::{ActivityEntry, Outcome};
use leptos::prelude::*;

/// Activity log entries as a table: when, who with which role, what, the change, and whether it
/// was done or refused (with the message the user saw).
#[component]
pub fn ActivityTable(
    /// The entries, newest first.
    #[prop(into)]
    entries: Signal<Vec<ActivityEntry>>,
    /// The table's test id.
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid=testid>
                <thead><tr>
                    <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Operation"</th>
                    <th scope="col">"Change"</th><th scope="col">"Result"</th>
                </tr></thead>
                <tbody>
                    <For each=move || entries.get() key=|e| e.seq let:entry>
                        <ActivityRow entry=entry />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ActivityRow(entry: ActivityEntry) -> impl IntoView {
    let who = match entry.actor.role {
        Some(role) => format!("{} ({})", entry.actor.name, role.label()),
        None => entry.actor.name.clone(),
    };
    let change = match (&entry.old, &entry.new) {
        (Some(o), Some(n)) if !o.is_empty() => format!("{o} → {n}"),
        (_, Some(n)) => n.clone(),
        _ => String::new(),
    };
    let result = match &entry.outcome {
        Outcome::Succeeded => "Done".to_owned(),
        Outcome::Denied { message, .. } => format!("Refused: {message}"),
    };
    view! {
        <tr>
            <td>{display(entry.at)}</td>
            <td>{who}</td>
            <td>{entry.operation.label()}</td>
            <td>{change}</td>
            <td>{result}</td>
        </tr>
    }
}
