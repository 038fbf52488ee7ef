use leptos::prelude::*;

use crate::html::escape;

/// The outcome of an action, shown next to its control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// It worked.
    Success(String),
    /// It was refused, with the engine's message.
    Error(String),
    /// It is under way.
    Working(String),
}

impl Notice {
    /// A notice for a command's result: the success text, or the error's message.
    pub fn from_result<T, E: std::fmt::Display>(
        result: &Result<T, E>,
        success: impl Into<String>,
    ) -> Notice {
        match result {
            Ok(_) => Notice::Success(success.into()),
            Err(e) => Notice::Error(e.to_string()),
        }
    }
}

/// The feedback line of one control: announced to screen readers as it changes; errors as alerts.
pub type FeedbackLine = RwSignal<Option<Notice>>;

/// Shows a control's feedback line (its text written as HTML: no view per notice).
#[component]
pub fn Feedback(
    /// The line to show.
    line: FeedbackLine,
    /// The id, so the control can point at it with `aria-describedby`.
    #[prop(into)]
    id: String,
) -> impl IntoView {
    view! {
        <p id=id class="feedback" aria-live="polite" data-testid="feedback" inner_html=move || line.with(notice_html)></p>
    }
}

/// The markup of `Feedback` as HTML, for pages written as HTML: the line with `id`, showing
/// `notice` (see `notice_html`).
pub fn feedback_html(id: &str, notice: &str) -> String {
    format!(
        "<p id=\"{id}\" class=\"feedback\" aria-live=\"polite\" data-testid=\"feedback\">{notice}</p>"
    )
}

/// A notice as HTML: successes and progress as a status, errors as an alert.
pub fn notice_html(notice: &Option<Notice>) -> String {
    match notice {
        Some(Notice::Success(text)) => format!(
            "<span class=\"feedback--success\" role=\"status\">✓ {}</span>",
            escape(text)
        ),
        Some(Notice::Error(text)) => format!(
            "<span class=\"feedback--error\" role=\"alert\">{}</span>",
            escape(text)
        ),
        Some(Notice::Working(text)) => format!(
            "<span class=\"feedback--working\" role=\"status\">\
             <span class=\"spinner\" aria-hidden=\"true\"></span>{}</span>",
            escape(text)
        ),
        None => String::new(),
    }
}

/// Why a control is disabled, next to it (the markup of `html::blocked`, in a wrapper that is
/// there also when nothing is blocked).
#[component]
pub fn Blocked(
    /// The engine's reason, when the control is blocked.
    reason: Signal<Option<String>>,
    /// The id the control points at with `aria-describedby`.
    #[prop(into)]
    id: String,
) -> impl IntoView {
    let text = move || {
        let mut html = String::new();
        reason.with(|r| crate::html::blocked(&mut html, &id, r.as_deref()));
        html
    };
    view! { <div inner_html=text></div> }
}
