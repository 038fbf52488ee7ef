//! The console's one data source, with two implementations that answer the same reads and
//! commands with the domain's own answer types:
//!
//! - **in-browser** ([`local`]): the domain engine runs in the page; its state is saved in the
//!   browser after every change and shared with the other open tabs; a simulated clock moves on;
//! - **server** ([`remote`]): each read and command goes to the server over HTTP, which runs the
//!   same domain read or command for the signed-in user; the server's change notices (Server-Sent
//!   Events) tell the pages when to read again.
//!
//! Pages reach it through [`use_source`] and read with [`fetch`] (a resource keyed by the page's
//! read), never holding the engine or another page's data.
//!
//! A server is used only when it is one the console was built or deployed for ([`origins`]): the
//! page's own origin, or an origin in the page's `<meta name="mc-api-origins">`.

mod fetch;
mod local;
mod origins;
mod remote;

use std::fmt;

use chrono::{TimeDelta, TimeZone, Utc};
use domain::{Applied, ClockReport, Command, CommandError, Read, Timestamp, User, UserId};
use leptos::prelude::*;

pub use fetch::{Fetched, LoadStatus, fetch};
use local::Local;
use origins::{AllowedServers, NotAllowed};
use remote::Remote;

/// Something the console must tell the user about its data (not about one action).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataNotice {
    /// What happened and what it means for the user's work.
    pub message: String,
}

/// A refused or failed read or change, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The engine's (or the connection's) message.
    pub message: String,
    /// Partner Center's error code, or the HTTP status, where there is one.
    pub code: Option<u32>,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<CommandError> for Refusal {
    /// The refusal with the code the server answers for the same error: Partner Center's, or
    /// the HTTP status (403 denied, 404 not found, 400 otherwise).
    fn from(e: CommandError) -> Self {
        let status = match &e {
            CommandError::Denied(_) => 403,
            CommandError::NotFound(_) => 404,
            _ => 400,
        };
        Refusal {
            message: e.to_string(),
            code: Some(e.code().unwrap_or(status)),
        }
    }
}

impl From<domain::ParseError> for Refusal {
    fn from(e: domain::ParseError) -> Self {
        CommandError::from(e).into()
    }
}

impl From<NotAllowed> for Refusal {
    fn from(refused: NotAllowed) -> Self {
        Refusal {
            message: refused.to_string(),
            code: None,
        }
    }
}

/// Which data source the console uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// The engine in this page, data in this browser.
    InBrowser,
    /// A shared server.
    Server,
}

/// Whether the console can show pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Ready.
    Ready,
    /// Server mode: finding out who is signed in.
    Loading,
    /// Server mode, nobody signed in.
    SignedOut,
    /// The server could not be reached to find out who is signed in.
    Failed(String),
}

/// Whether the server's change notices arrive (server mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// In-browser mode, or not signed in yet.
    NotUsed,
    /// Notices arrive.
    Live,
    /// The stream dropped: the server cannot be reached.
    Lost,
    /// The stream came back after being lost.
    Back,
}

/// A change someone made, as the server's notice or this tab's command tells it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// The journal position it reflects (0 in-browser).
    pub position: i64,
    /// The subscription it changed, if one.
    pub subscription: Option<domain::SubscriptionId>,
    /// Who made it.
    pub by: String,
}

/// The data source. Cheap to copy; every page gets it from context.
#[derive(Clone, Copy)]
pub struct Source {
    kind: SourceKind,
    local: StoredValue<Option<Local>, LocalStorage>,
    remote: StoredValue<Option<Remote>, LocalStorage>,
    /// Grows with every change that may affect what pages show, so their reads run again.
    revision: RwSignal<u64>,
    /// The last change made by someone (server mode) or in another tab.
    last_change: RwSignal<Option<Change>>,
    /// The simulated clock's lead over real time (in-browser mode).
    clock_offset: RwSignal<TimeDelta>,
    /// Real time, refreshed every 30 seconds so time-left figures stay current.
    real_now: RwSignal<Timestamp>,
    user: RwSignal<Option<User>>,
    notice: RwSignal<Option<DataNotice>>,
    status: RwSignal<Status>,
    connection: RwSignal<Connection>,
    /// The server's change notices, while they are open.
    events: StoredValue<Option<web_sys::EventSource>, LocalStorage>,
    /// The servers the console may use, as the page said when it started.
    allowed: StoredValue<AllowedServers>,
}

