//! Which servers the console may send a partner's sign-in to: the page's own origin (the server
//! serves the console itself), and the API origins the console was built or deployed with
//! (`MC_API_ORIGINS`, which `scripts/post-build.mjs` writes into the page's
//! `<meta name="mc-api-origins">` and into its Content-Security-Policy's `connect-src`).
//!
//! Any other address — from `?api=`, typed in Settings, or kept from an earlier visit — is refused
//! before anything is sent, so a link cannot make the console hand its token to another server.
//! Pure Rust, no browser calls: tested natively.

use std::fmt;

/// The longest part of a refused address the console repeats in its message; the rest is cut.
const SHOWN_CHARS: usize = 80;

/// The origin `address` names, normalized: `http` or `https` in lower case, `://`, the host in
/// lower case and `:port` unless it is the scheme's default; one trailing `/` is ignored.
/// `None` for anything else: another scheme, credentials, a path, a query or fragment, an empty
/// or malformed host, a port outside 1–65535, an IP version 6 address (a Content-Security-Policy
/// cannot name one) or a host that is not plain ASCII.
pub(crate) fn normalize(address: &str) -> Option<String> {
    let address = address.trim();
    let address = address.strip_suffix('/').unwrap_or(address);
    let (scheme, authority) = address.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let label_ok = |label: &str| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if !host.split('.').all(label_ok) {
        return None;
    }
    let port = match port {
        None => default_port,
        Some(digits)
            if (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) =>
        {
            match digits.parse::<u16>() {
                Ok(0) | Err(_) => return None,
                Ok(port) => port,
            }
        }
        Some(_) => return None,
    };
    let host = host.to_ascii_lowercase();
    Some(if port == default_port {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}:{port}")
    })
}

/// The servers this console may use: its page's own origin, and the API origins it was built or
/// deployed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AllowedServers {
    /// The page's own origin (`location.origin`), normalized.
    own: Option<String>,
    /// The listed API origins, normalized, without the page's own and without repeats.
    listed: Vec<String>,
}

impl AllowedServers {
    /// The servers allowed on a page at `own_origin` whose build listed `listed` (the meta
    /// element's content: origins separated by spaces). An entry that is not an origin is
    /// skipped: it allows nothing.
    pub(crate) fn new(own_origin: &str, listed: &str) -> AllowedServers {
        let own = normalize(own_origin);
        let mut origins: Vec<String> = Vec::new();
        for origin in listed.split_whitespace().filter_map(normalize) {
            if Some(&origin) != own.as_ref() && !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        AllowedServers {
            own,
            listed: origins,
        }
    }

    /// The API base to use for the server at `address`: "" for the page's own server (an empty
    /// address, or the page's origin written out), or the listed origin it names; refused for
    /// anything else.
    pub(crate) fn base_for(&self, address: &str) -> Result<String, NotAllowed> {
        if address.trim().is_empty() {
            return Ok(String::new());
        }
        match normalize(address) {
            Some(origin) if Some(&origin) == self.own.as_ref() => Ok(String::new()),
            Some(origin) if self.listed.contains(&origin) => Ok(origin),
            _ => Err(NotAllowed {
                address: shown(address.trim()),
                allowed: self.describe(),
            }),
        }
    }

    /// The servers allowed, as the console says them: "this page's server" first, then each
    /// listed origin.
    pub(crate) fn describe(&self) -> String {
        std::iter::once("this page's server")
            .chain(self.listed.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `address` as the console repeats it: at most [`SHOWN_CHARS`] characters, cut with "…".
fn shown(address: &str) -> String {
    match address.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &address[..cut]),
        None => address.to_owned(),
    }
}

/// A server the console was not built or deployed to use: nothing is sent to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotAllowed {
    /// The address as it was given (cut when long).
    pub(crate) address: String,
    /// The servers the console may use, as [`AllowedServers::describe`] says them.
    pub(crate) allowed: String,
}

impl fmt::Display for NotAllowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The console was not deployed to use the server at “{}”, so it does not send your sign-in there. It may use only the servers it was deployed with: {}.",
            self.address, self.allowed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalized_to_scheme_host_and_port() {
        for (given, origin) in [
            ("http://127.0.0.1:8081", "http://127.0.0.1:8081"),
            ("http://127.0.0.1:8081/", "http://127.0.0.1:8081"),
            ("  https://API.Example.COM  ", "https://api.example.com"),
            ("HTTPS://api.example.com:443/", "https://api.example.com"),
            ("http://localhost:80", "http://localhost"),
            (
                "https://api.example.com:8443",
                "https://api.example.com:8443",
            ),
            (
                "http://api-1.example.com:08081",
                "http://api-1.example.com:8081",
            ),
            ("http://console", "http://console"),
        ] {
            assert_eq!(normalize(given).as_deref(), Some(origin), "{given}");
        }
    }

