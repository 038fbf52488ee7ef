//! Bad input on the real pages, driven through the whole console in headless Chromium: every
//! refused value is answered with its field and rule, the typed text stays in its input, and
//! nothing saved changes (not on the page, not in the browser's storage, not after a reload).
#![cfg(target_arch = "wasm32")]

use marketplace_console::{Console, click, fire, first_visit, mount_at, settle};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A well-formed customer or subscription id that no demo record has.
const UNKNOWN_GUID: &str = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

/// Opens an activation link on the publisher's site, assigns a license and activates; ends on the
/// subscription's detail page.
async fn activate(c: &Console, link: &str) {
    c.go_to(link).await;
    let licenses: web_sys::HtmlTextAreaElement = c.get("publisher-licenses").unchecked_into();
    licenses.set_value("megan@contoso.onmicrosoft.com");
    fire(&licenses, "input");
    c.click("assign-licenses").await;
    c.click("activate").await;
    assert!(c.text_of("activated").contains("billing starts now"));
    click(&c.select_in(&c.get("publisher-setup"), "a")).await;
    assert!(c.text_of("subscription-title").contains("Active"));
}

/// A fresh Contoso Sign subscription with 3 licenses, active; returns its detail page's path.
async fn active_subscription(c: &Console) -> String {
    let link = c.buy_contoso_sign("3").await;
    activate(c, &link).await;
    c.location()
}

/// The error shown in a card's feedback line, or a panic showing the card.
fn error_in(c: &Console, card: &str) -> String {
    let card = c.get(card);
    c.select_in(&card, "[data-testid=feedback] .feedback--error")
        .text_content()
        .unwrap_or_default()
}

/// What the browser has saved for the subscription shown at `detail`: its nickname, quantity,
/// reseller and version.
fn saved(detail: &str) -> (String, u32, Option<String>, u64) {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let state = domain::State::load(
        &storage
            .get_item("marketplace-console.state")
            .unwrap()
            .expect("the console saved its state"),
    )
    .unwrap();
    let id = domain::SubscriptionId::parse(detail.rsplit('/').next().unwrap()).unwrap();
    let sub = &state.subscriptions[&id];
    (
        sub.nickname.to_string(),
        sub.quantity,
        sub.reseller.as_ref().map(ToString::to_string),
        sub.version,
    )
}

/// The page shows the subscription as saved: its nickname in the title, its quantity and its
/// reseller in the reseller field.
fn shows(c: &Console, saved: &(String, u32, Option<String>, u64), case: &str) {
    let (nickname, quantity, reseller, _) = saved;
    let title = c.text_of("subscription-title");
    assert!(
        title.starts_with(&format!("{nickname} ")),
        "{case}: the title is {title:?}, the saved nickname {nickname:?}"
    );
    let shown = c.text_of("fact-quantity");
    assert!(
        shown.starts_with(&format!("{quantity} licenses")),
        "{case}: the quantity shown is {shown:?}, the saved one {quantity}"
    );
    assert_eq!(
        c.value_of("reseller-input"),
        reseller.clone().unwrap_or_default(),
        "{case}: the reseller shown"
    );
}

