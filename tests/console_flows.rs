//! The seed's flows, driven through the whole console (router, pages, in-browser engine) by
//! clicking and typing as a partner would, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use marketplace_console::{Console, click, first_visit, mount_at, settle};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Buys Contoso Sign Standard (one month, billed monthly) for Contoso Ltd and activates it on the
/// publisher's site, as the signed-in user; ends on the new subscription's detail page.
async fn buy_and_activate(c: &Console, quantity: &str) {
    let link = c.buy_contoso_sign(quantity).await;

    // The confirmation page lists the new subscription with Go to publisher's site.
    let confirmation = c.text_of("order-confirmation");
    assert!(confirmation.contains("Action needed"), "{confirmation}");
    // Its lines are counted from 1.
    assert_eq!(
        c.select_in(&c.get("order-line"), "td")
            .text_content()
            .as_deref(),
        Some("1")
    );
    // The whole address, to give away; in-browser it names no server.
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    assert!(
        link.starts_with(&format!("{origin}/publisher/contoso-esign/landing?token="))
            && !link.contains("source="),
        "{link}"
    );
    assert_eq!(
        c.get("go-to-publisher").get_attribute("target").as_deref(),
        Some("_blank")
    );

    // The publisher's site (a new tab in real life) resolves the code and activates.
    c.go_to(&link).await;
    assert!(c.text_of("publisher-customer").contains("Contoso Ltd"));
    assert_eq!(c.text_of("publisher-quantity"), quantity);
    let licenses: web_sys::HtmlTextAreaElement = c.get("publisher-licenses").unchecked_into();
    licenses.set_value("megan@contoso.onmicrosoft.com\nalex@contoso.onmicrosoft.com");
    marketplace_console::fire(&licenses, "input");
    c.click("assign-licenses").await;
    c.click("activate").await;
    assert!(
        c.text_of("activated").contains("billing starts now"),
        "{}",
        c.text()
    );
    click(&c.select_in(&c.get("publisher-setup"), "a")).await;
    assert!(
        c.text_of("subscription-title").contains("Active"),
        "{}",
        c.text()
    );
}

#[wasm_bindgen_test]
async fn a_partner_finds_a_customer_by_search_and_the_url_keeps_it() {
    let c = first_visit().await;
    c.type_into("customer-search", "WINGTIP").await;
    let rows = c.all("customer-row");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].text_content().unwrap().contains("Wingtip Toys"));
    assert_eq!(c.location(), "/customers?q=WINGTIP");

    // Search by domain, then reload: the search stays.
    c.type_into("customer-search", "fourthcoffee.onmicrosoft")
        .await;
    assert_eq!(c.all("customer-row").len(), 1);
    drop(c);
    let c = mount_at("/customers?q=fourthcoffee.onmicrosoft").await;
    assert_eq!(c.value_of("customer-search"), "fourthcoffee.onmicrosoft");
    assert!(
        c.all("customer-row")[0]
            .text_content()
            .unwrap()
            .contains("Fourth Coffee")
    );
}

/// The nav links marked as the current page.
fn current_nav(c: &Console) -> Vec<String> {
    let nav = c.get("shell-header");
    let links = nav.query_selector_all("nav a[aria-current=page]").unwrap();
    (0..links.length())
        .map(|i| links.item(i).unwrap().text_content().unwrap())
        .collect()
}

/// Goes back (or forward) in the browser's history and waits for the page to follow.
async fn through_history(c: &Console, back: bool) {
    let before = c.location();
    let history = web_sys::window().unwrap().history().unwrap();
    if back {
        history.back().unwrap();
    } else {
        history.forward().unwrap();
    }
    for _ in 0..100 {
        settle().await;
        if c.location() != before {
            break;
        }
    }
    settle().await;
}

#[wasm_bindgen_test]
async fn back_and_forward_go_through_the_pages_and_the_navigation_marks_the_current_one() {
    let c = first_visit().await;
    assert_eq!(current_nav(&c), ["Customers"]);
    c.type_into("customer-search", "WINGTIP").await;
    click(&c.select_in(&c.all("customer-row")[0], "a")).await;
    c.get("subscriptions-table");
    assert!(c.location().ends_with("/subscriptions"), "{}", c.location());
    assert_eq!(
        current_nav(&c),
        ["Customers"],
        "a customer's pages are under Customers"
    );

    through_history(&c, true).await;
    assert_eq!(c.location(), "/customers?q=WINGTIP");
    assert_eq!(c.value_of("customer-search"), "WINGTIP");
    assert_eq!(c.all("customer-row").len(), 1);

    through_history(&c, false).await;
    c.get("subscriptions-table");

    click(&c.select_in(&c.get("shell-header"), "nav a[href='/billing']")).await;
    assert_eq!(c.location(), "/billing");
    assert_eq!(current_nav(&c), ["Billing"]);

    // A search typed and a sort clicked in the same moment (the page follows each at once, the
    // history is written just after): both reach the history, in order.
    c.go_to("/customers").await;
    let search: web_sys::HtmlInputElement = c.get("customer-search").unchecked_into();
    search.set_value("WING");
    marketplace_console::fire(&search, "input");
    c.get("sort-name").click();
    settle().await;
    assert_eq!(c.location(), "/customers?q=WING&dir=desc");
    through_history(&c, true).await;
    assert_eq!(c.location(), "/customers?q=WING");
    assert_eq!(c.value_of("customer-search"), "WING");
}

