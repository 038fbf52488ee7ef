//! Marketplace Console's single-page app: its addresses (the router), the shell, the data source
//! (in-browser engine or server) and one module per page.

mod components;
mod pages;
mod router;
mod shell;
mod source;
mod storage;

pub use shell::App;