/// Types each value into `input`, submits it with `submit`, and checks the refusal: the card's
/// message is `expected`, the typed text stays in the input, and the subscription (on the page, in
/// storage and after a reload of the page) is what it was.
async fn refuse_each(
    detail: &str,
    input: &str,
    submit: &str,
    card: &str,
    cases: &[(&str, String, String)],
) {
    let before = saved(detail);
    for (case, typed, expected) in cases {
        let c = mount_at(detail).await;
        shows(&c, &before, &format!("before {case}"));
        assert!(
            c.feedback_in(card).is_empty(),
            "{case}: {}",
            c.text_of(card)
        );
        c.type_into(input, typed).await;
        c.click(submit).await;
        assert_eq!(&error_in(&c, card), expected, "{case}: the message");
        assert_eq!(&c.value_of(input), typed, "{case}: the typed value is kept");
        // The field says it is invalid, and names the line that says why.
        let field = c.get(input);
        assert_eq!(
            field.get_attribute("aria-invalid").as_deref(),
            Some("true"),
            "{case}"
        );
        let feedback = format!("{}-feedback", card.trim_end_matches("-card"));
        assert!(
            field
                .get_attribute("aria-describedby")
                .is_some_and(|ids| ids.split(' ').any(|id| id == feedback)),
            "{case}"
        );
        // Typing again takes the message away: it described the value before.
        c.type_into(input, &format!("{typed}1")).await;
        assert!(
            c.feedback_in(card).is_empty(),
            "{case}: the old message stayed while typing: {}",
            c.text_of(card)
        );
        assert_eq!(c.get(input).get_attribute("aria-invalid"), None, "{case}");
        let (nickname, quantity, _, _) = &before;
        assert!(
            c.text_of("subscription-title")
                .starts_with(&format!("{nickname} ")),
            "{case}: the title changed: {}",
            c.text_of("subscription-title")
        );
        assert!(
            c.text_of("fact-quantity")
                .starts_with(&format!("{quantity} licenses")),
            "{case}: the quantity shown changed: {}",
            c.text_of("fact-quantity")
        );
        assert_eq!(saved(detail), before, "{case}: nothing saved changed");
    }
    let c = mount_at(detail).await;
    shows(&c, &before, "after the last case, reloaded");
}

