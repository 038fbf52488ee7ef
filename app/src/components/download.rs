use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Saves `text` as a UTF-8 CSV file named `name` through the browser's download.
pub fn download_csv(name: &str, text: &str) -> Result<(), JsValue> {
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

/// A button that exports a CSV file made by `make` (which may refuse, with the reason shown).
#[component]
pub fn ExportButton(
    /// The button's words.
    label: &'static str,
    /// The file name.
    #[prop(into)]
    file: Signal<String>,
    /// The test id.
    testid: &'static str,
    /// Makes the file's text.
    make: Callback<(), Result<String, String>>,
) -> impl IntoView {
    let failed = RwSignal::new(None::<String>);
    let export = move |_| failed.set(export_csv(&file.get_untracked(), make));
    view! {
        <button type="button" data-testid=testid on:click=export>{label}</button>
        <span inner_html=move || failed.with(|f| export_failed_html(f.as_deref()))></span>
    }
}

/// Exports the CSV file `file` made by `make`; answers why not when it could not.
pub fn export_csv(file: &str, make: Callback<(), Result<String, String>>) -> Option<String> {
    match make.run(()) {
        Ok(text) => download_csv(file, &text)
            .err()
            .map(|_| "The browser refused the download.".to_owned()),
        Err(reason) => Some(reason),
    }
}

/// Why an export failed, next to its button (HTML; nothing when it did not).
pub fn export_failed_html(reason: Option<&str>) -> String {
    reason
        .map(|reason| {
            format!(
                "<span class=\"feedback feedback--error\" role=\"alert\">{}</span>",
                crate::html::escape(reason)
            )
        })
        .unwrap_or_default()
}
