//! What the server and the console parse from requests: command and journal JSON, cart lines,
//! and the typed values (nickname, quantity, PartnerID, catalog item id, ids). Parsing never
//! panics, and whatever is accepted keeps its rule and serializes back to the same value.
#![no_main]

use domain::{
    CartLine, CatalogItemId, Command, CustomerId, Entry, Nickname, ResellerPartnerId,
    SubscriptionId, parse_quantity,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(command) = serde_json::from_slice::<Command>(data) {
        let again: Command =
            serde_json::from_str(&serde_json::to_string(&command).unwrap()).unwrap();
        assert_eq!(again, command);
    }
    let _ = serde_json::from_slice::<Entry>(data);
    let _ = serde_json::from_slice::<CartLine>(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(name) = Nickname::parse(text) {
        let n = name.as_str();
        assert!(!n.is_empty() && n.chars().count() <= 100);
        assert!(!n.chars().any(char::is_control));
        assert_eq!(n, n.trim());
    }
    if let Ok(q) = parse_quantity(text) {
        assert!(q <= u64::from(u32::MAX));
    }
    if let Ok(id) = ResellerPartnerId::parse(text) {
        assert!((5..=10).contains(&id.as_str().len()));
        assert!(id.as_str().bytes().all(|b| b.is_ascii_digit()));
    }
    if let Ok(item) = CatalogItemId::parse(text) {
        assert_eq!(CatalogItemId::parse(&item.to_string()).unwrap(), item);
    }
    if let Ok(id) = SubscriptionId::parse(text) {
        assert_eq!(SubscriptionId::parse(&id.to_string()).unwrap(), id);
    }
    let _ = CustomerId::parse(text);
});
