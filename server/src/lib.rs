//! Marketplace Console's shared mode: a Partner-Center-shaped REST API over the domain engine.
//!
//! Every rule is the `domain` crate's; the server parses HTTP, checks sign-in, journals each
//! accepted change durably in SQLite before answering, and shapes the answers as Partner Center's
//! REST API does.

mod api;
mod guard;
mod limits;
mod rest;
mod serve;
mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString};
use domain::{Engine, Entry, RandomKey, SeededIds, State, Timestamp};

pub use guard::guarded;
pub use limits::Limits;
pub use serve::serve;
pub use store::{Store, StoreError};

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// The SQLite database file.
    pub database: PathBuf,
    /// Where to listen.
    pub address: SocketAddr,
    /// The console's origin allowed by CORS (`http://127.0.0.1:8080`), if any.
    pub app_origin: Option<String>,
    /// The built console to serve at `/` (trunk's `dist/`), if any.
    pub dist: Option<PathBuf>,
    /// The password of the demo users seeded on first start; a random one when `None`.
    pub demo_password: Option<String>,
    /// The data a new database starts with.
    pub demo: Demo,
    /// Bounds on connections and on callers who are not signed in.
    pub limits: Limits,
}

/// The data a new database starts with (an existing one keeps its own).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Demo {
    /// The demo partner: 25 customers, about 80 subscriptions.
    #[default]
    Standard,
    /// A partner at scale: 10,000 customers and 100,000 subscriptions, one customer holding
    /// 5,000 of them (for the scale figures).
    Scale,
}

/// Snapshot the state after this many journal entries.
const SNAPSHOT_EVERY: i64 = 500;

/// The engine and its storage, behind one lock: changes apply one at a time.
pub(crate) struct Shared {
    /// The demo users' password when this start seeded them with a random one.
    pub seeded_password: Option<String>,
    pub engine: Engine,
    pub store: Store,
    pub last_seq: i64,
    pub last_snapshot: i64,
    /// Change notices, one per journaled change, for the consoles listening.
    pub notices: tokio::sync::broadcast::Sender<Notice>,
    /// What the database holds: the state of the last snapshot and the entries journaled after
    /// it. The engine is rebuilt from these when a write fails, without reading the database back.
    saved: State,
    since_saved: Vec<Entry>,
}

/// The server's state, shared by every request.
#[derive(Clone)]
pub(crate) struct AppState {
    pub shared: Arc<Mutex<Shared>>,
    /// Tickets that open the change notices once: (user, until when).
    pub tickets: Arc<Mutex<std::collections::HashMap<String, (domain::UserId, Timestamp)>>>,
    /// The limits for callers who are not signed in.
    pub gate: Arc<limits::Gate>,
}

/// A change journaled, as the consoles are told of it: the journal position, the subscription it
/// changed (if one) and who made it. It carries no value: a console that cares reads again,
/// getting what its user may see.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Notice {
    pub position: i64,
    pub subscription: Option<domain::SubscriptionId>,
    pub by: String,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened or read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The address could not be bound.
    #[error("could not listen on the address: {0}")]
    Listen(#[from] std::io::Error),
}

/// Now, from the server's clock (the domain never reads one).
pub(crate) fn now() -> Timestamp {
    chrono::Utc::now()
}

/// Random bytes as lower-case hex, from the operating system.
pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system gives random bytes");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A journal entry's random bits, from the operating system.
pub(crate) fn random_key() -> RandomKey {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    RandomKey::new(bytes)
}

/// Opens the database and rebuilds the engine: the last snapshot (or, on first start, fresh demo
/// data and demo users) with every later journal entry replayed on it.
pub(crate) fn load(config: &Config) -> Result<Shared, StoreError> {
    let store = Store::open(&config.database)?;
    let (snapshot_seq, state) = match store.snapshot()? {
        Some(found) => found,
        None => {
            let state = match config.demo {
                // Identifiers and activation codes of this database's own, never the published
                // demo seed's.
                Demo::Standard => {
                    domain::demo::demo_state_from(SeededIds::from_key(random_key()), now())
                }
                Demo::Scale => domain::demo::partner_at_scale(
                    SeededIds::from_key(random_key()),
                    now(),
                    10_000,
                    95_000,
                    5_000,
                ),
            };
            store.save_snapshot(0, &state)?;
            (0, state)
        }
    };
    let mut seeded_password = None;
    if !store.has_users()? {
        let password = match &config.demo_password {
            Some(p) => p.clone(),
            None => {
                let random = random_hex(12);
                seeded_password = Some(random.clone());
                random
            }
        };
        let argon = Argon2::default();
        for user in &state.partner.users {
            let salt = SaltString::encode_b64(random_hex(16).as_bytes()).expect("a valid salt");
            let hash = argon
                .hash_password(password.as_bytes(), &salt)
                .expect("hashing works")
                .to_string();
            store.add_user(&user.email, user.id, &hash)?;
        }
    }
    let saved = state.clone();
    let mut engine = Engine::new(state);
    let mut last_seq = snapshot_seq;
    let mut since_saved = Vec::new();
    for (seq, entry) in store.entries_after(snapshot_seq)? {
        // Refused commands are journaled too (their denial is in the activity log).
        let _ = domain::apply(&mut engine, &entry);
        last_seq = seq;
        since_saved.push(entry);
    }
    Ok(Shared {
        seeded_password,
        engine,
        store,
        last_seq,
        last_snapshot: snapshot_seq,
        notices: tokio::sync::broadcast::channel(256).0,
        saved,
        since_saved,
    })
}