/// The source from context.
pub fn use_source() -> Source {
    expect_context::<Source>()
}

fn real_now() -> Timestamp {
    Utc.timestamp_millis_opt(js_sys::Date::now() as i64)
        .single()
        .expect("the browser's clock is a valid time")
}

/// A parameter of the page's address as it was when the console started.
fn url_param(name: &str) -> Option<String> {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    search.trim_start_matches('?').split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        if k == name {
            js_sys::decode_uri_component(v).ok().map(String::from)
        } else {
            None
        }
    })
}

impl Source {
    /// Starts the console in the chosen mode: `?source=server` (its server is the page's own
    /// origin, or `api=` / the one chosen in Settings), `?source=browser`, or what was chosen last.
    /// A server the console was not deployed to use is not used (it starts as it would without
    /// that choice) and the data notice says why.
    pub fn start() -> Source {
        let allowed = remote::allowed_servers();
        let chosen = remote::chosen_server(&allowed);
        let server = chosen.server;
        let source = Source {
            kind: if server.is_some() {
                SourceKind::Server
            } else {
                SourceKind::InBrowser
            },
            local: StoredValue::new_local(None),
            remote: StoredValue::new_local(None),
            revision: RwSignal::new(0),
            last_change: RwSignal::new(None),
            clock_offset: RwSignal::new(TimeDelta::zero()),
            real_now: RwSignal::new(real_now()),
            user: RwSignal::new(None),
            notice: RwSignal::new(None),
            status: RwSignal::new(Status::Ready),
            connection: RwSignal::new(Connection::NotUsed),
            events: StoredValue::new_local(None),
            allowed: StoredValue::new(allowed),
        };
        let instead = match server.as_deref() {
            None => "It shows the data kept in this browser instead.".to_owned(),
            Some("") => "It uses this page's server instead.".to_owned(),
            Some(base) => format!("It keeps using the server at {base}."),
        };
        match server {
            Some(base) => Remote::start(source, base),
            None => Local::start(source),
        }
        if let Some(refused) = chosen.refused {
            // Before what the in-browser source had to say at its start, if anything.
            let message = match source.notice.get_untracked() {
                Some(earlier) => format!("{refused} {instead} {}", earlier.message),
                None => format!("{refused} {instead}"),
            };
            source.notice.set(Some(DataNotice { message }));
        }
        let real = source.real_now;
        let _ = set_interval_with_handle(
            move || real.set(real_now()),
            std::time::Duration::from_secs(30),
        );
        source
    }

    /// Which data source is in use.
    pub fn kind(&self) -> SourceKind {
        self.kind
    }

    /// Whether the console can show pages. Tracked.
    pub fn status(&self) -> Status {
        self.status.get()
    }

    /// Whether the server's change notices arrive. Tracked.
    pub fn connection(&self) -> Connection {
        self.connection.get()
    }

    /// The server's address in server mode ("" when it is this page's origin).
    pub fn server_base(&self) -> Option<String> {
        self.remote
            .with_value(|r| r.as_ref().map(|r| r.base().to_owned()))
    }

    /// A link to one of the console's own pages (an activation link's publisher site) as it is
    /// given to someone else: absolute, and in server mode naming the server, so that it opens the
    /// same purchase in a fresh private window. In-browser, the data is this browser's only.
    pub fn shareable_link(&self, uri: &str) -> String {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        let absolute = format!("{origin}{uri}");
        let separator = if uri.contains('?') { '&' } else { '?' };
        match self.server_base().as_deref() {
            None => absolute,
            Some("") => format!("{absolute}{separator}source=server"),
            Some(base) => format!(
                "{absolute}{separator}source=server&api={}",
                js_sys::encode_uri_component(base)
            ),
        }
    }

