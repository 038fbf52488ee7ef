//! The server data source (gloo-net): sign-in, the console's reads and commands over HTTP, and the
//! server's change notices (Server-Sent Events). Every failure becomes a [`Refusal`] the page can
//! show as it is.

use domain::{Applied, Command, MeRead, Read};
use gloo_net::http::{Request, RequestBuilder};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::origins::{AllowedServers, NotAllowed};
use super::{Change, Connection, Refusal, Source, Status, url_param};
use crate::storage::{self, SOURCE_KEY, TOKEN_KEY};

/// Where the server is and who is signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Remote {
    /// The API's base URL; empty when the console is served by the server itself.
    base: String,
    /// The bearer token, once signed in.
    token: Option<String>,
}

/// The data source the console starts with, and the notice when a server it was given is not
/// one it may use.
#[derive(Default)]
pub(super) struct Chosen {
    /// `None` is in-browser; `Some(base)` a server at `base` ("" = this page's origin).
    pub(super) server: Option<String>,
    /// The server given by the address or kept from before that was refused.
    pub(super) refused: Option<NotAllowed>,
}

/// The servers this console may use: its page's own origin and the API origins in the page's
/// `<meta name="mc-api-origins">` (written at build or deployment time by
/// `scripts/post-build.mjs`; without one, only the page's own origin).
pub(super) fn allowed_servers() -> AllowedServers {
    let window = web_sys::window();
    let own = window
        .as_ref()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let listed = window
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(r#"meta[name="mc-api-origins"]"#)
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_default();
    AllowedServers::new(&own, &listed)
}

/// The server chosen by the URL (`?source=server&api=…`, `?source=browser`) or, failing that, in
/// settings, as far as `allowed` lets the console use it. A refused `api=` is neither used nor
/// kept: the console starts as it would without it. A kept server that is no longer allowed is
/// forgotten.
pub(super) fn chosen_server(allowed: &AllowedServers) -> Chosen {
    let kept = || {
        let base = storage::read(SOURCE_KEY)
            .and_then(|v| v.strip_prefix("server").map(|b| b.trim().to_owned()))?;
        Some(
            allowed
                .base_for(&base)
                .inspect_err(|_| storage::remove(SOURCE_KEY)),
        )
    };
    let from_kept = || match kept() {
        None => Chosen::default(),
        Some(Ok(base)) => Chosen {
            server: Some(base),
            refused: None,
        },
        Some(Err(refused)) => Chosen {
            server: None,
            refused: Some(refused),
        },
    };
    match url_param("source").as_deref() {
        Some("server") => match allowed.base_for(&url_param("api").unwrap_or_default()) {
            Ok(base) => {
                let _ = storage::write(SOURCE_KEY, &format!("server {base}"));
                Chosen {
                    server: Some(base),
                    refused: None,
                }
            }
            Err(refused) => Chosen {
                refused: Some(refused),
                ..from_kept()
            },
        },
        Some("browser") => {
            storage::remove(SOURCE_KEY);
            Chosen::default()
        }
        _ => from_kept(),
    }
}

/// Keeps the data source chosen in Settings: the base URL of a server the console may use (as
/// [`AllowedServers::base_for`] answered it), or in-browser (`None`).
pub(super) fn choose_server(server: Option<&str>) {
    match server {
        Some(base) => {
            let _ = storage::write(SOURCE_KEY, &format!("server {base}"));
        }
        None => storage::remove(SOURCE_KEY),
    }
}

/// A request that got no answer, in words: the browser's own error ("TypeError: Failed to fetch")
/// tells a partner nothing.
fn unreachable(_: gloo_net::Error) -> Refusal {
    Refusal {
        message: "The server could not be reached. Nothing was changed and what you typed is kept: check the connection and try again.".to_owned(),
        code: None,
    }
}

/// A read's answer as the server sends it, with the journal position it reflects.
#[derive(Deserialize)]
struct Answered<T> {
    answer: T,
}

/// A sign-in as the console sends it.
#[derive(Serialize)]
struct SignIn<'a> {
    email: &'a str,
    password: &'a str,
}

