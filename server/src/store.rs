//! The SQLite database: one file in WAL mode with full synchronous commits, holding the journal of
//! accepted changes, periodic snapshots of the state, sign-in users and tokens, and the responses
//! of checkouts by idempotency key. A change is durable before the server answers.

use std::path::Path;

use domain::{State, Timestamp, UserId};
use rusqlite::{Connection, OptionalExtension, params};

use domain::Entry;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored document could not be read.
    #[error("stored data could not be read: {0}")]
    Decode(String),
    /// The database file could not be made or given its permissions.
    #[error("the database file: {0}")]
    File(String),
}

/// The open database.
pub struct Store {
    conn: Connection,
}

/// An idempotency key as it is kept: its user's own, for one customer's cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutKey {
    /// Who sent it.
    pub user: UserId,
    /// The key as sent.
    pub key: String,
    /// The customer's id.
    pub customer: String,
    /// The cart's id.
    pub cart: String,
}

/// A checkout kept by idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptCheckout {
    /// The customer's id it was for.
    pub customer: String,
    /// The cart's id it was for.
    pub cart: String,
    /// Its response, answered again to a retry.
    pub response: String,
}

/// The SHA-256 of a sign-in token, as hex: what the database keeps of it.
fn token_hash(token: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `path` with `suffix` added to its file name (SQLite's `-wal` and `-shm` files).
fn wal_file(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// Creates the file when missing, and makes it readable and writable by its owner only.
fn owner_only(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)
            .and_then(|_| std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)))
            .map_err(|e| StoreError::File(format!("{}: {e}", path.display())))?;
    }
    Ok(())
}

/// A user who can sign in.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The partner user.
    pub user: UserId,
    /// The argon2 hash of the password.
    pub password_hash: String,
}

impl Store {
    /// Opens (creating when needed) the database at `path`, readable and writable by its owner
    /// only (SQLite gives its `-wal` and `-shm` files the database file's permissions).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        owner_only(path)?;
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Sign-ins are kept as the SHA-256 of their token: a copy of the database signs nobody
        // in. Tables of earlier versions that kept tokens as they were, and idempotency keys
        // without their user and cart, are dropped.
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, state TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS users (email TEXT PRIMARY KEY, user_id TEXT NOT NULL, password_hash TEXT NOT NULL);
             DROP TABLE IF EXISTS tokens;
             CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, expires_at INTEGER NOT NULL);
             DROP TABLE IF EXISTS idempotency;
             CREATE TABLE IF NOT EXISTS checkouts (user_id TEXT NOT NULL, key TEXT NOT NULL, customer TEXT NOT NULL, cart TEXT NOT NULL, response TEXT NOT NULL, PRIMARY KEY (user_id, key));",
        )?;
        for file in [
            path.to_owned(),
            wal_file(path, "-wal"),
            wal_file(path, "-shm"),
        ] {
            if file.exists() {
                owner_only(&file)?;
            }
        }
        Ok(Store { conn })
    }

    /// The last snapshot and its journal position, if any.
    pub fn snapshot(&self) -> Result<Option<(i64, State)>, StoreError> {
        let row: Option<(i64, String)> = self
            .conn
            .query_row("SELECT seq, state FROM snapshot WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        row.map(|(seq, text)| {
            State::load(&text)
                .map(|s| (seq, s))
                .map_err(|e| StoreError::Decode(e.to_string()))
        })
        .transpose()
    }

    /// Replaces the snapshot with `state` as of journal position `seq`.
    pub fn save_snapshot(&self, seq: i64, state: &State) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO snapshot (id, seq, state) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, state = excluded.state",
            params![seq, state.save()],
        )?;
        Ok(())
    }

    /// The journal entries after position `after`, in order.
    pub fn entries_after(&self, after: i64) -> Result<Vec<(i64, Entry)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, entry FROM journal WHERE seq > ?1 ORDER BY seq")?;
        let rows = stmt.query_map([after], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        rows.map(|row| {
            let (seq, text) = row?;
            serde_json::from_str(&text)
                .map(|e| (seq, e))
                .map_err(|e| StoreError::Decode(format!("journal entry {seq}: {e}")))
        })
        .collect()
    }

    /// Appends an entry; committed (and synced) when this returns.
    pub fn append(&self, entry: &Entry) -> Result<i64, StoreError> {
        let text = serde_json::to_string(entry).expect("entries serialize");
        self.conn
            .execute("INSERT INTO journal (entry) VALUES (?1)", [text])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Adds a user who can sign in.
    pub fn add_user(
        &self,
        email: &str,
        user: UserId,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO users (email, user_id, password_hash) VALUES (?1, ?2, ?3)",
            params![email.to_lowercase(), user.to_string(), password_hash],
        )?;
        Ok(())
    }

    /// Whether any user can sign in yet.
    pub fn has_users(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?)
    }

    /// The credential of an e-mail address.
    pub fn credential(&self, email: &str) -> Result<Option<Credential>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT user_id, password_hash FROM users WHERE email = ?1",
                [email.to_lowercase()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(id, hash)| {
            UserId::parse(&id).ok().map(|user| Credential {
                user,
                password_hash: hash,
            })
        }))
    }

    /// Stores a sign-in: the token's hash, its user and when it expires.
    pub fn add_session(
        &self,
        token: &str,
        user: UserId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
            params![token_hash(token), user.to_string(), expires_at.timestamp()],
        )?;
        Ok(())
    }

    /// The user and expiry of a sign-in token.
    pub fn session(&self, token: &str) -> Result<Option<(UserId, Timestamp)>, StoreError> {
        let row: Option<(String, i64)> = self
            .conn
            .query_row(
                "SELECT user_id, expires_at FROM sessions WHERE token_hash = ?1",
                [token_hash(token)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(id, at)| {
            Some((UserId::parse(&id).ok()?, Timestamp::from_timestamp(at, 0)?))
        }))
    }

    /// Ends a sign-in: its token signs nobody in any more.
    pub fn end_session(&self, token: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM sessions WHERE token_hash = ?1",
            [token_hash(token)],
        )?;
        Ok(())
    }

    /// Removes the sign-ins expired by `now`; how many there were.
    pub fn purge_sessions(&self, now: Timestamp) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "DELETE FROM sessions WHERE expires_at <= ?1",
            [now.timestamp()],
        )?)
    }

    /// How many sign-ins are stored.
    pub fn session_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM sessions", [], |r| r.get(0))?)
    }

    /// A checkout `user` made with an idempotency key: the customer and cart it was for, and its
    /// response.
    pub fn checkout_by_key(
        &self,
        user: UserId,
        key: &str,
    ) -> Result<Option<KeptCheckout>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT customer, cart, response FROM checkouts WHERE user_id = ?1 AND key = ?2",
                params![user.to_string(), key],
                |r| {
                    Ok(KeptCheckout {
                        customer: r.get(0)?,
                        cart: r.get(1)?,
                        response: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Appends a checkout's journal entry and keeps its response under the user's key, with the
    /// customer and cart it was for, atomically.
    pub fn append_checkout(
        &mut self,
        entry: &Entry,
        key: &CheckoutKey,
        response: &str,
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let text = serde_json::to_string(entry).expect("entries serialize");
        tx.execute("INSERT INTO journal (entry) VALUES (?1)", [text])?;
        let seq = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO checkouts (user_id, key, customer, cart, response) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key.user.to_string(), key.key, key.customer, key.cart, response],
        )?;
        tx.commit()?;
        Ok(seq)
    }

    /// SQLite's own integrity check: `ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}
