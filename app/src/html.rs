//! Read-only tables and charts written as HTML text and set in one DOM call: far less work for the
//! browser than one call per element and text, and far less code than a view per row. Every text
//! that comes from data goes through [`escape`]; links are followed by the router's one listener.

use std::borrow::Cow;
use std::fmt::Write;

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

/// A subscription's status as a coloured badge.
pub fn status_badge(html: &mut String, status: domain::SubscriptionStatus) {
    let _ = write!(
        html,
        "<span class=\"status-badge status-badge--{}\">{}</span>",
        status.as_str(),
        status.label()
    );
}

/// "Go to publisher's site" for a pending subscription: its personalized link while the code is
/// valid (`href`), or a button asking for a fresh one, whose result is told on `feedback`.
pub fn publisher_link(
    html: &mut String,
    href: Option<&str>,
    id: domain::SubscriptionId,
    feedback: &str,
) {
    html.push_str("<span class=\"publisher-link\">");
    match href {
        Some(href) => {
            let _ = write!(
                html,
                "<a href=\"{}\" target=\"_blank\" rel=\"noopener\" \
                 data-testid=\"go-to-publisher\">Go to publisher's site</a>",
                escape(href)
            );
        }
        None => {
            let _ = write!(
                html,
                "<button type=\"button\" class=\"link-button\" data-testid=\"fresh-link\" \
                 data-subscription=\"{id}\" aria-describedby=\"{feedback}\">\
                 Get a fresh link to the publisher's site</button>"
            );
        }
    }
    html.push_str("</span>");
}

/// Why a control is disabled, with the `id` the control points at (nothing when it is not).
pub fn blocked(html: &mut String, id: &str, reason: Option<&str>) {
    if let Some(reason) = reason {
        let _ = write!(
            html,
            "<p class=\"blocked\" id=\"{id}\" data-testid=\"blocked-reason\">\
             <span class=\"blocked__label\">Not available: </span>{}</p>",
            escape(reason)
        );
    }
}
