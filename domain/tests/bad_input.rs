//! Bad input for every value the console parses: each is refused with a typed error whose message
//! names the field and the rule, and a refused command changes nothing already saved.

mod common;

use common::{World, t0};
use domain::*;

/// Every message must name its field (as the page labels it) and say what the rule is.
fn assert_names(err: &ParseError, field: &str, rule: &str) {
    let text = err.to_string();
    assert!(text.contains(field), "{text:?} should name {field}");
    assert!(text.contains(rule), "{text:?} should say {rule}");
}

#[test]
fn bad_nicknames_are_refused_naming_the_nickname_rule() {
    let cases = [
        ("", "can't be empty"),
        ("    ", "can't be empty"),
        ("\u{0}", "control characters"),
        ("line\nbreak", "control characters"),
    ];
    for (text, rule) in cases {
        assert_names(&Nickname::parse(text).unwrap_err(), "Nickname", rule);
    }
    let long = "x".repeat(101);
    assert_names(
        &Nickname::parse(&long).unwrap_err(),
        "Nickname",
        "at most 100 characters",
    );
}

#[test]
fn bad_quantities_are_refused_naming_the_quantity_rule() {
    let cases = [
        ("", "required"),
        ("abc", "whole number"),
        ("-1", "can't be negative"),
        ("1e3", "whole number"),
        ("2.5", "whole number"),
        ("18446744073709551616", "far above any plan's maximum"),
    ];
    for (text, rule) in cases {
        assert_names(&parse_quantity(text).unwrap_err(), "Quantity", rule);
    }
}

#[test]
fn bad_partner_ids_are_refused_naming_the_partner_id_rule() {
    for text in ["abcde", "1234", "12345678901", "12 34 5"] {
        assert_names(
            &ResellerPartnerId::parse(text).unwrap_err(),
            "PartnerID",
            "5 to 10 digits",
        );
    }
}

#[test]
fn bad_catalog_item_ids_are_refused_naming_the_format() {
    for text in ["", "DZH318Z0BXWC", "DZH318Z0BXWC::", "a:b:c"] {
        assert_names(
            &CatalogItemId::parse(text).unwrap_err(),
            "Catalog item ID",
            "PRODUCT:SKU:AVAILABILITY",
        );
    }
}

#[test]
fn bad_ids_in_urls_are_refused_naming_the_id() {
    assert_names(
        &CustomerId::parse("42").unwrap_err(),
        "Microsoft ID",
        "GUID",
    );
    assert_names(
        &SubscriptionId::parse("3f2504e0-4f89-11d3-9a0c-0305e82c330").unwrap_err(),
        "Subscription ID",
        "GUID",
    );
}

#[test]
fn a_bad_activation_code_is_refused_naming_the_code_rule() {
    let mut w = World::new();
    let publisher = Actor::Publisher("contoso-esign".into());
    for token in ["", "short", "<script>alert(1)</script>", &"A".repeat(41)] {
        let err = w.engine.resolve(&publisher, t0(), token).unwrap_err();
        assert_eq!(err, CommandError::Parse(ParseError::TokenFormat));
        assert!(err.to_string().contains("Activation code"));
    }
}

#[test]
fn unknown_ids_are_not_found_errors_that_name_what_was_missing() {
    let mut w = World::new();
    let admin = w.admin();
    let mut ids = SeededIds::new(9);
    let missing = SubscriptionId::generate(&mut ids);
    let err = w
        .engine
        .change_quantity(&admin, t0(), missing, 3)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("Subscription {missing} was not found.")
    );
    let nobody = CustomerId::generate(&mut ids);
    let line = w.line(
        "DZH318Z0BXWC",
        "0001",
        Term::P1M,
        BillingFrequency::Monthly,
        3,
    );
    let err = w
        .engine
        .create_cart(&admin, t0(), &mut ids, nobody, vec![line])
        .unwrap_err();
    assert_eq!(err.to_string(), format!("Customer {nobody} was not found."));
}

#[test]
fn a_refused_command_changes_nothing_but_the_activity_log() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    let mut before = w.engine.state().clone();
    let attempts: [Result<(), CommandError>; 4] = [
        w.engine.change_quantity(&admin, t0(), id, 0),
        w.engine.change_quantity(&admin, t0(), id, u64::MAX),
        w.engine.set_reseller(
            &admin,
            t0(),
            id,
            Some(ResellerPartnerId::parse("99999").unwrap()),
        ),
        w.engine
            .schedule_change(&admin, t0(), id, Some(PlanId::parse("9999").unwrap()), None),
    ];
    assert!(attempts.iter().all(Result::is_err));
    let mut after = w.engine.state().clone();
    assert_eq!(after.activity.len(), before.activity.len() + 4);
    after.activity.clear();
    before.activity.clear();
    assert_eq!(after, before);
}
