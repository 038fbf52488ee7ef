//! Marketplace Console's single-page app: its addresses (the router), the shell, the data sources
//! (in-browser engine or server) and one module per page.

mod components;
mod console;
mod html;
mod pages;
mod remote;
mod router;
mod shell;
mod storage;

pub use shell::App;