#[wasm_bindgen_test]
async fn every_bad_nickname_is_refused_with_its_rule_and_nothing_saved_changes() {
    let c = first_visit().await;
    let detail = active_subscription(&c).await;
    // A paste is never cut short: the message describes what was pasted.
    assert_eq!(c.get("nickname-input").get_attribute("maxlength"), None);
    drop(c);
    let empty = "Nickname can't be empty.".to_owned();
    let too_long = "Nickname must be at most 100 characters (it has 101).".to_owned();
    let control =
        "Nickname can't contain control characters such as tabs or line breaks.".to_owned();
    let cases = [
        ("empty", String::new(), empty.clone()),
        ("only spaces", "   ".to_owned(), empty.clone()),
        ("only no-break spaces", "\u{a0}\u{a0}".to_owned(), empty),
        ("101 characters", "a".repeat(101), too_long.clone()),
        ("101 accented characters", "é".repeat(101), too_long),
        (
            "a 300-character paste",
            "a".repeat(300),
            "Nickname must be at most 100 characters (it has 300).".to_owned(),
        ),
        (
            "a bell character",
            "Team\u{7}Bell".to_owned(),
            control.clone(),
        ),
        ("a tab", "Team\tTab".to_owned(), control),
    ];
    refuse_each(
        &detail,
        "nickname-input",
        "nickname-save",
        "nickname-card",
        &cases,
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_nickname_with_markup_is_saved_and_shown_as_literal_text() {
    let c = first_visit().await;
    let detail = active_subscription(&c).await;
    drop(c);
    for markup in [
        "<script>alert(1)</script><b>x</b>",
        "<img src=x onerror=\"window.__nicknameRan=1\">",
    ] {
        let c = mount_at(&detail).await;
        c.type_into("nickname-input", markup).await;
        c.click("nickname-save").await;
        let feedback = c.feedback_in("nickname-card");
        assert!(
            feedback.contains("Nickname changed"),
            "{markup}: {feedback}"
        );
        assert_eq!(saved(&detail).0, markup, "{markup} is saved as typed");
        drop(c);

        for when in ["saved", "reloaded"] {
            let c = mount_at(&detail).await;
            let title = c.get("subscription-title");
            assert!(
                title.text_content().unwrap_or_default().contains(markup),
                "{markup} ({when}): the title shows {:?}",
                title.text_content()
            );
            assert_eq!(
                title.query_selector_all("script, b, img").unwrap().length(),
                0,
                "{markup} ({when}): the title made elements of it: {}",
                title.inner_html()
            );
            // The activity table writes its rows as HTML: the rename shows there as text.
            let activity = c.get("subscription-activity-table");
            assert!(
                activity.text_content().unwrap_or_default().contains(markup),
                "{markup} ({when}): the activity shows {:?}",
                activity.text_content()
            );
            assert_eq!(
                activity
                    .query_selector_all("script, b, img")
                    .unwrap()
                    .length(),
                0,
                "{markup} ({when}): the activity made elements of it"
            );
            let page = title.closest("main").unwrap().expect("the page's main");
            assert_eq!(
                page.query_selector_all("script, img").unwrap().length(),
                0,
                "{markup} ({when}): the page made elements of it"
            );
            assert_eq!(c.value_of("nickname-input"), markup, "{markup} ({when})");
            drop(c);

            // The customer's list writes its rows as HTML: the nickname must stay text there too.
            let list = detail.rsplit_once('/').unwrap().0;
            let id = detail.rsplit('/').next().unwrap();
            let c = mount_at(list).await;
            let row = c
                .all("subscription-row")
                .into_iter()
                .find(|r| r.get_attribute("data-subscription").as_deref() == Some(id))
                .expect("the subscription is listed");
            assert_eq!(
                c.select_in(&row, "td a").text_content().unwrap(),
                markup,
                "{markup} ({when}): the list's link text"
            );
            let table = c.get("subscriptions-table");
            assert_eq!(
                table.query_selector_all("script, b, img").unwrap().length(),
                0,
                "{markup} ({when}): the list made elements of it: {}",
                row.inner_html()
            );
        }
        let ran =
            js_sys::Reflect::get(&web_sys::window().unwrap(), &"__nicknameRan".into()).unwrap();
        assert!(ran.is_undefined(), "{markup}: the markup ran");
    }
}

#[wasm_bindgen_test]
async fn the_list_offers_a_fresh_link_once_the_code_has_expired() {
    let c = first_visit().await;
    let old_link = c.buy_contoso_sign("2").await;
    // A day and an hour later the link's 24 hours are over.
    c.click("clock-day").await;
    c.click("clock-hour").await;
    c.go_to("/customers").await;
    c.type_into("customer-search", "contoso ltd").await;
    click(&c.select_in(&c.all("customer-row")[0], "a")).await;
    c.click("status-action-needed").await;
    let expired = c
        .all("subscription-row")
        .into_iter()
        .find(|row| {
            row.query_selector("[data-testid=fresh-link]")
                .unwrap()
                .is_some()
        })
        .expect("a row offers a fresh link");
    let id = expired.get_attribute("data-subscription").unwrap();
    // One click gets the fresh link and opens it in a new tab.
    // (A stand-in for the tab the browser would open, that tells where it was sent.)
    js_sys::eval(
        "window.__open = window.open;
         window.open = (url, target) => (window.__tab = { opener: window, location: { href: url }, close() {} });",
    )
    .unwrap();
    click(&c.select_in(&expired, "[data-testid=fresh-link]")).await;
    // The tab was opened by the click; it goes to the link once the answer arrives.
    let href = || {
        js_sys::eval("window.__tab.location.href")
            .unwrap()
            .as_string()
            .unwrap()
    };
    let mut opened = href();
    for _ in 0..100 {
        if opened != "about:blank" {
            break;
        }
        settle().await;
        opened = href();
    }
    let severed = js_sys::eval("window.__tab.opener === null").unwrap();
    assert_eq!(
        severed.as_bool(),
        Some(true),
        "the new tab cannot reach back"
    );
    js_sys::eval("window.open = window.__open;").unwrap();

    let feedback = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .get_element_by_id("link-feedback")
        .expect("the list's link feedback line")
        .text_content()
        .unwrap_or_default();
    assert!(
        feedback.contains("A fresh link is ready and opened in a new tab: it works for 24 hours."),
        "{feedback}"
    );
    let row = c
        .all("subscription-row")
        .into_iter()
        .find(|row| row.get_attribute("data-subscription").as_deref() == Some(id.as_str()))
        .unwrap();
    let fresh = c
        .select_in(&row, "[data-testid=go-to-publisher]")
        .get_attribute("href")
        .unwrap();
    assert!(fresh.contains("/landing?token="), "{fresh}");
    assert_ne!(fresh, old_link);
    assert_eq!(opened, fresh, "the new tab went to the fresh link");
}

#[wasm_bindgen_test]
async fn every_bad_quantity_is_refused_with_its_rule_and_nothing_saved_changes() {
    let c = first_visit().await;
    let detail = active_subscription(&c).await;
    // The plan's bounds as the card states them: "1 to 500 licenses for Standard".
    let bounds = c
        .select_in(&c.get("quantity-card"), "#quantity-bounds")
        .text_content()
        .unwrap();
    drop(c);
    let words: Vec<&str> = bounds.split_whitespace().collect();
    let (min, max, plan): (u32, u32, &str) = match words.as_slice() {
        [min, "to", max, "licenses", "for", plan @ ..] => (
            min.parse().unwrap(),
            max.parse().unwrap(),
            plan.last().unwrap(),
        ),
        _ => panic!("the bounds read {bounds:?}"),
    };
    let above = (max + 1).to_string();
    let required = "Quantity is required: enter a whole number of licenses.".to_owned();
    let not_whole =
        |t: &str| format!("Quantity must be a whole number of licenses (\"{t}\" is not).");
    let out_of_range =
        |q: &str| format!("Quantity must be between {min} and {max} for {plan} (you entered {q}).");
    let far_above = |t: &str| format!("Quantity {t} is far above any plan's maximum.");
    let cases = [
        ("empty", String::new(), required.clone()),
        ("only spaces", "  ".to_owned(), required),
        ("letters", "abc".to_owned(), not_whole("abc")),
        (
            "negative",
            "-1".to_owned(),
            "Quantity can't be negative (you entered -1).".to_owned(),
        ),
        ("zero", "0".to_owned(), out_of_range("0")),
        ("an exponent", "1e3".to_owned(), not_whole("1e3")),
        ("a fraction", "2.5".to_owned(), not_whole("2.5")),
        (
            "above the plan's maximum",
            above.clone(),
            out_of_range(&above),
        ),
        (
            "beyond 32 bits",
            "4294967296".to_owned(),
            far_above("4294967296"),
        ),
        (
            "beyond 64 bits",
            "18446744073709551616".to_owned(),
            far_above("18446744073709551616"),
        ),
    ];
    refuse_each(
        &detail,
        "quantity-input",
        "quantity-submit",
        "quantity-card",
        &cases,
    )
    .await;
}

#[wasm_bindgen_test]
async fn every_bad_reseller_partner_id_is_refused_with_its_rule_and_nothing_saved_changes() {
    let c = first_visit().await;
    let detail = active_subscription(&c).await;
    // A reseller already set, so a refused change has something to keep.
    c.type_into("reseller-input", "4711002").await;
    c.click("reseller-save").await;
    assert!(c.feedback_in("reseller-card").contains("set to 4711002"));
    drop(c);
    let format =
        |t: &str| format!("Indirect reseller PartnerID must be 5 to 10 digits (\"{t}\" is not).");
    let cases = [
        ("letters", "abcdefg".to_owned(), format("abcdefg")),
        ("too short", "12".to_owned(), format("12")),
        ("too long", "1234567890123".to_owned(), format("1234567890123")),
        (
            "not one of the partner's resellers",
            "99999999".to_owned(),
            "Indirect reseller PartnerID 99999999 was not found among your indirect resellers."
                .to_owned(),
        ),
        (
            "a reseller whose authorization ended",
            "1234567".to_owned(),
            "Indirect reseller PartnerID 1234567 is not a valid indirect reseller: its authorization has ended."
                .to_owned(),
        ),
    ];
    refuse_each(
        &detail,
        "reseller-input",
        "reseller-save",
        "reseller-card",
        &cases,
    )
    .await;
}

#[wasm_bindgen_test]
async fn every_bad_activation_link_gets_a_page_naming_what_is_wrong() {
    let c = first_visit().await;
    // Four purchases, each brought to a state its link can no longer be used in.
    let expired = c.buy_contoso_sign("2").await;
    let replaced = c.buy_contoso_sign("2").await;
    let replaced_order = c.location();
    let used = c.buy_contoso_sign("2").await;
    activate(&c, &used).await;
    let cancelled = c.buy_contoso_sign("2").await;
    click(&c.select_in(&c.get("order-line"), "a")).await;
    c.click("cancel-open").await;
    if c.find("steps-confirmed").is_some() {
        c.click("steps-confirmed").await;
    }
    c.click("cancel-confirm").await;
    assert!(
        c.text_of("subscription-title").contains("Cancelled"),
        "{}",
        c.text()
    );
    // Nothing is left to set up with the publisher.
    assert!(c.find("action-needed").is_none(), "{}", c.text());
    // A day and an hour later the first two links are past their 24 hours; the second is then
    // replaced by a fresh one.
    c.click("clock-day").await;
    c.click("clock-hour").await;
    c.go_to(&replaced_order).await;
    c.click("fresh-link").await;
    let fresh = c.get("go-to-publisher").get_attribute("href").unwrap();
    assert_ne!(fresh, replaced);
    let fresh_token = fresh.split("token=").nth(1).unwrap().to_owned();

    let not_valid = "This link isn't valid";
    let bad_format = "Activation code is not valid: it must be 40 letters and digits.";
    // In-browser, a code this browser does not know may be a valid link opened elsewhere: the page
    // says where the data is, and never calls it "never issued".
    let elsewhere_title = "This browser holds no purchase for this link";
    let elsewhere = "This console keeps its data in the browser where the purchase was made, so a private window or another browser cannot see it. Open the link in that browser.";
    let other_publisher = "This subscription belongs to another publisher's offer.";
    let landing = "/publisher/contoso-esign/landing";
    let cases = [
        (
            "a garbage code",
            format!("{landing}?token=NOTAREALCODE"),
            not_valid,
            bad_format,
        ),
        ("no code", landing.to_owned(), not_valid, bad_format),
        (
            "markup as the code",
            format!("{landing}?token=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
            not_valid,
            bad_format,
        ),
        (
            "a well-formed code this browser never issued",
            format!("{landing}?token={}", "A".repeat(40)),
            elsewhere_title,
            elsewhere,
        ),
        (
            "an expired code",
            expired,
            "This link has expired",
            "This activation link expired on ",
        ),
        (
            "a code replaced by a fresh one",
            replaced,
            elsewhere_title,
            elsewhere,
        ),
        (
            "a code already used to activate",
            used,
            "This subscription is already active",
            "This item has already been activated.",
        ),
        (
            "the code of a cancelled subscription",
            cancelled,
            "This subscription can no longer be set up",
            "Only a subscription waiting for activation can be set up (this one is Cancelled).",
        ),
        (
            "another publisher's code",
            format!("/publisher/fabrikam-dp/landing?token={fresh_token}"),
            not_valid,
            other_publisher,
        ),
        (
            "a publisher that does not exist",
            format!("/publisher/nobody/landing?token={fresh_token}"),
            not_valid,
            other_publisher,
        ),
    ];
    for (case, link, title, message) in &cases {
        c.go_to("/customers").await;
        c.go_to(link).await;
        let Some(page) = c.find("publisher-error") else {
            panic!("{case} ({link}): no error page: {:?}", c.text());
        };
        assert!(c.find("publisher-setup").is_none(), "{case}");
        assert_eq!(
            c.select_in(&page, "h1").text_content().unwrap(),
            *title,
            "{case}: the heading"
        );
        let alert = c.select_in(&page, "[role=alert]").text_content().unwrap();
        assert!(
            alert.starts_with(message),
            "{case}: the message is {alert:?}"
        );
        assert!(!alert.contains("never issued"), "{case}: {alert:?}");
        // A fresh link is offered only where one would help.
        assert_eq!(
            page.text_content()
                .unwrap()
                .contains("How to get a fresh link"),
            *case != "the code of a cancelled subscription",
            "{case}"
        );
        assert_eq!(
            page.query_selector_all("script").unwrap().length(),
            0,
            "{case}"
        );
    }

    // The fresh link still works, and a reload of a bad link shows the same page.
    c.go_to(&fresh).await;
    assert!(
        c.text_of("publisher-customer").contains("Contoso Ltd"),
        "{}",
        c.text()
    );
    drop(c);
    let c = mount_at(&format!("{landing}?token=NOTAREALCODE")).await;
    assert!(c.text_of("publisher-error").contains(bad_format));
}

#[wasm_bindgen_test]
async fn every_unknown_or_malformed_address_shows_a_not_found_page_naming_what() {
    let c = first_visit().await;
    c.open_customer("contoso ltd").await;
    let contoso = c.location();
    c.buy_contoso_sign("1").await;
    let order = c.location();
    let order_id = order.rsplit('/').next().unwrap().to_owned();
    let bought = c
        .select_in(&c.get("order-line"), "a")
        .get_attribute("href")
        .unwrap();
    let sub_id = bought.rsplit('/').next().unwrap().to_owned();
    drop(c);
    let c = mount_at("/customers").await;
    c.open_customer("fabrikam").await;
    let fabrikam = c.location();
    drop(c);

    let cases = [
        (
            "an unknown customer's subscriptions",
            format!("/customers/{UNKNOWN_GUID}/subscriptions"),
            "Customer not found",
            Some(UNKNOWN_GUID),
        ),
        (
            "a malformed customer id",
            "/customers/not-a-guid/subscriptions".to_owned(),
            "Customer not found",
            Some("not-a-guid"),
        ),
        (
            "markup as the customer id",
            "/customers/%3Cb%3Ex%3C%2Fb%3E/subscriptions".to_owned(),
            "Customer not found",
            None,
        ),
        (
            "an unknown customer's purchase page",
            format!("/customers/{UNKNOWN_GUID}/purchase"),
            "Customer not found",
            Some(UNKNOWN_GUID),
        ),
        (
            "an unknown subscription",
            format!("{contoso}/{UNKNOWN_GUID}"),
            "Subscription not found",
            Some(UNKNOWN_GUID),
        ),
        (
            "a malformed subscription id",
            format!("{contoso}/not-a-guid"),
            "Subscription not found",
            Some("not-a-guid"),
        ),
        (
            "a subscription under another customer's address",
            format!("{fabrikam}/{sub_id}"),
            "Subscription not found",
            Some(sub_id.as_str()),
        ),
        (
            "an unknown order",
            contoso.replace("/subscriptions", "/orders/no-such-order"),
            "Order not found",
            Some("no-such-order"),
        ),
        (
            "another customer's order",
            fabrikam.replace("/subscriptions", &format!("/orders/{order_id}")),
            "Order not found",
            Some(order_id.as_str()),
        ),
        (
            "an unknown route",
            "/nowhere".to_owned(),
            "Page not found",
            None,
        ),
        (
            "an unknown page under a customer",
            contoso.replace("/subscriptions", "/nowhere"),
            "Page not found",
            None,
        ),
    ];
    for (case, path, heading, id) in &cases {
        for how in ["opened", "followed"] {
            let c = if how == "opened" {
                mount_at(path).await
            } else {
                let c = mount_at("/customers").await;
                c.go_to(path).await;
                c
            };
            let Some(page) = c.find("not-found") else {
                panic!("{case} ({how} {path}): no not-found page: {:?}", c.text());
            };
            assert_eq!(
                c.select_in(&page, "h1").text_content().unwrap(),
                *heading,
                "{case} ({how} {path})"
            );
            let text = page.text_content().unwrap();
            if let Some(id) = id {
                assert!(
                    text.contains(&format!("\u{201c}{id}\u{201d}")),
                    "{case} ({how}): the page names the id: {text}"
                );
            }
            assert!(text.contains("Go to Customers"), "{case} ({how}): {text}");
            assert_eq!(
                page.query_selector_all("b, script").unwrap().length(),
                0,
                "{case} ({how}): {}",
                page.inner_html()
            );
        }
    }
    // The real order is still found under its own customer.
    let c = mount_at(&order).await;
    c.get("order-confirmation");
}
