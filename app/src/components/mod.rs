//! Reusable pieces of the pages.

mod activity_table;
mod download;
mod feedback;
mod pager;
mod sort_header;

pub use activity_table::ActivityTable;
pub use download::ExportButton;
pub use feedback::{Blocked, Feedback, FeedbackLine, Notice};
pub use pager::Pager;
pub use sort_header::{Column, SortableHead};