/// The sign-in answer: the token.
#[derive(Deserialize)]
struct SignedIn {
    token: String,
}

/// What a command did, as the server answers it.
#[derive(Deserialize)]
struct Reply {
    applied: Applied,
}

/// A ticket that opens the change notices' stream once (an `EventSource` cannot send the
/// `Authorization` header).
#[derive(Deserialize)]
struct Ticket {
    ticket: String,
}

/// A command as the console sends it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Sent<'a> {
    command: &'a Command,
    subscription_version: Option<u64>,
}

/// A step of the publisher's site as it is sent: no partner sign-in, the link's code the proof.
#[derive(Serialize)]
struct PublisherStep<'a> {
    publisher: &'a str,
    code: &'a str,
    command: &'a Command,
}

/// Where the token for the server at `base` is kept: each server's own, so that no server is sent
/// another's token ("" is this page's origin).
fn token_key(base: &str) -> String {
    match base {
        "" => TOKEN_KEY.to_owned(),
        base => format!("{TOKEN_KEY} {base}"),
    }
}

/// How long to wait before opening the change notices again after they dropped.
const RECONNECT_MS: u32 = 3_000;

impl Remote {
    /// Starts the server source at `base`: signed in with the kept token, or asking to sign in.
    pub(super) fn start(source: Source, base: String) {
        let token = storage::read(&token_key(&base));
        let signed_in = token.is_some();
        source.remote.set_value(Some(Remote { base, token }));
        if signed_in {
            Remote::begin(source);
        } else {
            source.status.set(Status::SignedOut);
        }
    }

    /// Finds out who is signed in, then opens the change notices.
    pub(super) fn begin(source: Source) {
        source.status.set(Status::Loading);
        spawn_local(async move {
            match source.read(MeRead {}).await {
                Ok(user) => {
                    source.user.set(Some(user));
                    source.status.set(Status::Ready);
                    source.changed();
                    listen(source);
                }
                Err(refusal) if refusal.code == Some(401) => source.sign_out(),
                Err(refusal) => source.status.set(Status::Failed(refusal.message)),
            }
        });
    }