/// A running server.
pub struct Running {
    /// Where it listens.
    pub address: SocketAddr,
    /// The demo users' password, when this start created them with a random one.
    pub seeded_password: Option<String>,
    /// Stops it.
    pub stop: tokio::sync::oneshot::Sender<()>,
    /// Ends when it has stopped.
    pub done: tokio::task::JoinHandle<()>,
}

/// Starts the server on the configured address (port 0 picks a free one).
pub async fn start(config: Config) -> Result<Running, StartError> {
    let shared = load(&config)?;
    let seeded_password = shared.seeded_password.clone();
    let state = AppState {
        shared: Arc::new(Mutex::new(shared)),
        tickets: Arc::default(),
        gate: Arc::new(limits::Gate::new(&config.limits)),
    };
    let router = guard::guarded(api::router(state.clone(), &config));
    // Time-based events (renewals, expiry, invoice runs) are applied as they fall due, as
    // journal entries of the clock, so every replica replays them too.
    let clock = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            clock.gate.forget_old();
            let mut shared = clock.shared();
            let at = now();
            let _ = shared.store.purge_sessions(at);
            if at >= shared.engine.next_event() {
                let entry = Entry {
                    at,
                    actor: domain::Actor::System,
                    command: domain::Command::AdvanceClock,
                    random: random_key(),
                };
                let _ = shared.execute(entry, None);
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(config.address).await?;
    let address = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let done = tokio::spawn(serve::serve(listener, router, config.limits, stopped));
    Ok(Running {
        address,
        seeded_password,
        stop,
        done,
    })
}

impl AppState {
    /// The engine and its storage. A request that panicked while holding them may have left the
    /// engine half-changed: it is rebuilt from what the database holds before anyone reads it.
    pub(crate) fn shared(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|poisoned| {
            let mut shared = poisoned.into_inner();
            shared.rebuild();
            self.shared.clear_poison();
            shared
        })
    }
}

/// An idempotency key and how to write the response it will answer retries with.
pub(crate) type Idempotency<'a> = (
    &'a store::CheckoutKey,
    &'a dyn Fn(&domain::Applied) -> String,
);

impl Shared {
    /// Applies an entry and journals it durably; when the journal write fails the engine is
    /// rebuilt from what the database holds, so memory never holds a change the database lacks
    /// (even when the database cannot be read either).
    pub(crate) fn execute(
        &mut self,
        entry: Entry,
        idempotency: Option<Idempotency<'_>>,
    ) -> Result<Result<domain::Applied, domain::CommandError>, StoreError> {
        let outcome = domain::apply(&mut self.engine, &entry);
        let written = match (&outcome, idempotency) {
            (Ok(ok), Some((key, respond))) => self.store.append_checkout(&entry, key, &respond(ok)),
            _ => self.store.append(&entry),
        };
        match written {
            Ok(seq) => {
                self.last_seq = seq;
                // Nobody listening is no error.
                let _ = self.notices.send(self.notice(&entry));
                self.since_saved.push(entry);
                if seq - self.last_snapshot >= SNAPSHOT_EVERY
                    && self.store.save_snapshot(seq, self.engine.state()).is_ok()
                {
                    self.last_snapshot = seq;
                    self.saved = self.engine.state().clone();
                    self.since_saved.clear();
                }
                Ok(outcome)
            }
            Err(error) => {
                self.rebuild();
                Err(error)
            }
        }
    }

    /// The notice of a change just journaled.
    fn notice(&self, entry: &Entry) -> Notice {
        let by = match &entry.actor {
            domain::Actor::User(id) => self
                .engine
                .state()
                .partner
                .user(*id)
                .map_or_else(|| "A partner user".to_owned(), |u| u.name.clone()),
            domain::Actor::Publisher(id) => self
                .engine
                .state()
                .catalog
                .offers
                .iter()
                .find(|o| &o.publisher_id == id)
                .map_or_else(|| id.clone(), |o| o.publisher_name.clone()),
            domain::Actor::System => "The clock".to_owned(),
        };
        Notice {
            position: self.last_seq,
            subscription: entry.command.subscription(),
            by,
        }
    }

    fn rebuild(&mut self) {
        let mut engine = Engine::new(self.saved.clone());
        for entry in &self.since_saved {
            let _ = domain::apply(&mut engine, entry);
        }
        self.engine = engine;
    }
}
