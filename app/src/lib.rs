//! Marketplace Console's single-page app: the router, the shell and one module per page.

mod pages;
mod shell;

pub use shell::App;
