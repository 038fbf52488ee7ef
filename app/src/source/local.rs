//! The in-browser data source: the domain engine in the page. Its state is saved in the browser's
//! storage after every change and shared with the other open tabs; reads run the domain's read on
//! it for the user chosen with the header's switcher, at the simulated clock's time.

use chrono::TimeDelta;
use domain::demo::{demo_state, demo_user, scale_state};
use domain::money::grouped;
use domain::{
    Actor, Applied, ClockReport, Command, Engine, Entry, RandomKey, Read, Role, State, Timestamp,
    User, UserId,
};
use leptos::prelude::*;

use super::{Change, DataNotice, Refusal, Source, real_now, url_param};
use crate::storage::{self, CLOCK_KEY, GENERATION_KEY, SET_ASIDE_PREFIX, STATE_KEY, USER_KEY};

/// `?demo=scale`: a partner with this many customers, the first holding this many subscriptions.
const SCALE: (usize, usize) = (10_000, 5_000);

/// The engine in the page and what it needs to save and share its state.
pub(super) struct Local {
    engine: Engine,
    /// The save generation this tab last wrote or read.
    generation: Option<String>,
    /// Whether changes are saved in browser storage (not for the scale demo, which is too big).
    keep: bool,
    /// Set when a save failed, so the notice can be taken back once one works again.
    unsaved: bool,
}

/// Random bytes from the browser's cryptographic source.
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    assert!(filled, "the browser gives random bytes");
    bytes
}