    #[test]
    fn anything_but_an_http_origin_is_refused() {
        for given in [
            "",
            "/",
            "127.0.0.1:8081",
            "//evil.example",
            "http:/evil.example",
            "ftp://evil.example",
            "javascript://evil.example",
            "file:///etc",
            "ws://evil.example",
            "http://",
            "http://:8081",
            "https://evil.example/path",
            "https://evil.example//",
            "https://evil.example/?x=1",
            "https://evil.example?x=1",
            "https://evil.example#top",
            "https://user:pass@evil.example",
            "https://user@evil.example",
            "https://api.example.com@evil.example",
            "https://evil.example\\@api.example.com",
            "https://evil .example",
            "https://evil..example",
            "https://.evil.example",
            "https://evil.example.",
            "https://%65vil.example",
            "https://évil.example",
            "http://[::1]:8081",
            "http://evil.example:",
            "http://evil.example:0",
            "http://evil.example:65536",
            "http://evil.example:123456",
            "http://evil.example:80:80",
            "http://evil.example:+80",
        ] {
            assert_eq!(normalize(given), None, "{given:?}");
        }
    }

    fn deployed() -> AllowedServers {
        AllowedServers::new(
            "https://console.example.com",
            " http://127.0.0.1:8081  HTTPS://API.example.com/ not-an-origin https://evil.example/path http://127.0.0.1:8081 https://console.example.com ",
        )
    }

    #[test]
    fn the_list_keeps_each_listed_origin_once_and_skips_what_is_not_one() {
        let allowed = deployed();
        assert_eq!(
            allowed.listed,
            ["http://127.0.0.1:8081", "https://api.example.com"]
        );
        assert_eq!(
            allowed.describe(),
            "this page's server, http://127.0.0.1:8081, https://api.example.com"
        );
        assert_eq!(
            AllowedServers::new("http://127.0.0.1:8080", "").describe(),
            "this page's server"
        );
    }

    #[test]
    fn the_pages_own_server_and_the_listed_ones_are_used() {
        let allowed = deployed();
        assert_eq!(allowed.base_for(""), Ok(String::new()));
        assert_eq!(allowed.base_for("  "), Ok(String::new()));
        assert_eq!(
            allowed.base_for("https://Console.example.com/"),
            Ok(String::new())
        );
        assert_eq!(
            allowed.base_for("http://127.0.0.1:8081/"),
            Ok("http://127.0.0.1:8081".to_owned())
        );
        assert_eq!(
            allowed.base_for("https://api.example.com:443"),
            Ok("https://api.example.com".to_owned())
        );
    }

    #[test]
    fn any_other_server_is_refused_naming_it_and_what_may_be_used() {
        let allowed = deployed();
        for given in [
            "https://evil.example",
            "http://127.0.0.1:8082",
            "https://127.0.0.1:8081",
            "http://api.example.com",
            "https://api.example.com/v1",
            "https://api.example.com.evil.example",
            "https://user@api.example.com",
            "not-an-origin",
        ] {
            let refused = allowed.base_for(given).expect_err(given);
            assert_eq!(refused.address, given);
            assert_eq!(
                refused.to_string(),
                format!(
                    "The console was not deployed to use the server at “{given}”, so it does not send your sign-in there. It may use only the servers it was deployed with: this page's server, http://127.0.0.1:8081, https://api.example.com."
                )
            );
        }
    }

    #[test]
    fn with_nothing_listed_only_the_pages_own_server_is_used() {
        let allowed = AllowedServers::new("http://127.0.0.1:8080", "");
        assert_eq!(allowed.base_for("http://127.0.0.1:8080"), Ok(String::new()));
        let refused = allowed.base_for("http://127.0.0.1:8081").unwrap_err();
        assert!(
            refused
                .to_string()
                .ends_with("It may use only the servers it was deployed with: this page's server."),
            "{refused}"
        );
    }

    #[test]
    fn a_long_refused_address_is_cut_in_the_message() {
        let long = format!("https://evil.example/{}", "a".repeat(200));
        let refused = AllowedServers::new("http://127.0.0.1:8080", "")
            .base_for(&long)
            .unwrap_err();
        assert_eq!(refused.address.chars().count(), SHOWN_CHARS + 1);
        assert!(refused.address.ends_with('…'));
        assert!(long.starts_with(refused.address.trim_end_matches('…')));
    }
}
