//! The console sends a partner's sign-in only to a server it was deployed for: the page's own, or
//! one listed in the page's `<meta name="mc-api-origins">`. A link, a kept choice or an address
//! typed in Settings that names any other server is refused, nothing is sent there, and the
//! partner is told why. Every request the console makes is caught (the page's `fetch` answers
//! "offline"), so the tests see where it would have gone.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;

use marketplace_console::{Console, forget_saved_data, mount_at};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The API origin the tests' console is deployed for.
const DEPLOYED: &str = "http://127.0.0.1:8081";
/// A server the console was not deployed for.
const OTHER: &str = "https://evil.example";

const SOURCE_KEY: &str = "marketplace-console.source";
const TOKEN_KEY: &str = "marketplace-console.server-token";

/// Where the console keeps its token for the server at `base` (another origin's own key).
fn token_key(base: &str) -> String {
    format!("{TOKEN_KEY} {base}")
}

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

fn storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

/// Gives the test page the meta element a build with `MC_API_ORIGINS=<origins>` writes.
fn deployed_for(origins: &str) {
    let document = window().document().unwrap();
    if let Some(old) = document
        .query_selector(r#"meta[name="mc-api-origins"]"#)
        .unwrap()
    {
        old.remove();
    }
    let meta = document.create_element("meta").unwrap();
    meta.set_attribute("name", "mc-api-origins").unwrap();
    meta.set_attribute("content", origins).unwrap();
    document
        .query_selector("head")
        .unwrap()
        .unwrap()
        .append_child(&meta)
        .unwrap();
}

thread_local! {
    /// Each request the console made since [`catch_requests`]: its URL and `Authorization` header.
    static SENT: RefCell<Vec<(String, Option<String>)>> = const { RefCell::new(Vec::new()) };
}

/// Replaces the page's `fetch` with one that notes each request and answers as if offline.
fn catch_requests() {
    SENT.with(|sent| sent.borrow_mut().clear());
    let fetch = Closure::<dyn Fn(JsValue) -> js_sys::Promise>::new(|request: JsValue| {
        let url = js_sys::Reflect::get(&request, &"url".into())
            .ok()
            .and_then(|u| u.as_string())
            .unwrap_or_else(|| request.as_string().unwrap_or_default());
        let authorization = js_sys::Reflect::get(&request, &"headers".into())
            .ok()
            .and_then(|headers| {
                let get: js_sys::Function = js_sys::Reflect::get(&headers, &"get".into())
                    .ok()?
                    .dyn_into()
                    .ok()?;
                get.call1(&headers, &"authorization".into())
                    .ok()?
                    .as_string()
            });
        SENT.with(|sent| sent.borrow_mut().push((url, authorization)));
        js_sys::Promise::reject(&js_sys::TypeError::new("offline (caught by the test)"))
    });
    js_sys::Reflect::set(&window(), &"fetch".into(), fetch.as_ref()).unwrap();
    fetch.forget();
}

/// The requests caught so far.
fn sent() -> Vec<(String, Option<String>)> {
    SENT.with(|sent| sent.borrow().clone())
}

/// A first visit to `path` of a console deployed for [`DEPLOYED`], with `kept` in storage before.
async fn visit(path: &str, kept: &[(&str, &str)]) -> Console {
    forget_saved_data();
    for (key, value) in kept {
        storage().set_item(key, value).unwrap();
    }
    deployed_for(DEPLOYED);
    catch_requests();
    mount_at(path).await
}

/// The data notice says the console refused `address` and what it may use instead.
fn assert_refused(c: &Console, address: &str) {
    let notice = c.text_of("data-notice");
    assert!(
        notice.contains(&format!(
            "The console was not deployed to use the server at “{address}”, so it does not send your sign-in there."
        )),
        "{notice}"
    );
    assert!(
        notice.contains(&format!(
            "It may use only the servers it was deployed with: this page's server, {DEPLOYED}."
        )),
        "{notice}"
    );
}

#[wasm_bindgen_test]
async fn a_link_to_a_server_the_console_was_not_deployed_for_is_not_used_and_the_partner_is_told() {
    let c = visit(
        &format!("/customers?source=server&api={OTHER}"),
        &[(TOKEN_KEY, "the-partners-token")],
    )
    .await;
    assert_refused(&c, OTHER);
    assert!(
        c.text_of("data-notice")
            .contains("It shows the data kept in this browser instead."),
        "{}",
        c.text()
    );
    assert_eq!(c.text_of("data-source"), "Data: In-browser");
    assert_eq!(c.all("customer-row").len(), 20, "the in-browser demo data");
    assert!(c.find("signin-email").is_none(), "no sign-in form for it");
    assert_eq!(sent(), [], "nothing was sent anywhere");
    assert_eq!(
        storage().get_item(SOURCE_KEY).unwrap(),
        None,
        "the refused server is not kept"
    );
}

#[wasm_bindgen_test]
async fn a_signed_in_partner_following_such_a_link_stays_with_the_deployed_server() {
    let c = visit(
        &format!("/customers?source=server&api={OTHER}/"),
        &[
            (SOURCE_KEY, &format!("server {DEPLOYED}")),
            (&token_key(DEPLOYED), "the-partners-token"),
        ],
    )
    .await;
    assert_refused(&c, &format!("{OTHER}/"));
    assert!(
        c.text_of("data-notice")
            .contains(&format!("It keeps using the server at {DEPLOYED}.")),
        "{}",
        c.text()
    );
    assert_eq!(
        c.text_of("data-source"),
        format!("Data: Server ({DEPLOYED})")
    );
    let sent = sent();
    assert!(
        !sent.is_empty(),
        "the deployed server was asked who is signed in"
    );
    for (url, authorization) in &sent {
        assert!(url.starts_with(&format!("{DEPLOYED}/v1/")), "{url}");
        assert_eq!(authorization.as_deref(), Some("Bearer the-partners-token"));
    }
    assert_eq!(
        storage().get_item(SOURCE_KEY).unwrap(),
        Some(format!("server {DEPLOYED}")),
        "the choice kept before is kept"
    );
}

#[wasm_bindgen_test]
async fn a_server_kept_from_before_that_the_console_was_not_deployed_for_is_forgotten() {
    let c = visit(
        "/customers",
        &[
            (SOURCE_KEY, &format!("server {OTHER}")),
            (&token_key(OTHER), "the-partners-token"),
        ],
    )
    .await;
    assert_refused(&c, OTHER);
    assert_eq!(c.text_of("data-source"), "Data: In-browser");
    assert_eq!(sent(), [], "nothing was sent anywhere");
    assert_eq!(storage().get_item(SOURCE_KEY).unwrap(), None);
}

#[wasm_bindgen_test]
async fn an_address_with_a_path_credentials_or_another_scheme_is_refused_even_on_a_deployed_host() {
    for address in [
        format!("{DEPLOYED}/v1"),
        format!("{DEPLOYED}/?x=1"),
        "http://someone@127.0.0.1:8081".to_owned(),
        "https://127.0.0.1:8081".to_owned(),
        "http://127.0.0.1:8082".to_owned(),
        "javascript:alert(1)".to_owned(),
    ] {
        let encoded = String::from(js_sys::encode_uri_component(&address));
        let c = visit(&format!("/customers?source=server&api={encoded}"), &[]).await;
        assert_refused(&c, &address);
        assert_eq!(c.text_of("data-source"), "Data: In-browser", "{address}");
        assert_eq!(sent(), [], "{address}");
    }
}

#[wasm_bindgen_test]
async fn a_deployed_server_is_used_and_its_address_normalized() {
    let c = visit(
        "/customers?source=server&api=HTTP://127.0.0.1:8081/",
        &[(&token_key(DEPLOYED), "the-partners-token")],
    )
    .await;
    assert!(c.find("data-notice").is_none(), "{}", c.text());
    assert_eq!(
        c.text_of("data-source"),
        format!("Data: Server ({DEPLOYED})")
    );
    assert_eq!(
        storage().get_item(SOURCE_KEY).unwrap(),
        Some(format!("server {DEPLOYED}"))
    );
    let sent = sent();
    assert!(!sent.is_empty());
    assert!(
        sent.iter()
            .all(|(url, _)| url.starts_with(&format!("{DEPLOYED}/v1/"))),
        "{sent:?}"
    );

    // The page's own origin, written out, is the page's own server.
    let own = window().location().origin().unwrap();
    let c = visit(&format!("/customers?source=server&api={own}"), &[]).await;
    assert!(c.find("data-notice").is_none(), "{}", c.text());
    assert_eq!(c.text_of("data-source"), "Data: Server");
    assert!(c.find("signin-email").is_some(), "asks to sign in");
    assert_eq!(
        storage().get_item(SOURCE_KEY).unwrap().as_deref(),
        Some("server ")
    );
}

#[wasm_bindgen_test]
async fn settings_refuses_a_server_the_console_was_not_deployed_for_beside_the_field() {
    let c = visit("/settings", &[]).await;
    assert_eq!(
        c.text_of("source-allowed"),
        format!("The servers this console was deployed to use: this page's server, {DEPLOYED}.")
    );
    c.type_into("server-url", OTHER).await;
    c.click("use-server").await;
    let feedback = window()
        .document()
        .unwrap()
        .get_element_by_id("source-feedback")
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(
        feedback.starts_with(&format!(
            "The console was not deployed to use the server at “{OTHER}”"
        )),
        "{feedback}"
    );
    assert!(feedback.contains(DEPLOYED), "{feedback}");
    assert_eq!(c.value_of("server-url"), OTHER, "what was typed is kept");
    assert_eq!(c.location(), "/settings", "the console did not switch");
    assert_eq!(c.text_of("data-source"), "Data: In-browser");
    assert_eq!(storage().get_item(SOURCE_KEY).unwrap(), None);
    assert_eq!(sent(), []);
}

#[wasm_bindgen_test]
async fn without_a_list_only_the_pages_own_server_may_be_used() {
    forget_saved_data();
    deployed_for("");
    catch_requests();
    let c = mount_at(&format!("/customers?source=server&api={DEPLOYED}")).await;
    let notice = c.text_of("data-notice");
    assert!(
        notice.contains("It may use only the servers it was deployed with: this page's server."),
        "{notice}"
    );
    assert_eq!(c.text_of("data-source"), "Data: In-browser");
    assert_eq!(sent(), []);
}
