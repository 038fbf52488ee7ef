//! The console mounts with its router and shows the shell and the domain's statuses.
#![cfg(target_arch = "wasm32")]

use marketplace_console::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn mount_console() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("section").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), App).forget();
    host
}

#[wasm_bindgen_test]
async fn the_console_shows_its_name_navigation_and_the_statuses_from_the_domain() {
    let host = mount_console();
    leptos::task::tick().await;

    let header = host
        .query_selector("[data-testid=shell-header]")
        .unwrap()
        .expect("the header is rendered");
    let header_text = header.text_content().unwrap();
    assert!(header_text.contains("Marketplace Console"), "{header_text}");
    for link in ["Customers", "Billing", "Activity log"] {
        assert!(
            header_text.contains(link),
            "missing {link} in {header_text}"
        );
    }

    let legend = host
        .query_selector("[data-testid=status-legend]")
        .unwrap()
        .expect("the Customers page is the home page")
        .text_content()
        .unwrap();
    assert!(legend.contains("Action needed"), "{legend}");
    assert!(legend.contains("Expired"), "{legend}");
}
