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
}

/// The open database.
pub struct Store {
    conn: Connection,
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
    /// Opens (creating when needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, state TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS users (email TEXT PRIMARY KEY, user_id TEXT NOT NULL, password_hash TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, user_id TEXT NOT NULL, expires_at TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, response TEXT NOT NULL);",
        )?;
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

    /// Stores a sign-in token.
    pub fn add_token(
        &self,
        token: &str,
        user: UserId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO tokens (token, user_id, expires_at) VALUES (?1, ?2, ?3)",
            params![token, user.to_string(), expires_at.to_rfc3339()],
        )?;
        Ok(())
    }

    /// The user and expiry of a token.
    pub fn token(&self, token: &str) -> Result<Option<(UserId, Timestamp)>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT user_id, expires_at FROM tokens WHERE token = ?1",
                [token],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(id, at)| Some((UserId::parse(&id).ok()?, at.parse().ok()?))))
    }

    /// The stored response of a checkout by idempotency key.
    pub fn idempotent(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT response FROM idempotency WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Appends a checkout's journal entry and remembers its response under the key, atomically.
    pub fn append_idempotent(
        &mut self,
        entry: &Entry,
        key: &str,
        response: &str,
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let text = serde_json::to_string(entry).expect("entries serialize");
        tx.execute("INSERT INTO journal (entry) VALUES (?1)", [text])?;
        let seq = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO idempotency (key, response) VALUES (?1, ?2)",
            params![key, response],
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
