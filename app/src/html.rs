//! Read-only tables and charts written as HTML text and set in one DOM call: far less work for the
//! browser than one call per element and text, and far less code than a view per row. Every text
//! that comes from data goes through [`escape`]; links are followed by the router's one listener.

use std::borrow::Cow;

/// `text` with the characters that mean something in HTML written as entities.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}
