//! Reusable pieces of the pages.

pub mod activity_table;
mod download;
mod feedback;
mod pager;
mod sort_header;

pub use activity_table::ActivityTable;
pub use download::ExportButton;
pub use feedback::{Blocked, Feedback, FeedbackLine, Notice, feedback_html, notice_html};
pub use pager::Pager;
pub use sort_header::{Column, SortableHead};
