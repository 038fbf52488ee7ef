//! Helpers for the browser tests in `tests/`: mount the whole console with its router into the
//! test page, then find, click and type as a partner would, and wait for the page to settle.
#![cfg(target_arch = "wasm32")]

use leptos::mount::UnmountHandle;
use leptos::prelude::Owner;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlSelectElement, Window};

pub use app::App;

fn window() -> Window {
    web_sys::window().expect("a browser window")
}

fn document() -> Document {
    window().document().expect("a document")
}

/// The mounted console. Dropping it unmounts the console and removes its element.
pub struct Console {
    host: HtmlElement,
    owner: Owner,
    handle: Option<UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
}

/// Clears everything the console saved in this browser (a first visit).
pub fn forget_saved_data() {
    window().local_storage().unwrap().unwrap().clear().unwrap();
}

thread_local! {
    /// The console mounted last. A test that fails never drops its console, so the next mount
    /// unmounts it first: its router must not keep answering clicks.
    static LIVE: std::cell::RefCell<Option<(Owner, HtmlElement)>> = const { std::cell::RefCell::new(None) };
}

fn unmount_live() {
    if let Some((owner, host)) = LIVE.with(|live| live.borrow_mut().take()) {
        owner.cleanup();
        host.remove();
    }
}

/// Mounts the console at `path`, keeping whatever it saved before (a reload).
pub async fn mount_at(path: &str) -> Console {
    unmount_live();
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(path))
        .unwrap();
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    // The console's own owner, so unmounting can clean up everything it registered (the router's
    // click and history listeners included) before the next test mounts another one.
    let owner = Owner::new();
    let handle = owner.with(|| {
        leptos::mount::mount_to(host.clone(), || leptos::prelude::IntoAny::into_any(App()))
    });
    LIVE.with(|live| *live.borrow_mut() = Some((owner.clone(), host.clone())));
    let console = Console {
        host,
        owner,
        handle: Some(handle),
    };
    settle().await;
    console
}

/// Mounts the console on a first visit (no saved data) at the Customers page.
pub async fn first_visit() -> Console {
    forget_saved_data();
    mount_at("/customers").await
}

/// Lets effects, the router and the DOM catch up.
pub async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        drop(self.handle.take());
        self.owner.cleanup();
        self.host.remove();
        LIVE.with(|live| live.borrow_mut().take());
    }
}

impl Console {
    /// The first element with `data-testid`, or a panic naming it and showing the page.
    pub fn get(&self, testid: &str) -> HtmlElement {
        self.find(testid)
            .unwrap_or_else(|| panic!("no [data-testid={testid}] on the page: {}", self.text()))
    }

    /// The first element with `data-testid`, if there is one.
    pub fn find(&self, testid: &str) -> Option<HtmlElement> {
        self.host
            .query_selector(&format!("[data-testid=\"{testid}\"]"))
            .unwrap()
            .map(JsCast::unchecked_into)
    }

    /// Every element with `data-testid`.
    pub fn all(&self, testid: &str) -> Vec<HtmlElement> {
        let list = self
            .host
            .query_selector_all(&format!("[data-testid=\"{testid}\"]"))
            .unwrap();
        (0..list.length())
            .filter_map(|i| list.get(i))
            .map(JsCast::unchecked_into)
            .collect()
    }

