//! The console's data source, one boundary for both modes. In **in-browser** mode the domain engine
//! runs in the page and its state is saved in the browser after every change and shared with the
//! other open tabs; a simulated clock can be moved on. In **server** mode the page keeps a replica
//! of the server's state (its snapshot, then its journal replayed by the same engine), reads from
//! it at once, and sends every change to the server. Pages reach the console through
//! [`use_console`]: they read with [`Console::read`] and change with [`Console::submit`], never
//! knowing which mode they are in.

use std::fmt;

use chrono::{TimeDelta, TimeZone, Utc};
use domain::demo::{demo_state, demo_user, scale_state};
use domain::money::grouped;
use domain::{
    Actor, Applied, ClockReport, Command, CommandError, Engine, Entry, Role, SeededIds, State,
    Timestamp, User, UserId,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::remote::Server;
use crate::storage::{
    self, CLOCK_KEY, GENERATION_KEY, SET_ASIDE_PREFIX, SOURCE_KEY, STATE_KEY, TOKEN_KEY, USER_KEY,
};

/// Something the console must tell the user about its data (not about one action).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataNotice {
    /// What happened and what it means for the user's work.
    pub message: String,
}

/// A refused or failed change, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The engine's (or the connection's) message.
    pub message: String,
    /// Partner Center's error code, where there is one.
    pub code: Option<u32>,
    /// Whether trying again may work (the connection, not the rules, failed).
    pub retry: bool,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<CommandError> for Refusal {
    fn from(e: CommandError) -> Self {
        Refusal {
            message: e.to_string(),
            code: e.code(),
            retry: false,
        }
    }
}