impl Local {
    /// Starts the in-browser source: the saved state, the scale demo or fresh demo data, the
    /// user signed in last, and the simulated clock where it was left.
    pub(super) fn start(source: Source) {
        let offset = storage::read(CLOCK_KEY)
            .and_then(|v| v.parse::<i64>().ok())
            .map_or(TimeDelta::zero(), TimeDelta::milliseconds);
        let now = real_now() + offset;
        let scale = url_param("demo").as_deref() == Some("scale");
        let (state, notice) = if scale {
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
        let user = storage::read(USER_KEY)
            .and_then(|v| UserId::parse(&v).ok())
            .and_then(|id| state.partner.user(id).cloned())
            .unwrap_or_else(|| demo_user(&state, Role::GlobalAdmin).clone());
        let mut local = Local {
            engine: Engine::new(state),
            generation: storage::read(GENERATION_KEY),
            keep: !scale,
            unsaved: false,
        };
        let mut notice = notice;
        if local.keep && storage::read(STATE_KEY).is_none() {
            notice = local.save().or(notice);
        }
        source.clock_offset.set(offset);
        source.user.set(Some(user));
        source.notice.set(notice);
        source.local.set_value(Some(local));
        if !scale {
            listen_to_other_tabs(source);
        }
    }

    /// The answer to `read` for `user` at `now`.
    pub(super) fn read<R: Read>(
        &self,
        read: &R,
        user: UserId,
        now: Timestamp,
    ) -> Result<R::Answer, Refusal> {
        Ok(read.answer(&self.engine, &Actor::User(user), now)?)
    }

    /// Applies a command as `user` (or as the publisher), after catching up with another tab's
    /// save and checking the subscription's version the user saw.
    pub(super) fn submit(
        &mut self,
        user: UserId,
        publisher: Option<(String, String)>,
        command: Command,
        version: Option<u64>,
        now: Timestamp,
    ) -> Result<Applied, Refusal> {
        self.catch_up_with_other_tabs();
        self.check_version(&command, version)?;
        let actor = match publisher {
            Some((id, _)) => Actor::Publisher(id),
            None => Actor::User(user),
        };
        let entry = Entry {
            at: now,
            actor,
            command,
            random: RandomKey::new(random_bytes()),
        };
        let result = domain::apply(&mut self.engine, &entry);
        self.save();
        Ok(result?)
    }

    /// Another tab saved since this one last looked (its storage event may not have arrived
    /// yet): take its state first, so a change is checked against what is really saved.
    fn catch_up_with_other_tabs(&mut self) {
        let stored = storage::read(GENERATION_KEY);
        if !self.keep || stored == self.generation {
            return;
        }
        if let Some(state) = storage::read(STATE_KEY).and_then(|t| State::load(&t).ok()) {
            self.engine = Engine::new(state);
        }
        self.generation = stored;
    }

    fn check_version(&self, command: &Command, version: Option<u64>) -> Result<(), Refusal> {
        let (Some(seen), Some(id)) = (version, command.subscription()) else {
            return Ok(());
        };
        match self.engine.subscription(id).map(|s| s.version) {
            Ok(v) if v != seen => Err(Refusal {
                message: "Someone changed this subscription since you opened it (in another tab or by another partner): its new values are shown; check them and try again.".into(),
                code: Some(412),
            }),
            _ => Ok(()),
        }
    }

    /// The partner's users, for the header's switcher.
    pub(super) fn users(&self) -> Vec<User> {
        self.engine.state().partner.users.clone()
    }

    /// Signs in as another demo user; the user, when there is one with that id.
    pub(super) fn sign_in_as(&self, id: UserId) -> Option<User> {
        let user = self.engine.state().partner.user(id).cloned()?;
        let _ = storage::write(USER_KEY, &id.to_string());
        Some(user)
    }

    /// Moves the clock to `now` (`offset` ahead of real time) and applies what falls due.
    pub(super) fn advance_clock(&mut self, offset: TimeDelta, now: Timestamp) -> ClockReport {
        let _ = storage::write(CLOCK_KEY, &offset.num_milliseconds().to_string());
        let report = self.engine.advance_clock(now);
        self.save();
        report
    }

    /// The soonest term end after `now` of an active or suspended subscription.
    pub(super) fn next_term_end(&self, now: Timestamp) -> Option<Timestamp> {
        self.engine.next_term_end(now)
    }

    /// Fresh demo data at `now`, signed in as the Global admin (the user, answered).
    pub(super) fn reset(&mut self, now: Timestamp) -> Option<User> {
        storage::remove(CLOCK_KEY);
        storage::remove(USER_KEY);
        let state = demo_state(now);
        let admin = demo_user(&state, Role::GlobalAdmin).clone();
        self.engine = Engine::new(state);
        self.keep = true;
        self.save();
        Some(admin)
    }

    /// The notice to show while the last save failed.
    pub(super) fn unsaved(&self) -> Option<DataNotice> {
        self.unsaved.then(|| DataNotice {
            message: format!(
                "{NOT_SAVED} (browser storage is full or turned off). Your changes are kept while this tab stays open; free some storage or keep the tab open."
            ),
        })
    }

    /// Saves the state in browser storage; the notice to show when that failed.
    fn save(&mut self) -> Option<DataNotice> {
        if !self.keep {
            return None;
        }
        match storage::write(STATE_KEY, &self.engine.state().save()) {
            Ok(()) => {
                let generation = u64::from_le_bytes(random_bytes()).to_string();
                let _ = storage::write(GENERATION_KEY, &generation);
                self.generation = Some(generation);
                self.unsaved = false;
                None
            }
            Err(_) => {
                self.unsaved = true;
                self.unsaved()
            }
        }
    }
}

/// Takes another tab's saved state as it is saved, and tells the pages.
fn listen_to_other_tabs(source: Source) {
    let handle = window_event_listener(leptos::ev::storage, move |event| {
        if event.key().as_deref() != Some(STATE_KEY) {
            return;
        }
        let Some(state) = event.new_value().and_then(|t| State::load(&t).ok()) else {
            return;
        };
        source.local.update_value(|l| {
            if let Some(l) = l {
                l.engine = Engine::new(state);
                l.generation = storage::read(GENERATION_KEY);
            }
        });
        source.last_change.set(Some(Change {
            position: 0,
            subscription: None,
            by: "another tab".into(),
        }));
        source.changed();
    });
    on_cleanup(move || handle.remove());
}

/// How the notice of a failed save starts.
pub(super) const NOT_SAVED: &str = "Changes could not be saved in this browser";

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