    /// The console's time: real time plus the simulated clock's lead. Tracked.
    pub fn now(&self) -> Timestamp {
        self.real_now.get() + self.clock_offset.get()
    }

    /// How far the simulated clock is ahead of real time. Tracked.
    pub fn clock_offset(&self) -> TimeDelta {
        self.clock_offset.get()
    }

    /// The signed-in user. Tracked.
    pub fn user(&self) -> Option<User> {
        self.user.get()
    }

    /// The last change someone else made (another user, or another tab). Tracked.
    pub fn last_change(&self) -> Option<Change> {
        self.last_change.get()
    }

    /// What the console must tell the user about its data, if anything. Tracked.
    pub fn notice(&self) -> Option<DataNotice> {
        self.notice.get()
    }

    /// Dismisses the data notice.
    pub fn dismiss_notice(&self) {
        self.notice.set(None);
    }

    /// The answer to a read for the signed-in user.
    pub async fn read<R: Read>(self, read: R) -> Result<R::Answer, Refusal> {
        match self.kind {
            SourceKind::InBrowser => {
                let (now, user) = (self.now_untracked(), self.user.get_untracked());
                self.local
                    .with_value(|l| Some(l.as_ref()?.read(&read, user?.id, now)))
                    .unwrap_or_else(|| Err(not_started()))
            }
            SourceKind::Server => match self.remote.get_value() {
                Some(remote) => remote.read(&read).await,
                None => Err(not_started()),
            },
        }
    }

    /// Makes a change as the signed-in user. `version` is the version of the subscription the user
    /// was looking at: if it changed meanwhile (another tab, another user), the change is refused
    /// and the page shows the new values.
    pub async fn submit(self, command: Command, version: Option<u64>) -> Result<Applied, Refusal> {
        self.submit_for(None, command, version).await
    }

    /// Makes a change as a publisher (the simulated publisher's site), with the activation code
    /// of the link the site was opened with (a server takes the publisher's steps only with it).
    pub async fn submit_as_publisher(
        self,
        publisher: String,
        code: String,
        command: Command,
    ) -> Result<Applied, Refusal> {
        self.submit_for(Some((publisher, code)), command, None)
            .await
    }

    /// One body for every caller: compiled once, not once per page that changes something.
    async fn submit_for(
        self,
        publisher: Option<(String, String)>,
        command: Command,
        version: Option<u64>,
    ) -> Result<Applied, Refusal> {
        let result = match self.kind {
            SourceKind::InBrowser => {
                let (now, user) = (self.now_untracked(), self.user.get_untracked());
                self.local
                    .try_update_value(|l| match (l, user) {
                        (Some(l), Some(user)) => {
                            l.submit(user.id, publisher, command, version, now)
                        }
                        _ => Err(not_started()),
                    })
                    .unwrap_or_else(|| Err(not_started()))
            }
            SourceKind::Server => match self.remote.get_value() {
                Some(remote) => remote.command(&command, version, publisher).await,
                None => Err(not_started()),
            },
        };
        self.changed();
        result
    }

    fn now_untracked(&self) -> Timestamp {
        self.real_now.get_untracked() + self.clock_offset.get_untracked()
    }

    /// Tells the pages that what they show may have changed; in-browser, also whether the change
    /// could be saved.
    fn changed(&self) {
        if let Some(unsaved) = self.local.with_value(|l| l.as_ref().map(Local::unsaved)) {
            match unsaved {
                Some(notice) => self.notice.set(Some(notice)),
                None => {
                    let told = self.notice.with_untracked(|n| {
                        n.as_ref()
                            .is_some_and(|n| n.message.starts_with(local::NOT_SAVED))
                    });
                    if told {
                        self.notice.set(None);
                    }
                }
            }
        }
        self.revision.update(|r| *r += 1);
    }