impl From<domain::ParseError> for Refusal {
    fn from(e: domain::ParseError) -> Self {
        CommandError::from(e).into()
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

/// Whether the console's data is there to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Ready.
    Ready,
    /// Loading from the server.
    Loading,
    /// Server mode, nobody signed in.
    SignedOut,
    /// The server's data could not be loaded.
    Failed(String),
}

/// The data source. Cheap to copy; every page gets it from context.
#[derive(Clone, Copy)]
pub struct Console {
    engine: StoredValue<Engine>,
    ids: StoredValue<SeededIds>,
    /// Grows with every change, so views that read the engine re-render.
    revision: RwSignal<u64>,
    /// The simulated clock's lead over real time (in-browser mode).
    clock_offset: RwSignal<TimeDelta>,
    /// Real time, refreshed every 30 seconds so time-left figures stay current.
    real_now: RwSignal<Timestamp>,
    user: RwSignal<UserId>,
    notice: RwSignal<Option<DataNotice>>,
    kind: RwSignal<SourceKind>,
    server: StoredValue<Option<Server>>,
    /// The replica's journal position (server mode).
    seq: StoredValue<i64>,
    /// The save generation this tab last wrote or read (in-browser mode).
    generation: StoredValue<Option<String>>,
    /// Whether changes are saved in browser storage (not for the scale demo, which is too big).
    keep: StoredValue<bool>,
    status: RwSignal<Status>,
}

/// The console from context.
pub fn use_console() -> Console {
    expect_context::<Console>()
}

fn real_now() -> Timestamp {
    Utc.timestamp_millis_opt(js_sys::Date::now() as i64)
        .single()
        .expect("the browser's clock is a valid time")
}

fn random_seed() -> u64 {
    let part = || (js_sys::Math::random() * f64::from(u32::MAX)) as u64;
    (part() << 32) | part()
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

/// `?demo=scale`: a partner with this many customers, the first holding this many subscriptions.
const SCALE: (usize, usize) = (10_000, 5_000);

/// The source chosen by the URL (`?source=server&api=…`, `?source=browser`) or, failing that, in
/// settings. `None` is in-browser; `Some(base)` a server at `base` ("" = this page's origin).
fn chosen_source() -> Option<String> {
    match url_param("source").as_deref() {
        Some("server") => {
            let base = url_param("api").unwrap_or_default();
            let _ = storage::write(SOURCE_KEY, &format!("server {base}"));
            Some(base)
        }
        Some("browser") => {
            storage::remove(SOURCE_KEY);
            None
        }
        _ => storage::read(SOURCE_KEY)
            .and_then(|v| v.strip_prefix("server").map(|b| b.trim().to_owned())),
    }
}

impl Console {
    /// Starts the console in the chosen mode.
    pub fn start() -> Console {
        let server = chosen_source();
        let offset = if server.is_some() {
            TimeDelta::zero()
        } else {
            storage::read(CLOCK_KEY)
                .and_then(|v| v.parse::<i64>().ok())
                .map_or(TimeDelta::zero(), TimeDelta::milliseconds)
        };
        let now = real_now() + offset;
        let scale = server.is_none() && url_param("demo").as_deref() == Some("scale");
        let (state, notice) = if server.is_some() {
            // A stand-in until the server's data arrives; never shown.
            (demo_state(now), None)
        } else if scale {
            let (customers, largest) = SCALE;
            let message = format!(
                "Scale demo: {} customers, the first with {} more subscriptions, made in this tab. Nothing is saved; reload without ?demo=scale to return to your data.",
                grouped(customers as u64),
                grouped(largest as u64)
            );
            (
                scale_state(now, customers, largest),
                Some(DataNotice { message }),
            )
        } else {
            load_or_demo(now)
        };
        let default_user = demo_user(&state, Role::GlobalAdmin).id;
        let user = storage::read(USER_KEY)
            .and_then(|v| UserId::parse(&v).ok())
            .filter(|id| server.is_some() || state.partner.user(*id).is_some())
            .unwrap_or(default_user);
        let token = server.as_ref().and_then(|_| storage::read(TOKEN_KEY));
        let console = Console {
            engine: StoredValue::new(Engine::new(state)),
            ids: StoredValue::new(SeededIds::new(random_seed())),
            revision: RwSignal::new(0),
            clock_offset: RwSignal::new(offset),
            real_now: RwSignal::new(real_now()),
            user: RwSignal::new(user),
            notice: RwSignal::new(notice),
            kind: RwSignal::new(if server.is_some() {
                SourceKind::Server
            } else {
                SourceKind::InBrowser
            }),
            status: RwSignal::new(match (&server, &token) {
                (None, _) => Status::Ready,
                (Some(_), Some(_)) => Status::Loading,
                (Some(_), None) => Status::SignedOut,
            }),
            server: StoredValue::new(server.map(|base| Server { base, token })),
            seq: StoredValue::new(0),
            generation: StoredValue::new(storage::read(GENERATION_KEY)),
            keep: StoredValue::new(!scale),
        };
        match console.kind.get_untracked() {
            SourceKind::InBrowser if scale => {}
            SourceKind::InBrowser => {
                if storage::read(STATE_KEY).is_none() {
                    console.save();
                }
                console.listen_to_other_tabs();
            }
            SourceKind::Server => {
                if console.status.get_untracked() == Status::Loading {
                    console.reload();
                }
                let _ = set_interval_with_handle(
                    move || {
                        if console.status.get_untracked() == Status::Ready {
                            spawn_local(async move { console.pull().await });
                        }
                    },
                    std::time::Duration::from_secs(5),
                );
            }
        }
        let real = console.real_now;
        let _ = set_interval_with_handle(
            move || real.set(real_now()),
            std::time::Duration::from_secs(30),
        );
        console
    }

    /// Which data source is in use. Tracked.
    pub fn kind(&self) -> SourceKind {
        self.kind.get()
    }

    /// Whether the data is there to show. Tracked.
    pub fn status(&self) -> Status {
        self.status.get()
    }

    /// The server's address in server mode ("" when it is this page's origin).
    pub fn server_base(&self) -> Option<String> {
        self.server
            .with_value(|s| s.as_ref().map(|s| s.base.clone()))
    }

    /// The console's time: real time plus the simulated clock's lead. Tracked.
    pub fn now(&self) -> Timestamp {
        self.real_now.get() + self.clock_offset.get()
    }

    /// How far the simulated clock is ahead of real time. Tracked.
    pub fn clock_offset(&self) -> TimeDelta {
        self.clock_offset.get()
    }

    /// The signed-in user as the engine knows them. Tracked.
    pub fn actor(&self) -> Actor {
        Actor::User(self.user.get())
    }

    /// The signed-in user. Tracked.
    pub fn user(&self) -> Option<User> {
        let id = self.user.get();
        self.read(|e| e.state().partner.user(id).cloned())
    }

    /// Signs in as another demo user (in-browser mode).
    pub fn sign_in_as(&self, id: UserId) {
        self.user.set(id);
        let _ = storage::write(USER_KEY, &id.to_string());
    }

    /// What the console must tell the user about its data, if anything. Tracked.
    pub fn notice(&self) -> Option<DataNotice> {
        self.notice.get()
    }

    /// Dismisses the data notice.
    pub fn dismiss_notice(&self) {
        self.notice.set(None);
    }

    /// Reads the engine; the caller re-runs when the state changes.
    pub fn read<T>(&self, f: impl FnOnce(&Engine) -> T) -> T {
        self.revision.track();
        self.engine.with_value(f)
    }

    /// Makes a change as the signed-in user. `version` is the version of the subscription the user
    /// was looking at: if it changed meanwhile (another tab, another partner), the change is
    /// refused and the page shows the new values. `done` gets the result — at once in
    /// in-browser mode, when the server has answered in server mode.
    pub fn submit(
        &self,
        command: Command,
        version: Option<u64>,
        done: impl FnOnce(Result<Applied, Refusal>) + 'static,
    ) {
        self.submit_for(None, command, version, Box::new(done));
    }

    /// Makes a change as a publisher (the simulated publisher's site), with the activation code
    /// of the link the site was opened with (a server takes the publisher's steps only with it).
    pub fn submit_as_publisher(
        &self,
        publisher: String,
        code: String,
        command: Command,
        done: impl FnOnce(Result<Applied, Refusal>) + 'static,
    ) {
        self.submit_for(Some((publisher, code)), command, None, Box::new(done));
    }

    /// One body for every caller (`done` boxed): the server's path awaits the request and the
    /// pull, which compiled once per caller was about 20 copies of the same future.
    fn submit_for(
        &self,
        publisher: Option<(String, String)>,
        command: Command,
        version: Option<u64>,
        done: Box<dyn FnOnce(Result<Applied, Refusal>)>,
    ) {
        match self.kind.get_untracked() {
            SourceKind::InBrowser => {
                self.catch_up_with_other_tabs();
                if let Err(refusal) = self.check_version(&command, version) {
                    return done(Err(refusal));
                }
                let actor = publisher.map_or_else(
                    || Actor::User(self.user.get_untracked()),
                    |(id, _)| Actor::Publisher(id),
                );
                let now = self.real_now.get_untracked() + self.clock_offset.get_untracked();
                let mut ids = self.ids.get_value();
                let entry = Entry {
                    at: now,
                    actor,
                    command,
                    seed: ids.next_u64(),
                };
                self.ids.set_value(ids);
                let result = self
                    .engine
                    .try_update_value(|engine| domain::apply(engine, &entry))
                    .expect("the engine lives as long as the console");
                self.changed();
                done(result.map_err(Refusal::from));
            }
            SourceKind::Server => {
                let console = *self;
                let Some(server) = self.server.get_value() else {
                    return;
                };
                spawn_local(async move {
                    let result = server
                        .command(
                            &command,
                            version,
                            publisher
                                .as_ref()
                                .map(|(id, code)| (id.as_str(), code.as_str())),
                        )
                        .await;
                    console.pull().await;
                    done(result);
                });
            }
        }
    }

    /// Another tab saved since this one last looked (its storage event may not have arrived
    /// yet): take its state first, so a change is checked against what is really saved.
    fn catch_up_with_other_tabs(&self) {
        let stored = storage::read(GENERATION_KEY);
        if !self.keep.get_value() || stored == self.generation.get_value() {
            return;
        }
        if let Some(state) = storage::read(STATE_KEY).and_then(|t| State::load(&t).ok()) {
            self.engine.set_value(Engine::new(state));
            self.revision.update(|r| *r += 1);
        }
        self.generation.set_value(stored);
    }

    fn check_version(&self, command: &Command, version: Option<u64>) -> Result<(), Refusal> {
        let (Some(seen), Some(id)) = (version, command.subscription()) else {
            return Ok(());
        };
        let current = self
            .engine
            .with_value(|e| e.subscription(id).map(|s| s.version).ok());
        match current {
            Some(v) if v != seen => Err(Refusal {
                message: "Someone changed this subscription since you opened it (in another tab or by another partner): its new values are shown; check them and try again.".into(),
                code: Some(412),
                retry: false,
            }),
            _ => Ok(()),
        }
    }

    /// Moves the simulated clock on by `by` and applies what falls due (in-browser mode).
    pub fn advance_clock(&self, by: TimeDelta) -> ClockReport {
        let offset = self.clock_offset.get_untracked() + by;
        self.clock_offset.set(offset);
        let _ = storage::write(CLOCK_KEY, &offset.num_milliseconds().to_string());
        let now = self.real_now.get_untracked() + offset;
        let report = self
            .engine
            .try_update_value(|engine| engine.advance_clock(now))
            .expect("the engine lives as long as the console");
        self.changed();
        report
    }

    /// Replaces everything with fresh demo data at real time, and signs in as the Global admin.
    pub fn reset_demo(&self) {
        self.clock_offset.set(TimeDelta::zero());
        storage::remove(CLOCK_KEY);
        let now = real_now();
        self.real_now.set(now);
        let state = demo_state(now);
        self.user.set(demo_user(&state, Role::GlobalAdmin).id);
        storage::remove(USER_KEY);
        self.engine.set_value(Engine::new(state));
        self.keep.set_value(true);
        self.changed();
    }

    /// Switches the data source and starts the console again.
    pub fn switch_source(&self, server: Option<&str>) {
        match server {
            Some(base) => {
                let _ = storage::write(SOURCE_KEY, &format!("server {}", base.trim()));
            }
            None => storage::remove(SOURCE_KEY),
        }
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_href("/customers");
        }
    }

    /// Signs in to the server; `done` gets the refusal when it failed.
    pub fn sign_in(
        &self,
        email: String,
        password: String,
        done: impl FnOnce(Option<Refusal>) + 'static,
    ) {
        let console = *self;
        let Some(server) = self.server.get_value() else {
            return;
        };
        spawn_local(async move {
            match server.sign_in(&email, &password).await {
                Ok((token, user)) => {
                    let _ = storage::write(TOKEN_KEY, &token);
                    if let Ok(id) = UserId::parse(&user) {
                        let _ = storage::write(USER_KEY, &user);
                        console.user.set(id);
                    }
                    console.server.update_value(|s| {
                        if let Some(s) = s {
                            s.token = Some(token);
                        }
                    });
                    console.reload();
                    done(None);
                }
                Err(refusal) => done(Some(refusal)),
            }
        });
    }

    /// Signs out of the server.
    pub fn sign_out(&self) {
        storage::remove(TOKEN_KEY);
        self.server.update_value(|s| {
            if let Some(s) = s {
                s.token = None;
            }
        });
        self.status.set(Status::SignedOut);
    }

    /// Loads the server's state again (also the Retry of a failed load).
    pub fn reload(&self) {
        let console = *self;
        let Some(server) = self.server.get_value() else {
            return;
        };
        self.status.set(Status::Loading);
        spawn_local(async move {
            match server.snapshot().await {
                Ok((seq, state, _)) => {
                    console.engine.set_value(Engine::new(state));
                    console.seq.set_value(seq);
                    console.revision.update(|r| *r += 1);
                    console.status.set(Status::Ready);
                }
                Err(refusal) if refusal.code == Some(401) => {
                    console.sign_out();
                }
                Err(refusal) => console.status.set(Status::Failed(refusal.message)),
            }
        });
    }

    /// Brings the replica up to date by replaying the server's new journal entries.
    async fn pull(&self) {
        let Some(server) = self.server.get_value() else {
            return;
        };
        let after = self.seq.get_value();
        if let Ok((entries, last)) = server.journal(after).await {
            // Another pull may have applied some of these while this one waited: apply only
            // what the replica has not seen, so no entry is ever applied twice.
            let seen = self.seq.get_value();
            let entries: Vec<_> = entries.into_iter().filter(|(seq, _)| *seq > seen).collect();
            if entries.is_empty() {
                return;
            }
            self.engine.update_value(|engine| {
                for (_, entry) in &entries {
                    let _ = domain::apply(engine, entry);
                }
            });
            self.seq.set_value(entries.last().map_or(last, |(s, _)| *s));
            self.revision.update(|r| *r += 1);
        }
    }

    fn changed(&self) {
        self.save();
        self.revision.update(|r| *r += 1);
    }

    fn save(&self) {
        if !self.keep.get_value() {
            return;
        }
        let text = self.engine.with_value(|e| e.state().save());
        match storage::write(STATE_KEY, &text) {
            Ok(()) => {
                let generation = random_seed().to_string();
                let _ = storage::write(GENERATION_KEY, &generation);
                self.generation.set_value(Some(generation));
                if self
                    .notice
                    .get_untracked()
                    .is_some_and(|n| n.message.starts_with(NOT_SAVED))
                {
                    self.notice.set(None);
                }
            }
            Err(_) => self.notice.set(Some(DataNotice {
                message: format!(
                    "{NOT_SAVED} (browser storage is full or turned off). Your changes are kept while this tab stays open; free some storage or keep the tab open."
                ),
            })),
        }
    }

    fn listen_to_other_tabs(&self) {
        let console = *self;
        let handle = window_event_listener(leptos::ev::storage, move |event| {
            if event.key().as_deref() != Some(STATE_KEY) {
                return;
            }
            let Some(text) = event.new_value() else {
                return;
            };
            if let Ok(state) = State::load(&text) {
                console.engine.set_value(Engine::new(state));
                console.generation.set_value(storage::read(GENERATION_KEY));
                console.revision.update(|r| *r += 1);
            }
        });
        on_cleanup(move || handle.remove());
    }
}

const NOT_SAVED: &str = "Changes could not be saved in this browser";

/// The saved state, or the demo data with a notice when the saved one cannot be read. An
/// unreadable document is kept aside under its own key, never deleted.
fn load_or_demo(now: Timestamp) -> (State, Option<DataNotice>) {
    let Some(text) = storage::read(STATE_KEY) else {
        return (demo_state(now), None);
    };
    match State::load(&text) {
        Ok(state) => (state, None),
        Err(error) => {
            let aside = format!("{SET_ASIDE_PREFIX}{}", now.timestamp_millis());
            let kept = storage::write(&aside, &text).is_ok();
            let where_kept = if kept {
                format!("It was kept aside in this browser's storage as \u{201c}{aside}\u{201d}.")
            } else {
                "There was no room to keep a copy aside.".to_owned()
            };
            let message = format!(
                "The saved data could not be read, so the console started from the demo data. {error} {where_kept}"
            );
            (demo_state(now), Some(DataNotice { message }))
        }
    }
}
