use std::pin::Pin;

use domain::Read;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

use crate::source::{Refusal, use_source};

/// Saves `text` as a UTF-8 CSV file named `name` through the browser's download.
fn download_csv(name: &str, text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let document = window
        .document()
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// A button that downloads the CSV file a read answers (which may refuse, with the reason shown
/// next to the button).
#[component]
pub fn ExportButton<R: Read<Answer = String>>(
    /// The button's words.
    label: &'static str,
    /// The file name.
    #[prop(into)]
    file: Signal<String>,
    /// The test id.
    testid: &'static str,
    /// The read whose answer is the file (`None` while there is nothing to export).
    read: Signal<Option<R>>,
) -> impl IntoView {
    let source = use_source();
    let export: Export = Box::new(move || {
        let read = read.get_untracked()?;
        Some(Box::pin(source.read(read)))
    });
    export_button(label, file, testid, export)
}

/// Asks for the file's text: `None` while there is nothing to export.
type Export = Box<dyn Fn() -> Option<Pin<Box<dyn Future<Output = Result<String, Refusal>>>>>>;

/// The button and the reason a download failed, built once for every kind of export.
fn export_button(
    label: &'static str,
    file: Signal<String>,
    testid: &'static str,
    export: Export,
) -> impl IntoView {
    let failed = RwSignal::new(None::<String>);
    let export = move |_| {
        let (Some(text), file) = (export(), file.get_untracked()) else {
            return;
        };
        spawn_local(async move {
            failed.set(match text.await {
                Ok(text) => download_csv(&file, &text)
                    .err()
                    .map(|_| "The browser refused the download.".to_owned()),
                Err(refusal) => Some(refusal.message),
            });
        });
    };
    view! {
        <button type="button" data-testid=testid on:click=export>{label}</button>
        {move || failed.get().map(|reason| view! { <span class="feedback feedback--error" role="alert">{reason}</span> })}
    }
}
