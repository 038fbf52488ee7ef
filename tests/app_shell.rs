//! The console mounts with its router and shows the shell and the demo customers from the domain.
#![cfg(target_arch = "wasm32")]

use marketplace_console::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_console_shows_its_name_navigation_and_the_demo_customers() {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    let document = window.document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("section").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), App);
    leptos::task::tick().await;

    let header = host
        .query_selector("[data-testid=shell-header]")
        .unwrap()
        .expect("the header is rendered")
        .text_content()
        .unwrap();
    assert!(header.contains("Marketplace Console"), "{header}");
    for link in ["Customers", "Billing", "Activity log", "Data: In-browser"] {
        assert!(header.contains(link), "missing {link} in {header}");
    }

    let rows = host
        .query_selector_all("[data-testid=customer-row]")
        .unwrap();
    assert_eq!(
        rows.length(),
        20,
        "the first page of the demo's 25 customers"
    );
    let table = host
        .query_selector("[data-testid=customers-table]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(table.contains("Contoso Ltd"), "{table}");
    drop(handle);
}