    /// The server's address ("" when it is this page's origin).
    pub(super) fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base.trim_end_matches('/'))
    }

    fn authorized(&self, request: RequestBuilder) -> RequestBuilder {
        match &self.token {
            Some(token) => request.header("Authorization", &format!("Bearer {token}")),
            None => request,
        }
    }

    /// Posts `body` (JSON, if any) to `path`: the text of a 2xx answer, or the refusal the error
    /// body describes. One body for every request: the request's future is compiled once, not
    /// once per type of read.
    async fn post(&self, path: &str, body: Option<String>) -> Result<String, Refusal> {
        let request = self.authorized(Request::post(&self.url(path)));
        let request = match body {
            Some(body) => request
                .header("Content-Type", "application/json")
                .body(body),
            None => request.build(),
        }
        .map_err(unreachable)?;
        let response = request.send().await.map_err(unreachable)?;
        let status = response.status();
        let text = response.text().await.map_err(unreachable)?;
        if (200..300).contains(&status) {
            return Ok(text);
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
        })
    }

    /// Posts `body` as JSON to `path` and reads the answer as `T`.
    async fn exchange<T: DeserializeOwned>(
        &self,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<T, Refusal> {
        let body = body.map(|b| serde_json::to_string(b).expect("requests are JSON"));
        let text = self.post(path, body).await?;
        serde_json::from_str(&text).map_err(|e| Refusal {
            message: format!("The server's answer could not be read: {e}."),
            code: None,
        })
    }

    /// Signs in: the same server with the new token, which is kept for the next visit.
    pub(super) async fn sign_in(&self, email: &str, password: &str) -> Result<Remote, Refusal> {
        let signed_in: SignedIn = self
            .exchange("/v1/signin", Some(&SignIn { email, password }))
            .await?;
        let _ = storage::write(&token_key(&self.base), &signed_in.token);
        Ok(Remote {
            base: self.base.clone(),
            token: Some(signed_in.token),
        })
    }

    /// The same server, signed out: the kept token is forgotten, and the server is asked to end
    /// it (should it not be reached, the token ends when it expires).
    pub(super) fn signed_out(&self) -> Remote {
        storage::remove(&token_key(&self.base));
        if self.token.is_some() {
            let signing_out = self.clone();
            spawn_local(async move {
                let _ = signing_out.post("/v1/signout", None).await;
            });
        }
        self.anonymous()
    }

    /// The server's answer to a read, for the signed-in user (a public read, for anyone).
    pub(super) async fn read<R: Read>(&self, read: &R) -> Result<R::Answer, Refusal> {
        let answered: Answered<R::Answer> = if R::PUBLIC {
            let path = format!("/saas/console/reads/{}", R::NAME);
            self.anonymous().exchange(&path, Some(read)).await?
        } else {
            let path = format!("/v1/console/reads/{}", R::NAME);
            self.exchange(&path, Some(read)).await?
        };
        Ok(answered.answer)
    }

    /// The same server without the partner's sign-in, for what the publisher's site sends.
    fn anonymous(&self) -> Remote {
        Remote {
            base: self.base.clone(),
            token: None,
        }
    }

    /// Sends a command; `version` is the subscription's version the user saw; `publisher` is the
    /// publisher and the activation code of its link, for the publisher's site.
    pub(super) async fn command(
        &self,
        command: &Command,
        version: Option<u64>,
        publisher: Option<(String, String)>,
    ) -> Result<Applied, Refusal> {
        let reply: Reply = match &publisher {
            Some((publisher, code)) => {
                let step = PublisherStep {
                    publisher,
                    code,
                    command,
                };
                self.anonymous()
                    .exchange("/saas/console/steps", Some(&step))
                    .await?
            }
            None => {
                let sent = Sent {
                    command,
                    subscription_version: version,
                };
                self.exchange("/v1/console/commands", Some(&sent)).await?
            }
        };
        Ok(reply.applied)
    }

    /// A ticket for the change notices' stream.
    async fn ticket(&self) -> Result<String, Refusal> {
        let ticket: Ticket = self.exchange("/v1/console/events", None::<&()>).await?;
        Ok(ticket.ticket)
    }
}

/// Opens the server's change notices for as long as the user stays signed in: each notice makes
/// the pages read again; when the stream drops, the header says so, and the stream is opened again
/// until it is back.
fn listen(source: Source) {
    spawn_local(async move {
        let Some(remote) = source.remote.get_value().filter(|r| r.token.is_some()) else {
            return;
        };
        let ticket = match remote.ticket().await {
            Ok(ticket) => ticket,
            Err(refusal) if refusal.code == Some(401) => return source.sign_out(),
            Err(_) => return lost(source),
        };
        let url = remote.url(&format!("/v1/console/events?ticket={ticket}"));
        let Ok(events) = web_sys::EventSource::new(&url) else {
            return lost(source);
        };
        let on_open = Closure::<dyn Fn()>::new(move || {
            let was = source.connection.get_untracked();
            source.connection.set(if was == Connection::Lost {
                Connection::Back
            } else {
                Connection::Live
            });
            if was == Connection::Lost {
                // Changes made while the stream was down were never told.
                source.changed();
            }
        });
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let Some(text) = ev.data().as_string() else {
                    return;
                };
                if let Ok(change) = serde_json::from_str::<Change>(&text) {
                    source.last_change.set(Some(change));
                    source.changed();
                }
            });
        let closer = events.clone();
        let on_error = Closure::<dyn Fn()>::new(move || {
            closer.close();
            lost(source);
        });
        events.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        events.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        events.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The handlers stay for the page's life (three small closures per connection opened); the
        // stream is closed on sign-out or when it drops.
        on_open.forget();
        on_message.forget();
        on_error.forget();
        source.events.set_value(Some(events));
    });
}

/// The stream dropped: say so, and try again in a moment.
fn lost(source: Source) {
    if source.status.get_untracked() != Status::Ready {
        return;
    }
    source.connection.set(Connection::Lost);
    let retry = Closure::once_into_js(move || listen(source));
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            retry.unchecked_ref(),
            RECONNECT_MS as i32,
        );
    }
}