#[wasm_bindgen_test]
async fn customers_sort_and_page_through_the_url() {
    let c = first_visit().await;
    assert!(
        c.text_of("page-position")
            .contains("Page 1 of 2 · 25 customers")
    );
    c.click("page-next").await;
    assert_eq!(c.location(), "/customers?page=2");
    assert_eq!(c.all("customer-row").len(), 5);
    c.click("sort-name").await;
    assert_eq!(c.location(), "/customers?dir=desc");
    let first = c.all("customer-row")[0].text_content().unwrap();
    assert!(first.starts_with("World Wide Importers"), "{first}");

    // The sorted column says how it sorts (aria-sort and its arrow); the others say none. The
    // button used keeps the focus.
    let sort_state = |testid: &str| {
        let header = c.get(testid).closest("th").unwrap().expect("a header cell");
        (
            header.get_attribute("aria-sort").unwrap_or_default(),
            header.text_content().unwrap_or_default(),
        )
    };
    assert_eq!(
        sort_state("sort-name"),
        ("descending".into(), "Company name ▼".into())
    );
    assert_eq!(
        sort_state("sort-domain"),
        ("none".into(), "Primary domain".into())
    );
    c.get("sort-domain").focus().unwrap();
    c.click("sort-domain").await;
    assert_eq!(c.location(), "/customers?sort=domain");
    assert_eq!(
        sort_state("sort-domain"),
        ("ascending".into(), "Primary domain ▲".into())
    );
    assert_eq!(
        sort_state("sort-name"),
        ("none".into(), "Company name".into())
    );
    assert_eq!(
        focused_testid().as_deref(),
        Some("sort-domain"),
        "the sort button keeps the focus"
    );
}

#[wasm_bindgen_test]
async fn a_customers_subscriptions_show_action_needed_with_the_publisher_link() {
    let c = first_visit().await;
    c.open_customer("contoso ltd").await;
    let text = c.text_of("subscriptions-table");
    for column in [
        "Subscription",
        "Offer",
        "Publisher",
        "Quantity",
        "Status",
        "Term and billing",
        "Renews or ends on",
        "Reseller",
    ] {
        assert!(text.contains(column), "missing column {column}");
    }
    c.click("status-action-needed").await;
    assert!(c.location().ends_with("?status=action-needed"));
    for row in c.all("subscription-row") {
        let text = row.text_content().unwrap();
        assert!(text.contains("Action needed"), "{text}");
        assert!(
            text.contains("Go to publisher's site") || text.contains("Get a fresh link"),
            "{text}"
        );
    }
    // The filter says which status is chosen, and keeps the focus on the button used.
    let pressed = |testid: &str| c.get(testid).get_attribute("aria-pressed");
    assert_eq!(pressed("status-action-needed").as_deref(), Some("true"));
    assert_eq!(pressed("status-all").as_deref(), Some("false"));
    c.get("status-all").focus().unwrap();
    c.click("status-all").await;
    assert!(c.location().ends_with("/subscriptions"), "{}", c.location());
    assert_eq!(pressed("status-all").as_deref(), Some("true"));
    assert_eq!(focused_testid().as_deref(), Some("status-all"));
    assert!(
        c.all("subscription-row")
            .iter()
            .any(|row| !row.text_content().unwrap().contains("Action needed"))
    );
}

