use leptos::prelude::*;

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

/// Shows a control's feedback line.
#[component]
pub fn Feedback(
    /// The line to show.
    line: FeedbackLine,
    /// The id, so the control can point at it with `aria-describedby`.
    #[prop(into)]
    id: String,
) -> impl IntoView {
    view! {
        <p id=id class="feedback" aria-live="polite" data-testid="feedback">
            {move || line.get().map(|notice| match notice {
                Notice::Success(text) => view! { <span class="feedback--success" role="status">"✓ " {text}</span> }.into_any(),
                Notice::Error(text) => view! { <span class="feedback--error" role="alert">{text}</span> }.into_any(),
                Notice::Working(text) => view! {
                    <span class="feedback--working" role="status"><span class="spinner" aria-hidden="true"></span>{text}</span>
                }.into_any(),
            })}
        </p>
    }
}

/// Why a control is not available, next to it, with the `id` the control points at.
#[component]
pub fn Blocked(
    /// The engine's reason, when the control is blocked.
    #[prop(into)]
    reason: Signal<Option<String>>,
    /// The id the control points at with `aria-describedby`.
    #[prop(into)]
    id: String,
) -> impl IntoView {
    move || {
        reason.get().map(|reason| {
            view! {
                <p class="blocked" id=id.clone() data-testid="blocked-reason">
                    <span class="blocked__label">"Not available: "</span>{reason}
                </p>
            }
        })
    }
}
