//! The server data source's HTTP side (gloo-net): sign-in, the replica's snapshot and journal, and
//! commands. Every failure becomes a [`Refusal`] the page can show as it is.

use domain::{Applied, Command, Entry, State, Timestamp};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Deserialize;
use serde_json::{Value, json};

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

    async fn answer(response: Response) -> Result<Value, Refusal> {
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            return Ok(body);
        }
        let description = body["description"]
            .as_str()
            .map_or_else(|| format!("The server answered {status}."), str::to_owned);
        Err(Refusal {
            message: description,
            code: body["code"].as_u64().map(|c| c as u32),
            retry: status >= 500,
        })
    }

    /// Signs in: the token and the partner user's id.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<(String, String), Refusal> {
        let request = Request::post(&self.url("/v1/signin"))
            .json(&json!({ "email": email, "password": password }))
            .map_err(unreachable)?;
        let body = Self::answer(request.send().await.map_err(unreachable)?).await?;
        let token = body["token"].as_str().unwrap_or_default().to_owned();
        let user = body["user"]["id"].as_str().unwrap_or_default().to_owned();
        Ok((token, user))
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
        let body = Self::answer(request.send().await.map_err(unreachable)?).await?;
        let snapshot: Snapshot = serde_json::from_value(body).map_err(|e| Refusal {
            message: format!("The server's data could not be read: {e}."),
            code: None,
            retry: false,
        })?;
        Ok((snapshot.seq, snapshot.state, snapshot.now))
    }

    /// The journal entries after `after`, and the last position.
    pub async fn journal(&self, after: i64) -> Result<(Vec<(i64, Entry)>, i64), Refusal> {
        let request = self.authorized(Request::get(
            &self.url(&format!("/v1/console/journal?after={after}")),
        ));
        let body = Self::answer(request.send().await.map_err(unreachable)?).await?;
        let entries = body["entries"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| {
                let seq = item["seq"].as_i64()?;
                let entry = serde_json::from_value(item["entry"].clone()).ok()?;
                Some((seq, entry))
            })
            .collect();
        Ok((entries, body["last"].as_i64().unwrap_or(after)))
    }

    /// Sends a command; `version` is the subscription's version the user saw.
    pub async fn command(
        &self,
        command: &Command,
        version: Option<u64>,
        publisher: Option<&str>,
    ) -> Result<Applied, Refusal> {
        let request = self
            .authorized(Request::post(&self.url("/v1/console/commands")))
            .json(&json!({ "command": command, "subscriptionVersion": version, "publisher": publisher }))
            .map_err(unreachable)?;
        let body = Self::answer(request.send().await.map_err(unreachable)?).await?;
        serde_json::from_value(body["applied"].clone()).map_err(|e| Refusal {
            message: format!("The server's answer could not be read: {e}."),
            code: None,
            retry: false,
        })
    }
}
