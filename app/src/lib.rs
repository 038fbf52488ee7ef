//! Marketplace Console's single-page app: the addresses (router), the shell, the in-browser data source and one
//! module per page.

mod components;
mod console;
mod pages;
mod remote;
mod router;
mod shell;
mod storage;

pub use shell::App;
