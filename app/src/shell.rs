use chrono::TimeDelta;
use domain::time::{display, display_duration};
use domain::{ClockReport, UserId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{Feedback, FeedbackLine, Notice};
use crate::pages::{
    activity::ActivityPage, billing::BillingPage, customers::CustomersPage, not_found::NotFound,
    order::OrderPage, publisher::PublisherPage, purchase::PurchasePage, renewals::RenewalsPage,
    settings::SettingsPage, subscription_detail::SubscriptionDetailPage,
    subscriptions::SubscriptionsPage,
};
use crate::router::{NavLink, Page, provide_location};
use crate::source::{Connection, Source, SourceKind, Status, use_source};

/// The product's name, shown in the header and the document title.
pub const PRODUCT_NAME: &str = "Marketplace Console";

/// The whole console: the data source, the header and the routed pages.
#[component]
pub fn App() -> impl IntoView {
    provide_context(Source::start());
    let console = use_source();
    provide_location();
    // The publisher's site needs no partner sign-in: the link's code is all it needs.
    let matched = crate::router::use_location().matched();
    let publisher_site = Memo::new(move |_| matched.with(|m| m.page == Page::Publisher));
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <Header />
        <DataNoticeBanner />
        <main class="shell-main" id="main" tabindex="-1">
            {move || match console.status() {
                Status::Ready => view! { <Pages /> }.into_any(),
                Status::Loading => view! {
                    <p class="loading" role="status" data-testid="loading">
                        <span class="spinner" aria-hidden="true"></span>
                        "Signing in to the server…"
                    </p>
                }.into_any(),
                Status::SignedOut if publisher_site.get() => view! { <Pages /> }.into_any(),
                Status::SignedOut => view! { <SignInPage /> }.into_any(),
                Status::Failed(message) => view! {
                    <section class="card" data-testid="load-failed">
                        <h1>"The server could not be reached"</h1>
                        <p role="alert">{message}</p>
                        <button type="button" class="button--primary" on:click=move |_| console.reload()>"Try again"</button>
                        <button type="button" on:click=move |_| console.switch_source(None)>"Use in-browser data instead"</button>
                    </section>
                }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Pages() -> impl IntoView {
    let matched = crate::router::use_location().matched();
    let page = Memo::new(move |_| matched.with(|m| m.page));
    move || match page.get() {
        Page::Customers => view! { <CustomersPage /> }.into_any(),
        Page::Subscriptions => view! { <SubscriptionsPage /> }.into_any(),
        Page::Subscription => view! { <SubscriptionDetailPage /> }.into_any(),
        Page::Purchase => view! { <PurchasePage /> }.into_any(),
        Page::Order => view! { <OrderPage /> }.into_any(),
        Page::Publisher => view! { <PublisherPage /> }.into_any(),
        Page::Renewals => view! { <RenewalsPage /> }.into_any(),
        Page::Billing => view! { <BillingPage /> }.into_any(),
        Page::Activity => view! { <ActivityPage /> }.into_any(),
        Page::Settings => view! { <SettingsPage /> }.into_any(),
        Page::NotFound => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn Header() -> impl IntoView {
    let console = use_source();
    let ready = move || console.status() == Status::Ready;
    view! {
        <header class="shell-header" data-testid="shell-header">
            <div class="shell-header__row">
                <a class="shell-header__brand" href="/">
                    {PRODUCT_NAME}
                </a>
                <nav class="shell-header__nav" aria-label="Main">
                    <NavLink href="/customers">"Customers"</NavLink>
                    <NavLink href="/renewals">"Renewals"</NavLink>
                    // Offered to the roles that may read billing; the page still refuses others
                    // with the reason when reached directly.
                    <Show when=move || console.user().is_none_or(|u| u.role.reads_billing())>
                        <NavLink href="/billing">"Billing"</NavLink>
                    </Show>
                    <NavLink href="/activity">"Activity log"</NavLink>
                    <NavLink href="/settings">"Settings"</NavLink>
                </nav>
                <span class="shell-header__source" data-testid="data-source">
                    {move || match console.kind() {
                        SourceKind::InBrowser => "Data: In-browser".to_owned(),
                        SourceKind::Server => match console.server_base().filter(|b| !b.is_empty()) {
                            Some(base) => format!("Data: Server ({base})"),
                            None => "Data: Server".to_owned(),
                        },
                    }}
                </span>
                <Show when=ready>
                    {move || match console.kind() {
                        SourceKind::InBrowser => view! { <UserSwitcher /> }.into_any(),
                        SourceKind::Server => view! {
                            <span class="shell-header__user" data-testid="signed-in-user">
                                {move || console.user().map(|u| format!("{} — {}", u.name, u.role.label())).unwrap_or_default()}
                                <button type="button" on:click=move |_| console.sign_out()>"Sign out"</button>
                            </span>
                        }.into_any(),
                    }}
                </Show>
            </div>
            <Show when=move || console.kind() == SourceKind::InBrowser>
                <ClockBar />
            </Show>
            <ConnectionLine />
        </header>
    }
}

/// Whether the server's change notices arrive (server mode): said when they stop, and again
/// when they are back.
#[component]
fn ConnectionLine() -> impl IntoView {
    let console = use_source();
    move || {
        match console.connection() {
        Connection::Lost => Some(view! {
            <p class="banner banner--error" role="alert" data-testid="connection">
                "The server cannot be reached. What you see may be out of date, and changes cannot be saved until it is back; the console keeps trying."
            </p>
        }.into_any()),
        Connection::Back => Some(view! {
            <p class="banner banner--success" role="status" data-testid="connection">
                "The server can be reached again; the pages show its latest data."
            </p>
        }.into_any()),
        Connection::Live | Connection::NotUsed => None,
    }
    }
}

/// One demo user per role, to see the console as each role does (in-browser mode).
#[component]
fn UserSwitcher() -> impl IntoView {
    let console = use_source();
    let users = console.demo_users();
    let current = move || console.user().map(|u| u.id);
    let on_user = move |ev: leptos::ev::Event| {
        if let Ok(id) = UserId::parse(&event_target_value(&ev)) {
            console.sign_in_as(id);
        }
    };
    view! {
        <label class="shell-header__user">
            <span>"Signed in as"</span>
            <select data-testid="user-switcher" on:change=on_user prop:value=move || current().map(|id| id.to_string()).unwrap_or_default()>
                {move || {
                    let current = current();
                    users
                        .clone()
                        .into_iter()
                        .map(|u| {
                            let selected = Some(u.id) == current;
                            view! {
                                <option value=u.id.to_string() selected=selected>
                                    {format!("{} — {}", u.name, u.role.label())}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// Sign-in to the server (server mode).
#[component]
fn SignInPage() -> impl IntoView {
    let console = use_source();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let line: FeedbackLine = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        line.set(Some(Notice::Working("Signing in…".into())));
        let (email, password) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            let refused = console.sign_in(email, password).await.err();
            line.set(refused.map(|r| Notice::Error(r.message)));
        });
    };
    view! {
        <section class="card sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">"Sign in to the shared console"</h1>
            <p class="hint">"This console uses your team's server, so everyone sees the same customers and subscriptions."</p>
            <form class="stack" on:submit=submit>
                <label><span>"E-mail address"</span>
                    <input type="email" autocomplete="username" data-testid="signin-email" prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                </label>
                <label><span>"Password"</span>
                    <input type="password" autocomplete="current-password" data-testid="signin-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="button--primary" data-testid="signin-submit">"Sign in"</button>
            </form>
            <Feedback line=line id="signin-feedback" />
            <p class="hint">
                "Or "
                <button type="button" class="link-button" on:click=move |_| console.switch_source(None)>"use the in-browser demo data"</button>
                " instead."
            </p>
        </section>
    }
}

/// The simulated clock: what time the console thinks it is, and buttons that move it on so
/// renewals, expiry, closing windows and invoice runs can be seen.
#[component]
fn ClockBar() -> impl IntoView {
    let console = use_source();
    let line: crate::components::FeedbackLine = RwSignal::new(None);
    let advance = move |by: TimeDelta, what: &'static str| {
        let report = console.advance_clock(by);
        line.set(Some(Notice::Success(format!(
            "Moved on {what}. {}",
            describe(&report)
        ))));
    };
    let to_next_term_end = move |_| {
        let now = console.now();
        match console.next_term_end() {
            Some(end) => {
                let by = end - now + TimeDelta::seconds(1);
                let report = console.advance_clock(by);
                line.set(Some(Notice::Success(format!(
                    "Moved on to the next term end ({}). {}",
                    display(end),
                    describe(&report)
                ))));
            }
            None => line.set(Some(Notice::Error(
                "No active subscription has a term end ahead.".into(),
            ))),
        }
    };
    view! {
        <div class="clock-bar" role="group" aria-label="Simulated clock">
            <span class="clock-bar__now" data-testid="clock-now">
                "Now: " {move || display(console.now())}
                {move || {
                    let lead = console.clock_offset();
                    (lead > TimeDelta::zero()).then(|| format!(" (simulated, {} ahead)", display_duration(lead)))
                }}
            </span>
            <button type="button" data-testid="clock-hour" on:click=move |_| advance(TimeDelta::hours(1), "1 hour")>"+1 hour"</button>
            <button type="button" data-testid="clock-day" on:click=move |_| advance(TimeDelta::days(1), "1 day")>"+1 day"</button>
            <button type="button" data-testid="clock-month" on:click=move |_| advance(TimeDelta::days(30), "30 days")>"+1 month"</button>
            <button type="button" data-testid="clock-term-end" on:click=to_next_term_end>"To next term end"</button>
            <Feedback line=line id="clock-feedback" />
        </div>
    }
}

/// A sentence saying what happened when the clock moved.
fn describe(report: &ClockReport) -> String {
    let mut parts = Vec::new();
    let mut count = |n: usize, one: &str, many: &str| {
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    };
    count(
        report.renewed.len(),
        "subscription renewed",
        "subscriptions renewed",
    );
    count(
        report.converted.len(),
        "trial converted",
        "trials converted",
    );
    count(
        report.expired.len(),
        "subscription expired",
        "subscriptions expired",
    );
    count(
        report.windows_closed.len(),
        "cancellation window closed",
        "cancellation windows closed",
    );
    count(
        report.cycle_charges,
        "billing period charged",
        "billing periods charged",
    );
    count(report.invoices.len(), "invoice closed", "invoices closed");
    if parts.is_empty() {
        "Nothing fell due.".into()
    } else {
        format!("{}.", parts.join(", "))
    }
}

#[component]
fn DataNoticeBanner() -> impl IntoView {
    let console = use_source();
    view! {
        <Show when=move || console.notice().is_some()>
            <div class="banner banner--warning" role="alert" data-testid="data-notice">
                <p>{move || console.notice().map(|n| n.message).unwrap_or_default()}</p>
                <button type="button" on:click=move |_| console.dismiss_notice()>"Dismiss"</button>
            </div>
        </Show>
    }
}
