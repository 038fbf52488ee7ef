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

    /// The body of a 2xx answer read as `T` (straight from the text, so each type has one
    /// deserializer in the build); any other answer as the refusal its error body describes.
    async fn answer<T: DeserializeOwned>(response: Response) -> Result<T, Refusal> {
        #[derive(Deserialize)]
        struct ErrorBody {
            code: Option<u32>,
            description: Option<String>,
        }
        let status = response.status();
        let text = response.text().await.map_err(unreachable)?;
        if (200..300).contains(&status) {
            return serde_json::from_str(&text).map_err(|e| Refusal {
                message: format!("The server's answer could not be read: {e}."),
                code: None,
                retry: false,
            });
        }
        let body: Option<ErrorBody> = serde_json::from_str(&text).ok();
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
        // Bodies are typed structs, written straight to text (no JSON value tree in the build).
        #[derive(Serialize)]
        struct SignIn<'a> {
            email: &'a str,
            password: &'a str,
        }
        let request = Request::post(&self.url("/v1/signin"))
            .json(&SignIn { email, password })
            .map_err(unreachable)?;
        #[derive(Deserialize)]
        struct SignedIn {
            token: String,
            user: Option<SignedInUser>,
        }
        #[derive(Deserialize)]
        struct SignedInUser {
            id: String,
        }
        let body: SignedIn = Self::answer(request.send().await.map_err(unreachable)?).await?;
        Ok((body.token, body.user.map(|u| u.id).unwrap_or_default()))
    }

    /// The server's state and the journal position it reflects.
    pub async fn snapshot(&self) -> Result<(i64, State, Timestamp), Refusal> {
        #[derive(Deserialize)]
        struct Snapshot {
            seq: i64,
            now: Timestamp,
            state: State,
        }
        let request = self.authorized(Request::get(&self.url("/v1/console/snapshot")));
        let snapshot: Snapshot = Self::answer(request.send().await.map_err(unreachable)?).await?;
        Ok((snapshot.seq, snapshot.state, snapshot.now))
    }

    /// The journal entries after `after`, and the last position.
    pub async fn journal(&self, after: i64) -> Result<(Vec<(i64, Entry)>, i64), Refusal> {
        let request = self.authorized(Request::get(
            &self.url(&format!("/v1/console/journal?after={after}")),
        ));
        #[derive(Deserialize)]
        struct Journal {
            entries: Vec<Item>,
            last: i64,
        }
        #[derive(Deserialize)]
        struct Item {
            seq: i64,
            entry: Entry,
        }
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
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'a> {
            command: &'a Command,
            subscription_version: Option<u64>,
            publisher: Option<&'a str>,
            publisher_token: Option<&'a str>,
        }
        let body = Body {
            command,
            subscription_version: version,
            publisher: publisher.map(|(id, _)| id),
            publisher_token: publisher.map(|(_, code)| code),
        };
        let request = self
            .authorized(Request::post(&self.url("/v1/console/commands")))
            .json(&body)
            .map_err(unreachable)?;
        #[derive(Deserialize)]
        struct Reply {
            applied: Applied,
        }
        let reply: Reply = Self::answer(request.send().await.map_err(unreachable)?).await?;
        Ok(reply.applied)
    }
}
