//! One module per page of the console.

pub mod activity;
pub mod billing;
pub mod customers;
pub mod not_found;
pub mod subscription_detail;
pub mod subscriptions;
