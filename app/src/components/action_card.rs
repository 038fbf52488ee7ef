use leptos::prelude::*;

use super::{Blocked, Feedback, FeedbackLine, Notice};

/// One action of the detail page as a card: its heading, its controls, the reason it is blocked
/// when it is, and its feedback line. Controls of a blocked card stay reachable with Tab
/// (`aria-disabled`, see [`Gate`]) and point at the reason, so keyboard and screen-reader users
/// learn why; using one tells the reason on the feedback line.
#[component]
pub fn ActionCard(
    /// The name its ids start with (`nickname-card`, `nickname-feedback`, `nickname-blocked`).
    name: &'static str,
    /// The heading.
    title: &'static str,
    /// The card's gate: why it is blocked, and its feedback line.
    gate: Gate,
    children: Children,
) -> impl IntoView {
    // A refusal describes the value it refused: once the user types again, it goes.
    let line = gate.line;
    let typed = move |_| {
        if line.with_untracked(|l| matches!(l, Some(Notice::Error(_)))) {
            line.set(None);
        }
    };
    view! {
        <section class="card" data-testid=format!("{name}-card") aria-label=title on:input=typed>
            <h2>{title}</h2>
            {children()}
            <Blocked reason=gate.reason id=format!("{name}-blocked") />
            <Feedback line=gate.line id=format!("{name}-feedback") />
        </section>
    }
}

/// Whether an action card's controls may be used now, and where their outcome is told.
#[derive(Clone, Copy)]
pub struct Gate {
    /// Why the action is blocked, when it is.
    pub reason: Signal<Option<String>>,
    /// The card's feedback line.
    pub line: FeedbackLine,
    /// The card's name (`nickname`).
    name: &'static str,
}

impl Gate {
    /// The gate of the card `name`, blocked for `reason`.
    pub fn new(name: &'static str, reason: Signal<Option<String>>) -> Gate {
        Gate {
            reason,
            line: RwSignal::new(None),
            name,
        }
    }

    /// `"true"` while blocked, for the controls' `aria-disabled`.
    pub fn aria_disabled(self) -> impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static {
        let reason = self.reason;
        move || reason.with(Option::is_some).then_some("true")
    }

    /// `"true"` while the card's line tells a refusal of what was typed (not a blocked action),
    /// for the field's `aria-invalid`; its `aria-describedby` names that line.
    pub fn aria_invalid(self) -> impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static {
        let (reason, line) = (self.reason, self.line);
        move || {
            let refused = line.with(|l| matches!(l, Some(Notice::Error(_))));
            (refused && reason.with(Option::is_none)).then_some("true")
        }
    }

    /// What the controls' `aria-describedby` names: the feedback line and the reason.
    pub fn described_by(self) -> String {
        format!("{0}-feedback {0}-blocked", self.name)
    }

    /// Whether the action may be used now; if not, tells why on the feedback line.
    pub fn open(self) -> bool {
        match self.reason.get_untracked() {
            None => true,
            Some(reason) => {
                self.line.set(Some(Notice::Error(reason)));
                false
            }
        }
    }
}
