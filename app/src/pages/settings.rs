use domain::{Command, Policy, SettingsRead, WindowPreset};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{Blocked, Feedback, FeedbackLine, Notice, PageTitle};
use crate::source::{LoadStatus, SourceKind, fetch, use_source};

/// Settings: the data source (a server only among those the console was deployed to use), the
/// partner's policy (cancellation windows, the Sales-agent restriction) and the demo data.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let console = use_source();
    let policy_line: FeedbackLine = RwSignal::new(None);
    let reset_line: FeedbackLine = RwSignal::new(None);
    let confirm_reset = RwSignal::new(false);
    let settings = fetch(|| Some(SettingsRead {}));
    let policy = move || settings.with(|s| s.map(|s| s.policy).unwrap_or_default());
    let blocked =
        Signal::derive(move || settings.with(|s| s.and_then(|s| s.blocked_because.clone())));
    let set_policy = move |next: Policy| {
        policy_line.set(Some(Notice::Working("Saving…".into())));
        spawn_local(async move {
            let result = console
                .submit(Command::SetPolicy { policy: next }, None)
                .await;
            policy_line.set(Some(Notice::from_result(&result, "Policy saved.")));
        });
    };
    let server_url = RwSignal::new(console.server_base().unwrap_or_default());
    // Why the typed server is not used, beside the field; what was typed stays.
    let source_line: FeedbackLine = RwSignal::new(None);
    let use_server = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match console.switch_to_server(&server_url.get_untracked()) {
            Ok(()) => source_line.set(Some(Notice::Working("Switching to the server…".into()))),
            Err(refused) => source_line.set(Some(Notice::Error(refused.message))),
        }
    };
    view! {
        <PageTitle title="Settings".to_owned() />
        <h1>"Settings"</h1>
        <section class="card" aria-labelledby="source-title">
            <h2 id="source-title">"Data source"</h2>
            <p>{move || match console.kind() {
                SourceKind::InBrowser => "In-browser: the console runs on its own and keeps its data in this browser.".to_owned(),
                SourceKind::Server => "Server: the console shares its data with your team through the server.".to_owned(),
            }}</p>
            <form class="inline-form" on:submit=use_server>
                <label for="server-url">"Server address (empty when the server serves this console)"</label>
                <input id="server-url" type="text" data-testid="server-url" placeholder="http://127.0.0.1:8081" aria-describedby="source-allowed source-feedback" prop:value=move || server_url.get() on:input=move |ev| server_url.set(event_target_value(&ev)) />
                <button type="submit" data-testid="use-server">"Use the server"</button>
                <button type="button" data-testid="use-browser" on:click=move |_| console.switch_source(None)>"Use in-browser data"</button>
            </form>
            <Feedback line=source_line id="source-feedback" />
            <p class="hint" id="source-allowed" data-testid="source-allowed">
                "The servers this console was deployed to use: " {console.allowed_servers()} "."
            </p>
            <p class="hint">"Or open the console with ?source=server (and &api=<address>) or ?source=browser in its address."</p>
        </section>
        <section class="card" aria-labelledby="policy-title">
            <h2 id="policy-title">"Cancellation policy"</h2>
            <LoadStatus fetched=settings what="the settings" />
            <fieldset>
                <legend>"Cancellation window preset"</legend>
                {WindowPreset::ALL.into_iter().map(|preset| view! {
                    <label class="radio">
                        <input type="radio" name="window" data-testid=format!("preset-{preset:?}")
                            prop:checked=move || policy().cancellation_window == preset
                            on:change=move |_| set_policy(Policy { cancellation_window: preset, ..policy() }) />
                        {format!("{} — {}", preset.name(), preset.label())}
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="checkbox">
                <input type="checkbox" data-testid="sales-restriction"
                    prop:checked=move || policy().sales_agent_saas_update_restriction
                    on:change=move |ev| set_policy(Policy { sales_agent_saas_update_restriction: event_target_checked(&ev), ..policy() }) />
                "Sales agents cannot update marketplace SaaS subscriptions (Partner Center's temporary restriction)"
            </label>
            <p class="hint">"Only a Global admin can change these."</p>
            <Blocked reason=blocked id="policy-blocked" />
            <Feedback line=policy_line id="policy-feedback" />
        </section>
        <Show when=move || console.kind() == SourceKind::InBrowser>
        <section class="card" aria-labelledby="demo-title">
            <h2 id="demo-title">"Demo data (in-browser)"</h2>
            <p>"The console keeps its data in this browser. Reset demo data replaces every customer, subscription, charge and activity entry with a fresh demo set and sets the clock back to real time."</p>
            <Show when=move || !confirm_reset.get() fallback=move || view! {
                <p role="alert">"Reset demo data? Everything changed in this browser is replaced."</p>
                <button type="button" class="button--danger" data-testid="reset-confirm" on:click=move |_| {
                    console.reset_demo();
                    confirm_reset.set(false);
                    reset_line.set(Some(Notice::Success("Demo data reset.".into())));
                }>"Reset demo data"</button>
                <button type="button" on:click=move |_| confirm_reset.set(false)>"Keep my data"</button>
            }>
                <button type="button" data-testid="reset-demo" on:click=move |_| confirm_reset.set(true)>"Reset demo data"</button>
            </Show>
            <Feedback line=reset_line id="reset-feedback" />
        </section>
        </Show>
    }
}
