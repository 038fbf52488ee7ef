//! Reusable pieces of the pages.

mod action_card;
mod activity_table;
mod download;
mod feedback;
mod page_title;
mod pager;
mod sort_header;
mod status;

pub use action_card::{ActionCard, Gate};
pub use activity_table::{ActivityTable, Subjects};
pub use download::ExportButton;
pub use feedback::{Blocked, Feedback, FeedbackLine, Notice};
pub use page_title::PageTitle;
pub use pager::Pager;
pub use sort_header::{Column, SortableHead};
pub use status::{PublisherLink, StatusBadge};
