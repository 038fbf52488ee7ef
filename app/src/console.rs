//! The console's data source in in-browser mode: the domain engine running in the page, its state
//! saved in the browser after every change and shared with the other open tabs, a simulated clock,
//! and the signed-in demo user. Pages reach it through [`use_console`]; they never see storage.

use chrono::{TimeDelta, TimeZone, Utc};
use domain::demo::{demo_state, demo_user};
use domain::{
    Actor, ClockReport, CommandError, Engine, IdSource, Role, SeededIds, State, Timestamp, User,
    UserId,
};
use leptos::prelude::*;

use crate::storage::{self, CLOCK_KEY, SET_ASIDE_PREFIX, STATE_KEY, USER_KEY};

/// Something the console must tell the user about its data (not about one action).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataNotice {
    /// What happened and what it means for the user's work.
    pub message: String,
}

/// The in-browser data source. Cheap to copy; every page gets it from context.
#[derive(Clone, Copy)]
pub struct Console {
    engine: StoredValue<Engine>,
    ids: StoredValue<SeededIds>,
    /// Grows with every change, so views that read the engine re-render.
    revision: RwSignal<u64>,
    /// The simulated clock's lead over real time.
    clock_offset: RwSignal<TimeDelta>,
    /// Real time, refreshed every 30 seconds so time-left figures stay current.
    real_now: RwSignal<Timestamp>,
    user: RwSignal<UserId>,
    notice: RwSignal<Option<DataNotice>>,
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

impl Console {
    /// Starts the console: loads the saved state (or, when there is none or it cannot be read,
    /// the demo data), the clock and the user, and listens for changes made in other tabs.
    pub fn start() -> Console {
        let offset = storage::read(CLOCK_KEY)
            .and_then(|v| v.parse::<i64>().ok())
            .map_or(TimeDelta::zero(), TimeDelta::milliseconds);
        let now = real_now() + offset;
        let (state, notice) = load_or_demo(now);
        let default_user = demo_user(&state, Role::GlobalAdmin).id;
        let user = storage::read(USER_KEY)
            .and_then(|v| domain::UserId::parse(&v).ok())
            .filter(|id| state.partner.user(*id).is_some())
            .unwrap_or(default_user);
        let console = Console {
            engine: StoredValue::new(Engine::new(state)),
            ids: StoredValue::new(SeededIds::new(random_seed())),
            revision: RwSignal::new(0),
            clock_offset: RwSignal::new(offset),
            real_now: RwSignal::new(real_now()),
            user: RwSignal::new(user),
            notice: RwSignal::new(notice),
        };
        if storage::read(STATE_KEY).is_none() {
            console.save();
        }
        console.listen_to_other_tabs();
        let real = console.real_now;
        let _ = set_interval_with_handle(
            move || real.set(real_now()),
            std::time::Duration::from_secs(30),
        );
        console
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
    pub fn user(&self) -> User {
        let id = self.user.get();
        self.read(|e| e.state().partner.user(id).cloned())
            .expect("the signed-in user exists")
    }

    /// Signs in as another demo user.
    pub fn sign_in(&self, id: UserId) {
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

    /// Runs one command as the signed-in user at the console's time, then saves. A refused command
    /// still saves: its denial is in the activity log.
    pub fn run<T>(
        &self,
        command: impl FnOnce(
            &mut Engine,
            &Actor,
            Timestamp,
            &mut dyn IdSource,
        ) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let actor = Actor::User(self.user.get_untracked());
        self.run_as(&actor, command)
    }

    /// Runs one command as another actor (the simulated publisher's site acts as its publisher).
    pub fn run_as<T>(
        &self,
        actor: &Actor,
        command: impl FnOnce(
            &mut Engine,
            &Actor,
            Timestamp,
            &mut dyn IdSource,
        ) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let now = self.real_now.get_untracked() + self.clock_offset.get_untracked();
        let mut ids = self.ids.get_value();
        let result = self
            .engine
            .try_update_value(|engine| command(engine, actor, now, &mut ids))
            .expect("the engine lives as long as the console");
        self.ids.set_value(ids);
        self.changed();
        result
    }

    /// Moves the simulated clock on by `by` and applies what falls due.
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
        self.changed();
    }

    fn changed(&self) {
        self.save();
        self.revision.update(|r| *r += 1);
    }

    fn save(&self) {
        let text = self.engine.with_value(|e| e.state().save());
        match storage::write(STATE_KEY, &text) {
            Ok(()) => {
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
