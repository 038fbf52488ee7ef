//! Reusable pieces of the pages.

pub mod activity_table;
mod download;
mod feedback;
mod pager;
mod parts;
mod sort_header;

pub use activity_table::ActivityTable;
pub use download::{ExportButton, export_csv, export_failed_html};
pub use feedback::{Blocked, Feedback, FeedbackLine, Notice, feedback_html, notice_html};
pub use pager::{Pager, page_asked, pager_html};
pub use parts::{Parts, button_testid, clicked_button, target};
pub use sort_header::{Column, SortableHead, column_asked, head_html, show_sorted};