    /// The partner's users, to sign in as any of them (in-browser mode; empty on a server).
    pub fn demo_users(&self) -> Vec<User> {
        self.local
            .with_value(|l| l.as_ref().map(Local::users))
            .unwrap_or_default()
    }

    /// Signs in as another demo user (in-browser mode).
    pub fn sign_in_as(&self, id: UserId) {
        let user = self
            .local
            .with_value(|l| l.as_ref().and_then(|l| l.sign_in_as(id)));
        if user.is_some() {
            self.user.set(user);
            self.changed();
        }
    }

    /// Moves the simulated clock on by `by` and applies what falls due (in-browser mode).
    pub fn advance_clock(&self, by: TimeDelta) -> ClockReport {
        let offset = self.clock_offset.get_untracked() + by;
        self.clock_offset.set(offset);
        let now = self.now_untracked();
        let report = self
            .local
            .try_update_value(|l| l.as_mut().map(|l| l.advance_clock(offset, now)))
            .flatten()
            .unwrap_or_default();
        self.changed();
        report
    }

    /// The soonest term end ahead of an active subscription (in-browser mode).
    pub fn next_term_end(&self) -> Option<Timestamp> {
        let now = self.now_untracked();
        self.local
            .with_value(|l| l.as_ref().and_then(|l| l.next_term_end(now)))
    }

    /// Replaces everything with fresh demo data at real time, and signs in as the Global admin.
    pub fn reset_demo(&self) {
        self.clock_offset.set(TimeDelta::zero());
        let now = real_now();
        self.real_now.set(now);
        let user = self
            .local
            .try_update_value(|l| l.as_mut().and_then(|l| l.reset(now)))
            .flatten();
        self.user.set(user);
        self.changed();
    }

    /// The servers the console may use, as it says them ("this page's server, https://…").
    pub fn allowed_servers(&self) -> String {
        self.allowed.with_value(AllowedServers::describe)
    }

    /// Switches to in-browser data (`None`) or to the server at `server`, and starts the console
    /// again. A server the console was not deployed to use is refused with the data notice and
    /// nothing changes ([`Source::switch_to_server`] answers the refusal instead).
    pub fn switch_source(&self, server: Option<&str>) {
        let switched = match server {
            Some(address) => self.switch_to_server(address),
            None => {
                remote::choose_server(None);
                restart();
                Ok(())
            }
        };
        if let Err(refused) = switched {
            self.notice.set(Some(DataNotice {
                message: refused.message,
            }));
        }
    }

    /// Switches to the server at `address` ("" for this page's own server) and starts the console
    /// again; or, when the console was not deployed to use that server, answers why, sending and
    /// keeping nothing.
    pub fn switch_to_server(&self, address: &str) -> Result<(), Refusal> {
        let base = self.allowed.with_value(|a| a.base_for(address))?;
        remote::choose_server(Some(&base));
        restart();
        Ok(())
    }

    /// Signs in to the server; answers the refusal when it failed.
    pub async fn sign_in(self, email: String, password: String) -> Result<(), Refusal> {
        let Some(remote) = self.remote.get_value() else {
            return Err(not_started());
        };
        let signed_in = remote.sign_in(&email, &password).await?;
        self.remote.set_value(Some(signed_in));
        Remote::begin(self);
        Ok(())
    }

    /// Signs out of the server.
    pub fn sign_out(&self) {
        let remote = self.remote.get_value();
        if let Some(remote) = remote {
            self.remote.set_value(Some(remote.signed_out()));
        }
        if let Some(events) = self.events.try_update_value(Option::take).flatten() {
            events.close();
        }
        self.user.set(None);
        self.connection.set(Connection::NotUsed);
        self.status.set(Status::SignedOut);
    }

    /// Finds out again who is signed in (the Retry of a failed start).
    pub fn reload(&self) {
        Remote::begin(*self);
    }
}

/// Starts the console again at the Customers page (after the data source was switched).
fn restart() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href("/customers");
    }
}

fn not_started() -> Refusal {
    Refusal {
        message: "The console's data source has not started.".into(),
        code: None,
    }
}