fn quantities(c: &Console) -> Vec<u32> {
    c.all("subscription-row")
        .iter()
        .map(|row| {
            c.select_in(row, "td.num")
                .text_content()
                .unwrap()
                .trim()
                .parse()
                .unwrap()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_customers_subscriptions_are_searched_and_sorted_through_the_url() {
    let c = first_visit().await;
    c.open_customer("contoso ltd").await;
    let before = c.all("subscription-row").len();
    let offer = c
        .select_in(&c.all("subscription-row")[0], "td:nth-child(2)")
        .text_content()
        .unwrap();
    let word = offer.split_whitespace().next().unwrap().to_uppercase();
    c.type_into("subscription-search", &word).await;
    assert!(
        c.location().contains(&format!("q={word}")),
        "{}",
        c.location()
    );
    let rows = c.all("subscription-row");
    assert!(!rows.is_empty() && rows.len() <= before);
    for row in rows {
        let text = row.text_content().unwrap().to_uppercase();
        assert!(text.contains(&word), "{text} does not contain {word}");
    }

    c.type_into("subscription-search", "").await;
    c.click("sort-quantity").await;
    assert!(c.location().contains("sort=quantity"), "{}", c.location());
    let up = quantities(&c);
    assert!(up.windows(2).all(|w| w[0] <= w[1]), "{up:?}");
    c.click("sort-quantity").await;
    assert!(c.location().contains("dir=desc"), "{}", c.location());
    let down = quantities(&c);
    assert!(down.windows(2).all(|w| w[0] >= w[1]), "{down:?}");

    c.type_into("subscription-search", "no such thing").await;
    assert!(c.all("subscription-row").is_empty());
    assert!(
        c.text_of("no-subscriptions")
            .contains("\u{201c}no such thing\u{201d}"),
        "{}",
        c.text()
    );
}

#[wasm_bindgen_test]
async fn purchase_then_publisher_activation_makes_the_subscription_active_with_its_first_charge() {
    let c = first_visit().await;
    buy_and_activate(&c, "3").await;
    let charges = c.all("charge-row");
    assert_eq!(charges.len(), 1, "{}", c.text());
    let charge = charges[0].text_content().unwrap();
    assert!(charge.contains("New subscription"), "{charge}");
    assert!(charge.contains("$36.00"), "3 × $12.00: {charge}");
    assert!(
        c.text_of("subscription-activity")
            .contains("Publisher activated")
    );
}

#[wasm_bindgen_test]
async fn rename_and_quantity_up_and_down_with_submit() {
    let c = first_visit().await;
    buy_and_activate(&c, "3").await;

    c.type_into("nickname-input", "  Legal team  ").await;
    c.get("nickname-save").focus().unwrap();
    c.click("nickname-save").await;
    assert!(c.text_of("subscription-title").contains("Legal team"));
    assert!(c.feedback_in("nickname-card").contains("Nickname changed"));
    // The card is written again with the new name; the button used keeps the focus.
    assert_eq!(c.value_of("nickname-input"), "Legal team");
    assert_eq!(focused_testid().as_deref(), Some("nickname-save"));

    c.type_into("quantity-input", "5").await;
    c.click("quantity-submit").await;
    assert!(c.text_of("fact-quantity").starts_with("5 licenses"));
    let up = c.feedback_in("quantity-card");
    assert!(up.contains("from 3 to 5") && up.contains("charged"), "{up}");

    c.type_into("quantity-input", "4").await;
    c.click("quantity-submit").await;
    assert!(c.text_of("fact-quantity").starts_with("4 licenses"));
    assert!(c.feedback_in("quantity-card").contains("credited"));
}

#[wasm_bindgen_test]
async fn an_out_of_range_quantity_is_refused_with_the_rule_and_the_typed_value_is_kept() {
    let c = first_visit().await;
    buy_and_activate(&c, "3").await;
    c.type_into("quantity-input", "501").await;
    c.click("quantity-submit").await;
    let message = c.feedback_in("quantity-card");
    assert!(
        message.contains("Quantity must be between 1 and 500 for Standard"),
        "{message}"
    );
    assert_eq!(c.value_of("quantity-input"), "501");
    assert!(c.text_of("fact-quantity").starts_with("3 licenses"));

    c.type_into("quantity-input", "abc").await;
    c.click("quantity-submit").await;
    assert!(c.feedback_in("quantity-card").contains("whole number"));
    assert_eq!(c.value_of("quantity-input"), "abc");
}

#[wasm_bindgen_test]
async fn cancel_inside_the_window_and_refused_after_the_clock_passes_it() {
    let c = first_visit().await;
    buy_and_activate(&c, "2").await;
    let detail = c.location();
    assert!(
        c.text_of("fact-window").contains("left"),
        "{}",
        c.text_of("fact-window")
    );

    // A second subscription, kept for after the window.
    c.go_to("/customers").await;
    buy_and_activate(&c, "2").await;
    let second = c.location();

    c.go_to(&detail).await;
    c.click("cancel-open").await;
    let dialog = c.text_of("cancel-dialog");
    assert!(dialog.contains("refunded in full ($24.00)"), "{dialog}");
    assert!(
        dialog.contains("Export or archive the signed documents"),
        "{dialog}"
    );
    c.click("cancel-confirm").await;
    assert!(
        c.text_of("cancel-dialog")
            .contains("Confirm that you completed the publisher's steps")
    );
    c.click("steps-confirmed").await;
    c.click("cancel-confirm").await;
    assert!(
        c.text_of("subscription-title").contains("Cancelled"),
        "{}",
        c.text()
    );

    c.go_to(&second).await;
    c.click("clock-day").await;
    c.click("clock-hour").await;
    // The blocked button stays reachable with Tab and points at its reason; using it tells the
    // reason and opens nothing.
    let cancel = c.get("cancel-open");
    assert_eq!(
        cancel.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert!(!cancel.has_attribute("disabled"));
    assert!(
        cancel
            .get_attribute("aria-describedby")
            .is_some_and(|d| d.contains("cancel-blocked"))
    );
    let reason = c
        .select_in(&c.get("cancel-card"), "[data-testid=blocked-reason]")
        .text_content()
        .unwrap();
    c.click("cancel-open").await;
    assert!(c.find("cancel-dialog").is_none());
    assert!(
        c.feedback_in("cancel-card")
            .contains("The cancellation window closed on")
    );
    assert!(
        reason.contains("The cancellation window closed on"),
        "{reason}"
    );
    assert!(
        reason.contains("turn off auto-renew to end it at term end"),
        "{reason}"
    );
}

#[wasm_bindgen_test]
async fn auto_renew_off_then_the_subscription_expires_at_term_end() {
    let c = first_visit().await;
    buy_and_activate(&c, "2").await;
    c.click("auto-renew").await;
    assert_eq!(c.text_of("fact-auto-renew"), "Off");
    assert!(c.text_of("fact-renewal").starts_with("Ends"));
    c.click("clock-month").await;
    c.click("clock-day").await;
    c.click("clock-day").await;
    assert!(
        c.text_of("subscription-title").contains("Expired"),
        "{}",
        c.text()
    );
    assert!(c.text_of("clock-now").contains("ahead"));
}

#[wasm_bindgen_test]
async fn an_indirect_reseller_partner_id_is_accepted_or_rejected_with_the_rule() {
    let c = first_visit().await;
    buy_and_activate(&c, "2").await;
    c.type_into("reseller-input", "4711002").await;
    c.click("reseller-save").await;
    assert!(c.feedback_in("reseller-card").contains("set to 4711002"));

    c.type_into("reseller-input", "99999999").await;
    c.click("reseller-save").await;
    let message = c.feedback_in("reseller-card");
    assert!(
        message.contains("was not found among your indirect resellers"),
        "{message}"
    );
    assert_eq!(c.value_of("reseller-input"), "99999999");

    c.type_into("reseller-input", "12ab").await;
    c.click("reseller-save").await;
    assert!(c.feedback_in("reseller-card").contains("5 to 10 digits"));

    c.click("reseller-clear").await;
    assert!(c.feedback_in("reseller-card").contains("cleared"));
}

#[wasm_bindgen_test]
async fn a_sales_agent_is_blocked_with_the_seed_note_but_can_still_buy() {
    let c = first_visit().await;
    buy_and_activate(&c, "2").await;
    c.choose_label("user-switcher", "Sales agent").await;
    let quantity = c.get("quantity-input");
    assert_eq!(
        quantity.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert!(quantity.has_attribute("readonly"));
    // Partner Center's note is told once, at the top; each blocked control points to it.
    let note = "Temporarily, persons with the Sales agent role cannot update Marketplace SaaS subscription details";
    assert!(c.text_of("role-note").contains(note));
    assert!(
        c.text_of("role-note")
            .contains("Sales agents can still buy new subscriptions")
    );
    assert_eq!(c.text().matches(note).count(), 1, "{}", c.text());
    let pointer = "Sales agents can't update Marketplace SaaS subscriptions for now: see Partner Center's note at the top of the page.";
    // Submitting anyway tells the reason and changes nothing.
    c.click("quantity-submit").await;
    assert!(c.feedback_in("quantity-card").contains(pointer));
    assert!(c.text_of("fact-quantity").starts_with("2 licenses"));
    let reason = c
        .select_in(&c.get("quantity-card"), "[data-testid=blocked-reason]")
        .text_content()
        .unwrap();
    assert!(reason.contains(pointer), "{reason}");

    c.go_to("/customers").await;
    c.open_customer("fabrikam").await;
    c.click("add-subscription").await;
    let card = c.get("offer-NWHELPDESK01");
    click(&c.select_in(&card, "[data-testid=add-to-cart]")).await;
    c.click("buy").await;
    assert!(
        c.text_of("order-confirmation")
            .contains("Northwind Helpdesk"),
        "{}",
        c.text()
    );
}

#[wasm_bindgen_test]
async fn the_state_is_kept_across_a_reload() {
    let c = first_visit().await;
    buy_and_activate(&c, "2").await;
    c.type_into("nickname-input", "Kept after reload").await;
    c.click("nickname-save").await;
    let detail = c.location();
    drop(c);
    let c = mount_at(&detail).await;
    assert!(
        c.text_of("subscription-title")
            .contains("Kept after reload")
    );
}

#[wasm_bindgen_test]
async fn an_unknown_subscription_or_page_shows_not_found() {
    let c = first_visit().await;
    c.go_to("/customers/not-a-guid/subscriptions").await;
    assert!(c.text_of("not-found").contains("Customer not found"));
    c.go_to("/nowhere").await;
    assert!(c.text_of("not-found").contains("Page not found"));
}

#[wasm_bindgen_test]
async fn an_expired_or_wrong_activation_code_gets_a_clear_page() {
    let c = first_visit().await;
    c.go_to("/publisher/contoso-esign/landing?token=NOTAREALCODE")
        .await;
    let page = c.text_of("publisher-error");
    assert!(page.contains("This link isn't valid"), "{page}");
    assert!(page.contains("How to get a fresh link"));
}

#[wasm_bindgen_test]
async fn saved_data_that_cannot_be_read_is_kept_aside_and_the_user_is_told() {
    marketplace_console::forget_saved_data();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage
        .set_item("marketplace-console.state", "{\"schemaVersion\":99}")
        .unwrap();
    let c = mount_at("/customers").await;
    let notice = c.text_of("data-notice");
    assert!(notice.contains("could not be read"), "{notice}");
    assert!(notice.contains("newer version"), "{notice}");
    let kept: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|k| k.starts_with("marketplace-console.unreadable-state."))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        storage.get_item(&kept[0]).unwrap().as_deref(),
        Some("{\"schemaVersion\":99}")
    );
    assert_eq!(
        c.all("customer-row").len(),
        20,
        "started from the demo data"
    );
}

#[wasm_bindgen_test]
async fn billing_shows_invoices_their_lines_unbilled_charges_and_spend_and_tells_other_roles_why_not()
 {
    let c = first_visit().await;
    c.go_to("/billing").await;
    let invoices = c.all("invoice-row");
    assert!(invoices.len() >= 2, "{}", c.text());
    click(&c.select_in(&invoices[0], "button.link-button")).await;
    assert!(c.location().starts_with("/billing?invoice=G"));
    let lines = c.text_of("invoice-lines");
    assert!(lines.contains("Total:"), "{lines}");
    assert!(c.text_of("unbilled").contains("Unbilled charges of"));
    assert!(
        c.get("spend-chart")
            .query_selector("svg rect")
            .unwrap()
            .is_some()
    );
    c.click("export-reconciliation").await;
    assert!(!c.text_of("invoices-table").contains("refused"));

    c.choose_label("user-switcher", "Sales agent").await;
    let reason = c.text_of("blocked-reason");
    assert!(
        reason.contains("Your role (Sales agent) can't view billing and invoices"),
        "{reason}"
    );
    assert!(c.find("invoices-table").is_none());
}

#[wasm_bindgen_test]
async fn renewals_list_what_renews_and_which_windows_close_soon() {
    let c = first_visit().await;
    c.go_to("/renewals").await;
    assert!(
        !c.all("closing-row").is_empty(),
        "the demo has windows closing: {}",
        c.text()
    );
    let in_30 = c.all("term-end-row").len();
    assert!(in_30 > 0);
    c.click("span-90").await;
    assert_eq!(c.location(), "/renewals?days=90");
    assert!(c.all("term-end-row").len() >= in_30);
    // Each row links to its subscription.
    let row = &c.all("closing-row")[0];
    click(&c.select_in(row, "a")).await;
    assert!(
        c.text_of("fact-window").contains("left"),
        "{}",
        c.text_of("fact-window")
    );
}

#[wasm_bindgen_test]
async fn the_activity_log_filters_by_operation_and_user_in_the_url() {
    let c = first_visit().await;
    c.go_to("/activity").await;
    c.choose("filter-operation", "Purchase").await;
    assert!(c.location().contains("operation=Purchase"));
    let table = c.text_of("activity-table");
    assert!(table.contains("Purchase"));
    assert!(!table.contains("Publisher activated"), "{table}");
    c.choose("filter-user", "Lee Gu").await;
    let rows = c
        .get("activity-table")
        .query_selector_all("tbody tr")
        .unwrap()
        .length();
    assert!(rows > 0);
    assert!(c.text_of("activity-table").contains("Lee Gu (Sales agent)"));
    assert!(!c.text_of("activity-table").contains("Adele Vance"));

    // Dates from the URL: a range in the future holds nothing, one around today everything.
    let row_count = |c: &Console| {
        c.find("activity-table")
            .map(|t| t.query_selector_all("tbody tr").unwrap().length())
            .unwrap_or(0)
    };
    c.go_to("/activity?from=2099-01-01").await;
    assert_eq!(c.value_of("filter-from"), "2099-01-01");
    assert_eq!(row_count(&c), 0, "{}", c.text());
    c.go_to("/activity?from=2000-01-01&to=2099-12-31").await;
    assert!(row_count(&c) > 0, "{}", c.text());
}

#[wasm_bindgen_test]
async fn when_browser_storage_is_full_the_user_is_told_and_nothing_in_memory_is_lost() {
    let c = first_visit().await;
    buy_and_activate(&c, "2").await;
    // From now on the browser refuses to store the console's data, as a full storage does.
    js_sys::eval(
        "window.__setItem = Storage.prototype.setItem;
         Storage.prototype.setItem = function (k, v) {
             if (k === 'marketplace-console.state') { throw new DOMException('full', 'QuotaExceededError'); }
             return window.__setItem.call(this, k, v);
         };",
    )
    .unwrap();
    c.type_into("nickname-input", "Kept in memory").await;
    c.click("nickname-save").await;
    js_sys::eval("Storage.prototype.setItem = window.__setItem;").unwrap();
    let notice = c.text_of("data-notice");
    assert!(
        notice.contains("Changes could not be saved in this browser"),
        "{notice}"
    );
    assert!(
        notice.contains("kept while this tab stays open"),
        "{notice}"
    );
    assert!(c.text_of("subscription-title").contains("Kept in memory"));
    // The next change saves again and the notice goes away.
    c.type_into("nickname-input", "Saved again").await;
    c.click("nickname-save").await;
    assert!(c.find("data-notice").is_none(), "{}", c.text());
}

#[wasm_bindgen_test]
async fn a_save_over_a_change_made_in_another_tab_is_refused_and_the_new_values_are_shown() {
    let c = first_visit().await;
    buy_and_activate(&c, "2").await;
    let id = c.location().rsplit('/').next().unwrap().to_owned();
    // Another tab renames the subscription and saves; this tab has not heard of it yet.
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let mut state = domain::State::load(
        &storage
            .get_item("marketplace-console.state")
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    let sub = state
        .subscriptions
        .get_mut(&domain::SubscriptionId::parse(&id).unwrap())
        .unwrap();
    sub.nickname = domain::Nickname::parse("Renamed in the other tab").unwrap();
    sub.version += 1;
    storage
        .set_item("marketplace-console.state", &state.save())
        .unwrap();
    storage
        .set_item("marketplace-console.generation", "other-tab")
        .unwrap();

    c.type_into("quantity-input", "3").await;
    c.click("quantity-submit").await;
    let message = c.feedback_in("quantity-card");
    assert!(
        message.contains("Someone changed this subscription since you opened it"),
        "{message}"
    );
    assert!(
        c.text_of("subscription-title")
            .contains("Renamed in the other tab")
    );
    assert!(c.text_of("fact-quantity").starts_with("2 licenses"));
    // Now that this tab shows the new values, the same change goes through.
    c.click("quantity-submit").await;
    assert!(
        c.text_of("fact-quantity").starts_with("3 licenses"),
        "{}",
        c.text()
    );
}

/// The test id of the focused element.
fn focused_testid() -> Option<String> {
    web_sys::window()?
        .document()?
        .active_element()?
        .get_attribute("data-testid")
}

#[wasm_bindgen_test]
async fn the_partners_setup_tasks_are_ticked_and_the_activation_link_copied_keeping_the_focus() {
    let c = first_visit().await;
    c.buy_contoso_sign("2").await;
    click(&c.select_in(&c.get("order-line"), "a")).await;
    assert!(!c.text_of("action-needed").contains("done by"));
    let task = c.get("setup-task-0");
    task.focus().unwrap();
    click(&task).await;
    let section = c.text_of("action-needed");
    assert!(
        section.contains("Open the personalized link (in a private browser, with the customer's credentials) — done by Megan Bowen on"),
        "{section}"
    );
    let task: web_sys::HtmlInputElement = c.get("setup-task-0").unchecked_into();
    assert!(task.checked());
    assert_eq!(focused_testid().as_deref(), Some("setup-task-0"));
    // Unticked, the record goes.
    click(&task).await;
    assert!(!c.text_of("action-needed").contains("done by"));

    // The activation link is copied for the customer, with until when it works; in-browser the
    // data is this browser's only, and the message says to open the link here.
    let copy = c.get("copy-link");
    copy.focus().unwrap();
    click(&copy).await;
    let said = c.feedback_in("action-needed");
    assert!(
        said.starts_with("✓ Copied. This console keeps its data in this browser only, so open the link here: a private window or another browser cannot see the purchase.")
            && said.contains("It works until"),
        "{said}"
    );
    assert_eq!(focused_testid().as_deref(), Some("copy-link"));
}

#[wasm_bindgen_test]
async fn only_possible_choices_are_offered_and_a_message_that_no_longer_holds_goes() {
    let c = first_visit().await;
    buy_and_activate(&c, "5").await;

    // Next term: only the billing frequencies the chosen plan offers for the subscription's term
    // (one month here), as the catalog has them.
    let catalog = domain::demo::catalog();
    let offer = catalog
        .offers
        .iter()
        .find(|o| o.id.as_str() == "DZH318Z0BXWC")
        .unwrap();
    let plan = offer
        .plans
        .iter()
        .find(|p| p.id.as_str() == c.value_of("next-plan"))
        .unwrap();
    let expected: Vec<&str> = plan
        .billing_for(domain::Term::P1M)
        .into_iter()
        .map(|b| b.label())
        .collect();
    let options = c.get("next-billing").query_selector_all("option").unwrap();
    let shown: Vec<String> = (0..options.length())
        .map(|i| options.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(shown, expected);
    assert!(
        !shown.iter().any(|o| o == "Annual" || o == "One-time"),
        "{shown:?}"
    );

    let other = offer.plans.iter().find(|p| p.id != plan.id).unwrap();
    c.choose("next-plan", other.id.as_str()).await;
    c.click("schedule-change").await;
    assert!(
        c.feedback_in("next-term-card")
            .contains("Change scheduled for the next term."),
        "{}",
        c.text_of("next-term-card")
    );

    // Cancel: before the publisher's steps are confirmed, the button says why beside it; Esc
    // closes the dialog and gives the focus back to the button that opened it.
    c.click("cancel-open").await;
    let confirm = c.get("cancel-confirm");
    assert_eq!(
        confirm.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert!(
        c.text_of("cancel-dialog").contains(
            "Not available: Confirm that you completed the publisher's steps before cancelling"
        ),
        "{}",
        c.text_of("cancel-dialog")
    );
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let escape =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    confirm.dispatch_event(&escape).unwrap();
    settle().await;
    assert!(c.find("cancel-dialog").is_none());
    assert_eq!(focused_testid().as_deref(), Some("cancel-open"));

    c.click("cancel-open").await;
    c.click("steps-confirmed").await;
    assert_eq!(c.get("cancel-confirm").get_attribute("aria-disabled"), None);
    c.click("cancel-confirm").await;
    assert!(c.text_of("subscription-title").contains("Cancelled"));
    // The next term's message no longer holds: it went.
    assert_eq!(
        c.feedback_in("next-term-card"),
        "",
        "{}",
        c.text_of("next-term-card")
    );
}

#[wasm_bindgen_test]
async fn the_activity_log_names_the_customer_and_subscription_of_each_entry_as_links() {
    let c = first_visit().await;
    buy_and_activate(&c, "2").await;
    let detail = c.location();
    c.go_to("/activity").await;
    let table = c.get("activity-table");
    let headings = table
        .query_selector("thead")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        headings.contains("Customer") && headings.contains("Subscription"),
        "{headings}"
    );
    // The newest entry: the publisher's activation of the subscription just bought.
    let row = table.query_selector("tbody tr").unwrap().unwrap();
    assert!(row.text_content().unwrap().contains("Publisher activated"));
    let customer = c.select_in(&row, "[data-testid=activity-customer] a");
    assert_eq!(customer.text_content().unwrap(), "Contoso Ltd");
    let subscription = c.select_in(&row, "[data-testid=activity-subscription] a");
    assert_eq!(
        subscription.get_attribute("href").as_deref(),
        Some(detail.as_str())
    );
    click(&subscription).await;
    assert_eq!(c.location(), detail);
    // A subscription's own log does not repeat them.
    assert!(c.find("activity-customer").is_none());
}

#[wasm_bindgen_test]
async fn the_activity_logs_customer_filter_searches_as_it_is_typed() {
    let c = first_visit().await;
    c.go_to("/activity").await;
    // Part of a name suggests the customers it matches, not a list of every customer.
    c.type_into("filter-customer", "cont").await;
    let suggested = document_options("activity-customers");
    assert!(
        suggested.iter().any(|n| n == "Contoso Ltd"),
        "{suggested:?}"
    );
    assert!(suggested.len() <= 10, "{suggested:?}");
    assert!(!c.location().contains("customer="));
    // The whole name, in any case, filters by that customer.
    c.type_into("filter-customer", "contoso ltd").await;
    assert!(c.location().contains("customer="), "{}", c.location());
    let customers = c.all("activity-customer");
    assert!(!customers.is_empty());
    assert!(
        customers
            .iter()
            .all(|cell| cell.text_content().unwrap() == "Contoso Ltd"),
        "{}",
        c.text_of("activity-table")
    );
    // A reload keeps it, with the name in the box; emptying the box shows everyone's again.
    let filtered = c.location();
    drop(c);
    let c = mount_at(&filtered).await;
    assert_eq!(c.value_of("filter-customer"), "Contoso Ltd");
    c.type_into("filter-customer", "").await;
    assert!(!c.location().contains("customer="), "{}", c.location());
}

/// The values of a datalist's options.
fn document_options(datalist: &str) -> Vec<String> {
    let list = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .get_element_by_id(datalist)
        .unwrap();
    let options = list.query_selector_all("option").unwrap();
    (0..options.length())
        .map(|i| {
            options
                .item(i)
                .unwrap()
                .unchecked_into::<web_sys::Element>()
                .get_attribute("value")
                .unwrap_or_default()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn every_page_has_its_own_title() {
    let title = || web_sys::window().unwrap().document().unwrap().title();
    let c = first_visit().await;
    assert_eq!(title(), "Customers — Marketplace Console");
    c.open_customer("contoso ltd").await;
    assert_eq!(title(), "Contoso Ltd · Subscriptions — Marketplace Console");
    buy_and_activate(&c, "2").await;
    let nickname = c
        .text_of("subscription-title")
        .split(" Active")
        .next()
        .unwrap()
        .trim()
        .to_owned();
    assert_eq!(
        title(),
        format!("{nickname} · Contoso Ltd — Marketplace Console")
    );
    for (path, expected) in [
        ("/activity", "Activity log — Marketplace Console"),
        ("/renewals", "Renewals — Marketplace Console"),
        ("/billing", "Billing — Marketplace Console"),
        ("/settings", "Settings — Marketplace Console"),
        ("/nowhere", "Page not found — Marketplace Console"),
    ] {
        c.go_to(path).await;
        assert_eq!(title(), expected, "{path}");
    }
}

#[wasm_bindgen_test]
async fn roles_that_cannot_buy_or_read_billing_are_not_offered_them_and_are_told_why_when_they_go_there()
 {
    let c = first_visit().await;
    let billing_link = |c: &Console| {
        c.get("shell-header")
            .query_selector("nav a[href='/billing']")
            .unwrap()
            .is_some()
    };
    c.open_customer("contoso ltd").await;
    assert!(billing_link(&c));
    assert!(c.find("add-subscription").is_some());

    c.choose_label("user-switcher", "Helpdesk agent").await;
    assert!(!billing_link(&c), "{}", c.text_of("shell-header"));
    assert!(c.find("add-subscription").is_none());
    // Reached directly, the pages still refuse with the reason.
    c.go_to("/billing").await;
    assert!(
        c.text_of("blocked-reason")
            .contains("Your role (Helpdesk agent) can't view billing and invoices"),
        "{}",
        c.text()
    );

    c.choose_label("user-switcher", "Billing admin").await;
    assert!(billing_link(&c));
    c.go_to("/customers").await;
    c.open_customer("contoso ltd").await;
    assert!(c.find("add-subscription").is_none());
}

#[wasm_bindgen_test]
async fn the_price_is_worded_alike_on_the_purchase_and_detail_pages() {
    let c = first_visit().await;
    buy_and_activate(&c, "2").await;
    // Contoso Sign Standard, one month billed monthly, $12.00.
    assert_eq!(c.text_of("fact-price"), "$12.00 per license per month");
    c.go_to("/customers").await;
    c.open_customer("contoso ltd").await;
    c.click("add-subscription").await;
    let card = c.get("offer-DZH318Z0BXWC");
    let offered = card.text_content().unwrap();
    assert!(
        offered.contains("$12.00 per license per month"),
        "{offered}"
    );
}
