//! The server data source's HTTP side (gloo-net): sign-in, the replica's snapshot and journal, and
//! commands. Every failure becomes a [`Refusal`] the page can show as it is.

use domain::{Applied, Command, Entry, State, Timestamp};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::console::Refusal;

/// Where the server is and who is signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The API's base URL; empty when the console is served by the server itself.
    pub base: String,
    /// The bearer token, once signed in.
    pub token: Option<String>,
}

fn unreachable(error: impl std::fmt::Display) -> Refusal {
    Refusal {
        message: format!(
            "The server could not be reached ({error}). Nothing was changed and what you typed is kept: check the connection and try again."
        ),
        code: None,
        retry: true,
    }
}

/// A request with a JSON body.
fn json_body(request: RequestBuilder, body: String) -> Result<Request, Refusal> {
    request
        .header("Content-Type", "application/json")
        .body(body)
        .map_err(unreachable)
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base.trim_end_matches('/'))
    }

    fn authorized(&self, request: RequestBuilder) -> RequestBuilder {
        match &self.token {
            Some(token) => request.header("Authorization", &format!("Bearer {token}")),
            None => request,
        }
    }

    /// The body of a 2xx answer read as `T`; any other answer as the refusal its error body
    /// describes.
    async fn answer<T: DeserializeOwned>(response: Response) -> Result<T, Refusal> {
        let status = response.status();
        let text = response.text().await.map_err(unreachable)?;
        if (200..300).contains(&status) {
            return serde_json::from_str(&text).map_err(|e| Refusal {
                message: format!("The server's answer could not be read: {e}."),
                code: None,
                retry: false,
            });
        }
        /// A refusal's body, as far as it can be read.
        #[derive(Deserialize)]
        struct Refused {
            code: Option<u32>,
            description: Option<String>,
        }
        let body = serde_json::from_str::<Refused>(&text).ok();
        Err(Refusal {
            message: body
                .as_ref()
                .and_then(|b| b.description.clone())
                .unwrap_or_else(|| format!("The server answered {status}.")),
            code: body.and_then(|b| b.code),
            retry: status >= 500,
        })
    }

    /// Signs in: the token and the partner user's id.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<(String, String), Refusal> {
        let body = serde_json::json!({ "email": email, "password": password }).to_string();
        let request = json_body(Request::post(&self.url("/v1/signin")), body)?;
        let body: SignedIn = Self::answer(request.send().await.map_err(unreachable)?).await?;
        Ok((body.token, body.user.map(|u| u.id).unwrap_or_default()))
    }

    /// The server's state and the journal position it reflects.
    pub async fn snapshot(&self) -> Result<(i64, State, Timestamp), Refusal> {
        let request = self.authorized(Request::get(&self.url("/v1/console/snapshot")));
        let snapshot: Snapshot = Self::answer(request.send().await.map_err(unreachable)?).await?;
        Ok((snapshot.seq, snapshot.state, snapshot.now))
    }

    /// The journal entries after `after`, and the last position.
    pub async fn journal(&self, after: i64) -> Result<(Vec<(i64, Entry)>, i64), Refusal> {
        let request = self.authorized(Request::get(
            &self.url(&format!("/v1/console/journal?after={after}")),
        ));
        let journal: Journal = Self::answer(request.send().await.map_err(unreachable)?).await?;
        Ok((
            journal
                .entries
                .into_iter()
                .map(|i| (i.seq, i.entry))
                .collect(),
            journal.last,
        ))
    }

    /// Sends a command; `version` is the subscription's version the user saw; `publisher` is the
    /// publisher and the activation code of its link, for the publisher's site.
    pub async fn command(
        &self,
        command: &Command,
        version: Option<u64>,
        publisher: Option<(&str, &str)>,
    ) -> Result<Applied, Refusal> {
        let body = serde_json::to_string(&Sent {
            command,
            subscription_version: version,
            publisher: publisher.map(|(id, _)| id),
            publisher_token: publisher.map(|(_, code)| code),
        })
        .expect("a command has only string keys");
        let request = json_body(
            self.authorized(Request::post(&self.url("/v1/console/commands"))),
            body,
        )?;
        let reply: Reply = Self::answer(request.send().await.map_err(unreachable)?).await?;
        Ok(reply.applied)
    }
}

/// The sign-in answer: the token and the signed-in user.
#[derive(Deserialize)]
struct SignedIn {
    token: String,
    user: Option<UserRef>,
}

/// A user as the sign-in answer names it: by id.
#[derive(Deserialize)]
struct UserRef {
    id: String,
}

/// The replica's starting point: the server's state, its time and journal position.
#[derive(Deserialize)]
struct Snapshot {
    seq: i64,
    now: Timestamp,
    state: State,
}

/// The journal entries after a position, and the last position.
#[derive(Deserialize)]
struct Journal {
    entries: Vec<Item>,
    last: i64,
}

/// One journal entry at its position.
#[derive(Deserialize)]
struct Item {
    seq: i64,
    entry: Entry,
}

/// What a command did, as the server answers it.
#[derive(Deserialize)]
struct Reply {
    applied: Applied,
}

/// A command as the console sends it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Sent<'a> {
    command: &'a Command,
    subscription_version: Option<u64>,
    publisher: Option<&'a str>,
    publisher_token: Option<&'a str>,
}