    /// The first element matching a CSS selector inside `within`.
    pub fn select_in(&self, within: &Element, selector: &str) -> HtmlElement {
        within
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector} in {:?}", within.text_content()))
            .unchecked_into()
    }

    /// The text of the element with `data-testid`.
    pub fn text_of(&self, testid: &str) -> String {
        self.get(testid).text_content().unwrap_or_default()
    }

    /// The text of the feedback line in the card with `testid` (empty when there is none yet).
    pub fn feedback_in(&self, card: &str) -> String {
        self.select_in(&self.get(card), "[data-testid=feedback]")
            .text_content()
            .unwrap_or_default()
    }

    /// All the text on the page.
    pub fn text(&self) -> String {
        self.host.text_content().unwrap_or_default()
    }

    /// Clicks the element with `data-testid` and lets the page settle.
    pub async fn click(&self, testid: &str) {
        click(&self.get(testid)).await;
    }

    /// Types into the input with `data-testid` (replacing its text) and lets the page settle.
    pub async fn type_into(&self, testid: &str, text: &str) {
        let input: HtmlInputElement = self.get(testid).unchecked_into();
        input.set_value(text);
        fire(&input, "input");
        settle().await;
    }

    /// The current value of the input with `data-testid`.
    pub fn value_of(&self, testid: &str) -> String {
        self.get(testid)
            .unchecked_into::<HtmlInputElement>()
            .value()
    }

    /// Chooses an option of the select with `data-testid` and lets the page settle.
    pub async fn choose(&self, testid: &str, value: &str) {
        let select: HtmlSelectElement = self.get(testid).unchecked_into();
        select.set_value(value);
        assert_eq!(select.value(), value, "{testid} has no option {value}");
        fire(&select, "change");
        settle().await;
    }

    /// Chooses the option whose text contains `label`.
    pub async fn choose_label(&self, testid: &str, label: &str) {
        let select: HtmlSelectElement = self.get(testid).unchecked_into();
        let options = select.query_selector_all("option").unwrap();
        let value = (0..options.length())
            .filter_map(|i| options.get(i))
            .map(JsCast::unchecked_into::<Element>)
            .find(|o| o.text_content().unwrap_or_default().contains(label))
            .unwrap_or_else(|| panic!("{testid} has no option with {label}"))
            .get_attribute("value")
            .unwrap_or_default();
        self.choose(testid, &value).await;
    }

    /// Follows a link inside the console as the router would.
    pub async fn go_to(&self, path: &str) {
        let a: HtmlElement = document().create_element("a").unwrap().unchecked_into();
        a.set_attribute("href", path).unwrap();
        self.host.append_child(&a).unwrap();
        click(&a).await;
        a.remove();
        settle().await;
    }

    /// Opens the Subscriptions page of the one customer whose name or domain matches `search`
    /// (from the Customers page).
    pub async fn open_customer(&self, search: &str) {
        self.type_into("customer-search", search).await;
        let rows = self.all("customer-row");
        assert_eq!(
            rows.len(),
            1,
            "one customer matches {search}: {}",
            self.text()
        );
        click(&self.select_in(&rows[0], "a")).await;
        self.get("subscriptions-table");
    }

    /// Buys `quantity` licenses of Contoso Sign Standard (one month, billed monthly) for Contoso
    /// Ltd, starting from Customers; ends on the order's confirmation page and returns the new
    /// subscription's activation link.
    pub async fn buy_contoso_sign(&self, quantity: &str) -> String {
        self.go_to("/customers").await;
        self.open_customer("contoso ltd").await;
        self.click("add-subscription").await;
        let card = self.get("offer-DZH318Z0BXWC");
        let quantity_input = self.select_in(&card, "[data-testid=purchase-quantity]");
        quantity_input
            .unchecked_ref::<HtmlInputElement>()
            .set_value(quantity);
        fire(&quantity_input, "input");
        settle().await;
        click(&self.select_in(&card, "[data-testid=add-to-cart]")).await;
        assert_eq!(self.all("cart-line").len(), 1, "{}", self.text());
        self.click("buy").await;
        self.get("order-confirmation");
        self.get("go-to-publisher").get_attribute("href").unwrap()
    }

    /// The path and query of the page shown.
    pub fn location(&self) -> String {
        let l = window().location();
        format!("{}{}", l.pathname().unwrap(), l.search().unwrap())
    }
}

/// Clicks an element and lets the page settle.
pub async fn click(element: &HtmlElement) {
    element.click();
    settle().await;
}

/// Fires a bubbling DOM event.
pub fn fire(target: &web_sys::EventTarget, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}
