//! Reusable pieces of the pages.

mod feedback;
mod pager;
mod status_badge;

pub use feedback::{Blocked, Feedback, FeedbackLine, Notice};
pub use pager::Pager;
pub use status_badge::StatusBadge;
