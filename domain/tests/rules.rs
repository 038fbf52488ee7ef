//! One test per rule of the domain reference (roles, catalog, purchase, activation, statuses,
//! updates, cancellation windows, billing, time, activity log, persistence), named as the rule.

mod common;

use chrono::TimeDelta;
use common::{World, at, t0};
use domain::*;

fn hours(h: i64) -> TimeDelta {
    TimeDelta::hours(h)
}

// §1 Roles ---------------------------------------------------------------------------------------

#[test]
fn a_sales_agent_cannot_update_a_subscription_and_is_told_the_seed_note() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    let sales = w.user(Role::SalesAgent);
    let err = w.engine.change_quantity(&sales, t0(), id, 6).unwrap_err();
    assert_eq!(err, CommandError::Denied(Denied::SalesAgentRestriction));
    let text = err.to_string();
    assert!(text.contains("Temporarily, persons with the Sales agent role cannot update"));
    assert!(text.contains("ask an Admin agent"));
    assert!(text.contains("Sales agents can still buy new subscriptions"));
    assert_eq!(w.sub(id).quantity, 5, "nothing changed");
}

#[test]
fn a_sales_agent_can_still_buy_new_subscriptions() {
    let mut w = World::new();
    let sales = w.user(Role::SalesAgent);
    let line = w.line(
        "DZH318Z0BXWC",
        "0001",
        Term::P1M,
        BillingFrequency::Monthly,
        3,
    );
    let customer = w.customer;
    let cart = w
        .engine
        .create_cart(&sales, t0(), &mut w.ids, customer, vec![line])
        .unwrap();
    let order = w
        .engine
        .checkout(&sales, t0(), &mut w.ids, customer, cart)
        .unwrap();
    assert_eq!(order.lines.len(), 1);
}

#[test]
fn turning_the_sales_agent_restriction_off_lets_sales_agents_update() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    let admin = w.user(Role::GlobalAdmin);
    let policy = Policy {
        sales_agent_saas_update_restriction: false,
        ..Policy::default()
    };
    w.engine.set_policy(&admin, t0(), policy).unwrap();
    let sales = w.user(Role::SalesAgent);
    w.engine.change_quantity(&sales, t0(), id, 6).unwrap();
    assert_eq!(w.sub(id).quantity, 6);
}

#[test]
fn helpdesk_and_billing_admins_cannot_buy_or_update() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    for role in [Role::HelpdeskAgent, Role::BillingAdmin] {
        let actor = w.user(role);
        let err = w
            .engine
            .set_auto_renew(&actor, t0(), id, false)
            .unwrap_err();
        assert!(matches!(err, CommandError::Denied(Denied::Role { role: r, .. }) if r == role));
        let line = w.line(
            "DZH318Z0BXWC",
            "0001",
            Term::P1M,
            BillingFrequency::Monthly,
            3,
        );
        let customer = w.customer;
        let err = w
            .engine
            .create_cart(&actor, t0(), &mut w.ids, customer, vec![line])
            .unwrap_err();
        assert!(err.is_denial(), "{role:?}: {err}");
    }
}

// §2 Catalog ------------------------------------------------------------------------------------

#[test]
fn an_offer_unavailable_in_the_customers_country_cannot_be_bought() {
    let mut w = World::new();
    let admin = w.admin();
    let line = w.line(
        "ADIDGUARD001",
        "0001",
        Term::P1Y,
        BillingFrequency::Annual,
        30,
    );
    let other = w.other_customer; // in CN
    let err = w
        .engine
        .create_cart(&admin, t0(), &mut w.ids, other, vec![line])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Line 1: Adatum Identity Guard isn't available for customers in CN."
    );
}

#[test]
fn an_offer_limited_to_one_per_customer_cannot_be_bought_twice() {
    let mut w = World::new();
    let line = w.line(
        "FBK7BACKUP01",
        "0001",
        Term::P1M,
        BillingFrequency::Monthly,
        10,
    );
    w.buy_lines(t0(), vec![line.clone()]).unwrap();
    let err = w.buy_lines(t0(), vec![line]).unwrap_err();
    assert!(matches!(
        err,
        CommandError::Purchase(PurchaseError::OnePerCustomer { line: 1, .. })
    ));
}

#[test]
fn a_price_option_the_plan_does_not_sell_is_refused() {
    let mut w = World::new();
    // Contoso Sign Standard has no three-year term.
    let line = w.line(
        "DZH318Z0BXWC",
        "0001",
        Term::P3Y,
        BillingFrequency::OneTime,
        3,
    );
    let err = w.buy_lines(t0(), vec![line]).unwrap_err();
    assert!(matches!(
        err,
        CommandError::Purchase(PurchaseError::NotInCatalog { line: 1, .. })
    ));
}

// §3 Purchase -----------------------------------------------------------------------------------

#[test]
fn checkout_creates_one_order_with_numbered_lines_each_a_pending_subscription_and_no_charge() {
    let mut w = World::new();
    let a = w.line(
        "DZH318Z0BXWC",
        "0001",
        Term::P1M,
        BillingFrequency::Monthly,
        3,
    );
    let b = w.line(
        "NWHELPDESK01",
        "0001",
        Term::P1M,
        BillingFrequency::Monthly,
        2,
    );
    let order = w.buy_lines(t0(), vec![a, b]).unwrap();
    assert_eq!(
        order.lines.iter().map(|l| l.number).collect::<Vec<_>>(),
        [0, 1]
    );
    for line in &order.lines {
        let sub = w.sub(line.subscription);
        assert_eq!(sub.status, SubscriptionStatus::Pending);
        assert_eq!(sub.status.label(), "Action needed");
        assert_eq!(sub.order_id, order.id);
    }
    assert!(w.engine.state().charges.is_empty());
    // The activity log counts the lines from 1, as people do.
    let logged: Vec<String> = w
        .engine
        .activity(&ActivityFilter::default())
        .iter()
        .filter_map(|e| e.new.clone())
        .filter(|text| text.starts_with(&format!("Order {}", order.id)))
        .collect();
    assert_eq!(logged.len(), 2, "{logged:?}");
    assert!(
        logged.iter().any(|t| t.contains("line 1: 3 ×")),
        "{logged:?}"
    );
    assert!(
        logged.iter().any(|t| t.contains("line 2: 2 ×")),
        "{logged:?}"
    );
}

#[test]
fn a_purchase_quantity_outside_the_plan_bounds_is_error_2002() {
    let mut w = World::new();
    // Business Pro sells 5 to 1,000 licenses.
    let line = w.line(
        "DZH318Z0BXWC",
        "0002",
        Term::P1M,
        BillingFrequency::Monthly,
        4,
    );
    let err = w.buy_lines(t0(), vec![line]).unwrap_err();
    assert_eq!(err.code(), Some(2002));
    assert_eq!(
        err.to_string(),
        "Line 1: Quantity must be between 5 and 1000 for Business Pro (it is 4)."
    );
}

#[test]
fn a_cart_cannot_be_checked_out_twice() {
    let mut w = World::new();
    let admin = w.admin();
    let customer = w.customer;
    let line = w.line(
        "DZH318Z0BXWC",
        "0001",
        Term::P1M,
        BillingFrequency::Monthly,
        3,
    );
    let cart = w
        .engine
        .create_cart(&admin, t0(), &mut w.ids, customer, vec![line])
        .unwrap();
    w.engine
        .checkout(&admin, t0(), &mut w.ids, customer, cart)
        .unwrap();
    let err = w
        .engine
        .checkout(&admin, t0(), &mut w.ids, customer, cart)
        .unwrap_err();
    assert!(matches!(
        err,
        CommandError::Purchase(PurchaseError::AlreadyCheckedOut { .. })
    ));
    assert_eq!(w.engine.state().orders.len(), 1);
}

// §4 Activation ---------------------------------------------------------------------------------

#[test]
fn the_activation_link_is_the_publisher_landing_url_with_the_code() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 3);
    let helpdesk = w.user(Role::HelpdeskAgent);
    let link = w
        .engine
        .activation_link(&helpdesk, t0(), &mut w.ids, id)
        .unwrap();
    assert_eq!(
        link.uri,
        format!("/publisher/contoso-esign/landing?token={}", link.code)
    );
    assert_eq!(link.expires_at, t0() + hours(24));
    assert!(!link.refreshed);
}

#[test]
fn the_publisher_address_is_offered_only_while_the_code_is_valid_and_the_subscription_waits() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 3);
    let admin = w.admin();
    let link = w
        .engine
        .activation_link(&admin, t0(), &mut w.ids, id)
        .unwrap();
    assert_eq!(
        w.engine.valid_activation_uri(id, t0()),
        Some(link.uri.clone())
    );
    assert_eq!(
        w.engine
            .valid_activation_uri(id, link.expires_at - TimeDelta::seconds(1)),
        Some(link.uri)
    );
    assert_eq!(
        w.engine.valid_activation_uri(id, link.expires_at),
        None,
        "expired"
    );
    let later = t0() + hours(25);
    let fresh = w
        .engine
        .activation_link(&admin, later, &mut w.ids, id)
        .unwrap();
    assert_eq!(w.engine.valid_activation_uri(id, later), Some(fresh.uri));

    let active = w.buy_monthly(t0(), 2);
    w.activate(active, t0() + hours(1));
    assert_eq!(
        w.engine.valid_activation_uri(active, t0() + hours(2)),
        None,
        "active"
    );
}

#[test]
fn resolving_a_code_tells_the_publisher_the_subscription_offer_plan_and_quantity() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 3);
    let admin = w.admin();
    let code = w
        .engine
        .activation_link(&admin, t0(), &mut w.ids, id)
        .unwrap()
        .code;
    let publisher = w.publisher_of(id);
    let resolved = w
        .engine
        .resolve(&publisher, t0() + hours(1), &code)
        .unwrap();
    assert_eq!(resolved.subscription, id);
    assert_eq!(resolved.offer_name, "Contoso Sign");
    assert_eq!(resolved.plan_id, "0001");
    assert_eq!(resolved.quantity, 3);
    assert_eq!(resolved.customer_name, "Contoso Ltd");
}

#[test]
fn an_activation_code_expires_after_24_hours_and_a_fresh_link_replaces_it() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 3);
    let admin = w.admin();
    let publisher = w.publisher_of(id);
    let old = w
        .engine
        .activation_link(&admin, t0(), &mut w.ids, id)
        .unwrap();
    let later = t0() + hours(25);
    let err = w.engine.resolve(&publisher, later, &old.code).unwrap_err();
    assert!(matches!(
        err,
        CommandError::Activation(ActivationError::ExpiredCode { .. })
    ));
    assert!(err.to_string().contains("Get a fresh link"));

    let fresh = w
        .engine
        .activation_link(&admin, later, &mut w.ids, id)
        .unwrap();
    assert!(fresh.refreshed);
    assert_ne!(fresh.code, old.code);
    assert_eq!(fresh.expires_at, later + hours(24));
    let err = w.engine.resolve(&publisher, later, &old.code).unwrap_err();
    assert_eq!(err, CommandError::Activation(ActivationError::UnknownCode));
    assert!(w.engine.resolve(&publisher, later, &fresh.code).is_ok());
}

#[test]
fn the_link_of_a_cancelled_subscription_says_it_can_no_longer_be_set_up() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 3);
    let admin = w.admin();
    let code = w
        .engine
        .activation_link(&admin, t0(), &mut w.ids, id)
        .unwrap()
        .code;
    w.engine.cancel(&admin, t0() + hours(1), id, true).unwrap();
    let publisher = w.publisher_of(id);
    let err = w
        .engine
        .resolve(&publisher, t0() + hours(2), &code)
        .unwrap_err();
    assert_eq!(
        err,
        CommandError::Activation(ActivationError::NotPending {
            status: SubscriptionStatus::Cancelled
        })
    );
    assert!(err.to_string().contains("Cancelled"), "{err}");
}

#[test]
fn a_garbage_activation_code_is_a_format_error() {
    let mut w = World::new();
    let publisher = Actor::Publisher("contoso-esign".into());
    let err = w
        .engine
        .resolve(&publisher, t0(), "not a code")
        .unwrap_err();
    assert_eq!(err, CommandError::Parse(ParseError::TokenFormat));
}

#[test]
fn licenses_cannot_exceed_the_purchased_quantity() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    let publisher = w.publisher_of(id);
    let emails: Vec<String> = ["a@x.com", "b@x.com", "c@x.com"].map(String::from).into();
    let err = w
        .engine
        .assign_licenses(&publisher, t0(), id, &emails)
        .unwrap_err();
    assert!(matches!(
        err,
        CommandError::Activation(ActivationError::TooManyLicenses {
            assigned: 3,
            quantity: 2
        })
    ));
}

#[test]
fn activation_needs_assigned_licenses_and_the_purchased_plan_and_quantity() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    let publisher = w.publisher_of(id);
    let err = w
        .engine
        .activate(&publisher, t0(), id, "0001", 2)
        .unwrap_err();
    assert_eq!(err, CommandError::Activation(ActivationError::NoLicenses));
    w.engine
        .assign_licenses(&publisher, t0(), id, &["a@x.com".into()])
        .unwrap();
    let err = w
        .engine
        .activate(&publisher, t0(), id, "0002", 2)
        .unwrap_err();
    assert!(matches!(
        err,
        CommandError::Activation(ActivationError::Mismatch { field: "plan", .. })
    ));
    let err = w
        .engine
        .activate(&publisher, t0(), id, "0001", 3)
        .unwrap_err();
    assert!(matches!(
        err,
        CommandError::Activation(ActivationError::Mismatch {
            field: "quantity",
            ..
        })
    ));
    assert_eq!(w.sub(id).status, SubscriptionStatus::Pending);
}

#[test]
fn activation_starts_the_term_and_billing_now() {
    let mut w = World::new();
    let bought = t0() - hours(30);
    let id = w.buy_monthly(bought, 5);
    assert!(w.charges_of(id).is_empty());
    w.activate(id, t0());
    let sub = w.sub(id);
    assert_eq!(sub.status, SubscriptionStatus::Active);
    assert_eq!(sub.activated_at, Some(t0()));
    assert_eq!(sub.term_end(), Some(at("2026-04-11T23:59:59Z")));
    let charges = w.charges_of(id);
    assert_eq!(charges.len(), 1);
    assert_eq!(charges[0].charge_type, ChargeType::New);
    assert_eq!(charges[0].amount, Money::new(5 * 1200, Currency::USD));
    assert_eq!(charges[0].posted_at, t0());
}

#[test]
fn an_annual_term_ends_the_day_before_its_anniversary() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 5);
    w.activate(id, t0());
    assert_eq!(w.sub(id).term_end(), Some(at("2027-03-11T23:59:59Z")));
}

#[test]
fn activating_twice_is_error_800041() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    w.activate(id, t0());
    let publisher = w.publisher_of(id);
    let err = w
        .engine
        .activate(&publisher, t0(), id, "0001", 2)
        .unwrap_err();
    assert_eq!(err.code(), Some(800041));
    assert_eq!(err.to_string(), "This item has already been activated.");
}

#[test]
fn another_publisher_cannot_activate_a_subscription() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    let stranger = Actor::Publisher("fabrikam-dp".into());
    let err = w
        .engine
        .activate(&stranger, t0(), id, "0001", 2)
        .unwrap_err();
    assert_eq!(err, CommandError::Denied(Denied::OtherPublisher));
}

#[test]
fn setup_tasks_are_recorded_with_who_and_when() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    let sales = w.user(Role::SalesAgent);
    w.engine
        .record_setup_task(
            &sales,
            t0() + hours(1),
            id,
            SetupTask::SubmittedInformation,
            true,
        )
        .unwrap();
    let record = &w.sub(id).setup_tasks[0];
    assert_eq!(record.task, SetupTask::SubmittedInformation);
    assert_eq!(record.by, "Sales agent");
    assert_eq!(record.at, t0() + hours(1));
}

// §5 Statuses -----------------------------------------------------------------------------------

#[test]
fn updating_before_activation_is_error_800081() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    let admin = w.admin();
    let err = w.engine.change_quantity(&admin, t0(), id, 3).unwrap_err();
    assert_eq!(err.code(), Some(800081));
    assert_eq!(
        err.to_string(),
        "Cannot update a subscription before activating it. Complete the setup on the publisher's site first."
    );
}

#[test]
fn a_cancelled_subscription_cannot_be_changed_again() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    let admin = w.admin();
    w.engine.cancel(&admin, t0(), id, true).unwrap();
    let err = w.engine.set_auto_renew(&admin, t0(), id, true).unwrap_err();
    assert_eq!(
        err,
        CommandError::Update(UpdateError::Terminal {
            status: SubscriptionStatus::Cancelled
        })
    );
}

#[test]
fn the_publisher_can_suspend_and_reinstate_and_a_suspended_subscription_cannot_be_updated() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    w.activate(id, t0());
    let publisher = w.publisher_of(id);
    w.engine.suspend(&publisher, t0(), id).unwrap();
    assert_eq!(w.sub(id).status, SubscriptionStatus::Suspended);
    let admin = w.admin();
    let err = w.engine.change_quantity(&admin, t0(), id, 3).unwrap_err();
    assert_eq!(err, CommandError::Update(UpdateError::Suspended));
    w.engine.reinstate(&publisher, t0(), id).unwrap();
    assert_eq!(w.sub(id).status, SubscriptionStatus::Active);
}

// §6 Updates ------------------------------------------------------------------------------------

#[test]
fn renaming_changes_the_nickname_and_an_unchanged_nickname_is_refused() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    w.activate(id, t0());
    let admin = w.admin();
    let name = Nickname::parse("  Finance team ").unwrap();
    w.engine.rename(&admin, t0(), id, name.clone()).unwrap();
    assert_eq!(w.sub(id).nickname.as_str(), "Finance team");
    let err = w.engine.rename(&admin, t0(), id, name).unwrap_err();
    assert!(matches!(
        err,
        CommandError::Update(UpdateError::Unchanged {
            field: "Nickname",
            ..
        })
    ));
}

#[test]
fn a_quantity_above_the_plan_maximum_is_rejected_with_2002_and_nothing_changes() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    w.activate(id, t0());
    let admin = w.admin();
    let err = w.engine.change_quantity(&admin, t0(), id, 501).unwrap_err();
    assert_eq!(err.code(), Some(2002));
    assert_eq!(
        err.to_string(),
        "Quantity must be between 1 and 500 for Standard (you entered 501)."
    );
    assert_eq!(w.sub(id).quantity, 2);
    assert_eq!(w.charges_of(id).len(), 1);
}

#[test]
fn adding_licenses_is_charged_for_the_rest_of_the_billing_period_rounded_down() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    // Period 12 Mar – 11 Apr is 31 days; from 22 Mar 21 remain: 3 × $10.00 × 21 / 31 = $20.3225…
    w.engine
        .change_quantity(&admin, at("2026-03-22T10:00:00Z"), id, 8)
        .unwrap();
    let add = *w.charges_of(id).last().unwrap();
    assert_eq!(add.charge_type, ChargeType::AddQuantity);
    assert_eq!(add.quantity, 3);
    assert_eq!(add.amount, Money::new(2032, Currency::USD));
    assert_eq!(add.period_end, at("2026-04-11T23:59:59Z"));
}

#[test]
fn removing_licenses_is_a_prorated_credit() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 8);
    w.activate(id, t0());
    let admin = w.admin();
    w.engine
        .change_quantity(&admin, at("2026-03-22T10:00:00Z"), id, 6)
        .unwrap();
    let credit = *w.charges_of(id).last().unwrap();
    assert_eq!(credit.charge_type, ChargeType::RemoveQuantity);
    // 2 × $10.00 × 21 / 31 = $13.548…, credited as $13.54.
    assert_eq!(credit.amount, Money::new(-1354, Currency::USD));
}

#[test]
fn a_pending_subscription_can_be_cancelled_and_nothing_is_billed() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    let admin = w.admin();
    w.engine
        .cancel(&admin, t0() + hours(100), id, true)
        .unwrap();
    assert_eq!(w.sub(id).status, SubscriptionStatus::Cancelled);
    assert!(w.charges_of(id).is_empty());
}

#[test]
fn cancelling_within_the_window_refunds_the_current_term_in_full() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    w.engine
        .change_quantity(&admin, t0() + hours(2), id, 7)
        .unwrap();
    w.engine.cancel(&admin, t0() + hours(48), id, true).unwrap();
    let charges = w.charges_of(id);
    let refund = charges.last().unwrap();
    assert_eq!(refund.charge_type, ChargeType::Cancel);
    let total: i64 = charges.iter().map(|c| c.amount.minor).sum();
    assert_eq!(total, 0, "the refund equals everything charged this term");
    assert_eq!(w.sub(id).status, SubscriptionStatus::Cancelled);
}

#[test]
fn the_seed_window_for_a_monthly_term_is_24_hours() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    w.activate(id, t0());
    let until = w.engine.cancellation_allowed_until(w.sub(id));
    assert_eq!(until, Some(at("2026-03-13T14:05:00Z")));
}

#[test]
fn the_seed_window_for_an_annual_term_is_14_days() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 2);
    w.activate(id, t0());
    let until = w.engine.cancellation_allowed_until(w.sub(id));
    assert_eq!(until, Some(at("2026-03-26T14:05:00Z")));
}

#[test]
fn the_current_preset_gives_72_hours_for_every_term() {
    let mut w = World::new();
    let ga = w.user(Role::GlobalAdmin);
    let policy = Policy {
        cancellation_window: WindowPreset::Current,
        ..Policy::default()
    };
    w.engine.set_policy(&ga, t0(), policy).unwrap();
    let id = w.buy_annual(t0(), 2);
    w.activate(id, t0());
    let until = w.engine.cancellation_allowed_until(w.sub(id));
    assert_eq!(until, Some(t0() + hours(72)));
}

#[test]
fn after_the_window_cancel_is_refused_with_the_date_it_closed_and_the_auto_renew_advice() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    w.activate(id, t0());
    let admin = w.admin();
    let err = w
        .engine
        .cancel(&admin, t0() + hours(25), id, true)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "The cancellation window closed on 13 Mar 2026 14:05 UTC; turn off auto-renew to end it at term end."
    );
    assert_eq!(w.sub(id).status, SubscriptionStatus::Active);
}

#[test]
fn the_publishers_steps_must_be_confirmed_before_cancelling_and_the_confirmation_is_recorded() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    w.activate(id, t0());
    let admin = w.admin();
    let err = w.engine.cancel(&admin, t0(), id, false).unwrap_err();
    assert!(matches!(
        err,
        CommandError::Update(UpdateError::PublisherStepsNotConfirmed { .. })
    ));
    assert!(
        err.to_string()
            .contains("Export or archive the signed documents")
    );
    w.engine.cancel(&admin, t0(), id, true).unwrap();
    let confirmation = w.sub(id).steps_confirmation.clone().unwrap();
    assert_eq!(confirmation.by, "Admin agent");
    assert_eq!(confirmation.at, t0());
}

#[test]
fn an_offer_without_publisher_steps_cancels_without_confirmation() {
    let mut w = World::new();
    let line = w.line(
        "NWHELPDESK01",
        "0001",
        Term::P1M,
        BillingFrequency::Monthly,
        2,
    );
    let id = w.buy_lines(t0(), vec![line]).unwrap().lines[0].subscription;
    w.activate(id, t0());
    let admin = w.admin();
    w.engine.cancel(&admin, t0(), id, false).unwrap();
    assert_eq!(w.sub(id).status, SubscriptionStatus::Cancelled);
}

#[test]
fn with_auto_renew_on_a_new_term_starts_at_term_end_and_is_charged_renew() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    let report = w.engine.advance_clock(at("2026-04-12T00:00:01Z"));
    assert_eq!(report.renewed, vec![id]);
    let sub = w.sub(id);
    assert_eq!(sub.status, SubscriptionStatus::Active);
    assert_eq!(sub.term_end(), Some(at("2026-05-11T23:59:59Z")));
    let renew = *w.charges_of(id).last().unwrap();
    assert_eq!(renew.charge_type, ChargeType::Renew);
    assert_eq!(renew.amount, Money::new(6000, Currency::USD));
    assert_eq!(renew.period_start, at("2026-04-12T00:00:00Z"));
}

#[test]
fn with_auto_renew_off_the_subscription_expires_at_term_end() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    w.engine
        .set_auto_renew(&admin, t0() + hours(30), id, false)
        .unwrap();
    let report = w.engine.advance_clock(at("2026-04-11T23:59:58Z"));
    assert!(report.expired.is_empty(), "still inside its term");
    let report = w.engine.advance_clock(at("2026-04-12T08:00:00Z"));
    assert_eq!(report.expired, vec![id]);
    let sub = w.sub(id);
    assert_eq!(sub.status, SubscriptionStatus::Expired);
    assert_eq!(sub.ended_at, Some(at("2026-04-11T23:59:59Z")));
    assert_eq!(w.charges_of(id).len(), 1, "no renewal charge");
}

#[test]
fn a_valid_authorized_reseller_partner_id_is_set_and_empty_clears_it() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    w.activate(id, t0());
    let admin = w.admin();
    let pid = ResellerPartnerId::parse("4711002").unwrap();
    w.engine
        .set_reseller(&admin, t0(), id, Some(pid.clone()))
        .unwrap();
    assert_eq!(w.sub(id).reseller, Some(pid.clone()));
    // Listed with the reseller's name; "—" once cleared.
    let partner = &w.engine.state().partner;
    let name = &partner.reseller(&pid).expect("one of the partner's").name;
    assert_eq!(
        partner.reseller_label(Some(&pid)),
        format!("4711002 · {name}")
    );
    w.engine.set_reseller(&admin, t0(), id, None).unwrap();
    assert_eq!(w.sub(id).reseller, None);
    assert_eq!(w.engine.state().partner.reseller_label(None), "—");
}

#[test]
fn an_unknown_partner_id_is_800015_and_an_unauthorized_one_800016() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 2);
    w.activate(id, t0());
    let admin = w.admin();
    let unknown = ResellerPartnerId::parse("99999999").unwrap();
    let err = w
        .engine
        .set_reseller(&admin, t0(), id, Some(unknown))
        .unwrap_err();
    assert_eq!(err.code(), Some(800015));
    let ended = ResellerPartnerId::parse("1234567").unwrap();
    let err = w
        .engine
        .set_reseller(&admin, t0(), id, Some(ended))
        .unwrap_err();
    assert_eq!(err.code(), Some(800016));
    assert_eq!(w.sub(id).reseller, None);
}

#[test]
fn a_direct_bill_partner_has_no_indirect_reseller_to_set() {
    let mut w = World::with_kind(PartnerKind::DirectBill);
    let id = w.buy_monthly(t0(), 2);
    w.activate(id, t0());
    let admin = w.admin();
    let pid = ResellerPartnerId::parse("4711002").unwrap();
    let err = w
        .engine
        .set_reseller(&admin, t0(), id, Some(pid))
        .unwrap_err();
    assert_eq!(err, CommandError::Update(UpdateError::NoIndirectResellers));
}

#[test]
fn a_scheduled_billing_frequency_change_applies_at_renewal() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    w.engine
        .schedule_change(&admin, t0(), id, None, Some(BillingFrequency::Annual))
        .unwrap();
    assert_eq!(
        w.sub(id).billing,
        BillingFrequency::Monthly,
        "not before renewal"
    );
    w.engine.advance_clock(at("2027-03-12T01:00:00Z"));
    let sub = w.sub(id);
    assert_eq!(sub.billing, BillingFrequency::Annual);
    assert_eq!(sub.scheduled, None);
    let renew = *w.charges_of(id).last().unwrap();
    assert_eq!(renew.charge_type, ChargeType::Renew);
    assert_eq!(renew.amount, Money::new(5 * 11_400, Currency::USD));
    assert_eq!(renew.period_end, at("2028-03-11T23:59:59Z"));
}

#[test]
fn a_scheduled_plan_change_applies_at_renewal_as_a_convert_charge() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    let pro = PlanId::parse("0002").unwrap();
    w.engine
        .schedule_change(&admin, t0(), id, Some(pro), None)
        .unwrap();
    w.engine.advance_clock(at("2027-03-12T01:00:00Z"));
    let sub = w.sub(id);
    assert_eq!(sub.item.plan.as_str(), "0002");
    let convert = *w.charges_of(id).last().unwrap();
    assert_eq!(convert.charge_type, ChargeType::Convert);
    assert_eq!(convert.amount, Money::new(5 * 2100, Currency::USD));
}

#[test]
fn a_plan_change_that_the_quantity_does_not_fit_is_refused() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 3);
    w.activate(id, t0());
    let admin = w.admin();
    let pro = PlanId::parse("0002").unwrap();
    let err = w
        .engine
        .schedule_change(&admin, t0(), id, Some(pro), None)
        .unwrap_err();
    assert!(matches!(
        err,
        CommandError::Update(UpdateError::QuantityDoesNotFitPlan { min: 5, .. })
    ));
}

#[test]
fn a_withdrawn_change_does_not_apply() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    w.engine
        .schedule_change(&admin, t0(), id, None, Some(BillingFrequency::Annual))
        .unwrap();
    w.engine.withdraw_change(&admin, t0(), id).unwrap();
    w.engine.advance_clock(at("2027-03-12T01:00:00Z"));
    assert_eq!(w.sub(id).billing, BillingFrequency::Monthly);
    let err = w.engine.withdraw_change(&admin, t0(), id).unwrap_err();
    assert_eq!(err, CommandError::Update(UpdateError::NothingScheduled));
}

// §7 Billing ------------------------------------------------------------------------------------

#[test]
fn a_monthly_billed_annual_term_is_charged_each_month() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 2);
    w.activate(id, t0());
    let report = w.engine.advance_clock(at("2026-06-13T00:00:00Z"));
    assert_eq!(report.cycle_charges, 3);
    let types: Vec<_> = w.charges_of(id).iter().map(|c| c.charge_type).collect();
    use ChargeType::{CycleCharge, New};
    assert_eq!(types, [New, CycleCharge, CycleCharge, CycleCharge]);
}

#[test]
fn a_free_trial_charges_nothing_for_the_first_month_then_converts_with_a_renew_charge() {
    let mut w = World::new();
    let mut line = w.line(
        "DZH318Z0BXWC",
        "0001",
        Term::P1Y,
        BillingFrequency::Monthly,
        4,
    );
    line.free_trial = true;
    let id = w.buy_lines(t0(), vec![line]).unwrap().lines[0].subscription;
    w.activate(id, t0());
    assert_eq!(w.charges_of(id)[0].amount, Money::zero(Currency::USD));
    assert!(w.sub(id).is_trial);
    let report = w.engine.advance_clock(at("2026-04-12T00:00:01Z"));
    assert_eq!(report.converted, vec![id]);
    let sub = w.sub(id);
    assert!(!sub.is_trial);
    assert_eq!(sub.term_end(), Some(at("2027-04-11T23:59:59Z")));
    let renew = *w.charges_of(id).last().unwrap();
    assert_eq!(renew.charge_type, ChargeType::Renew);
    assert_eq!(renew.amount, Money::new(4 * 1000, Currency::USD));
}

#[test]
fn a_plan_without_a_free_trial_cannot_start_with_one() {
    let mut w = World::new();
    let mut line = w.line(
        "DZH318Z0BXWC",
        "0002",
        Term::P1M,
        BillingFrequency::Monthly,
        5,
    );
    line.free_trial = true;
    let err = w.buy_lines(t0(), vec![line]).unwrap_err();
    assert!(matches!(
        err,
        CommandError::Purchase(PurchaseError::NoFreeTrial { .. })
    ));
}

#[test]
fn each_month_closes_one_invoice_per_currency_numbered_with_g_whose_total_is_its_lines() {
    let mut w = World::new();
    let usd = w.buy_monthly(t0(), 5);
    w.activate(usd, t0());
    let line = w.line(
        "NWHELPDESK01",
        "0001",
        Term::P1M,
        BillingFrequency::Monthly,
        2,
    );
    let eur = w.buy_lines(t0(), vec![line]).unwrap().lines[0].subscription;
    w.activate(eur, t0());
    let report = w.engine.advance_clock(at("2026-04-01T00:00:00Z"));
    assert_eq!(report.invoices, ["G000000001", "G000000002"]);
    let billing = w.user(Role::BillingAdmin);
    let invoices = w.engine.invoices(&billing).unwrap();
    for invoice in invoices {
        let lines = w.engine.invoice_lines(&billing, &invoice.number).unwrap();
        let sum = Money::sum(invoice.currency, lines.iter().map(|c| &c.amount));
        assert_eq!(invoice.total, sum);
        assert_eq!(invoice.month, at("2026-03-01T00:00:00Z"));
    }
    let totals: Vec<_> = w
        .engine
        .state()
        .invoices
        .iter()
        .map(|i| i.total.to_string())
        .collect();
    assert_eq!(totals, ["$60.00", "€38.00"]);
}

#[test]
fn charges_of_the_current_month_stay_unbilled_until_it_closes() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    let billing = w.user(Role::BillingAdmin);
    assert_eq!(w.engine.unbilled_charges(&billing).unwrap().len(), 1);
    w.engine.advance_clock(at("2026-04-01T00:00:00Z"));
    assert!(w.engine.unbilled_charges(&billing).unwrap().is_empty());
}

#[test]
fn reconciliation_rows_carry_the_partner_center_columns() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    w.engine.advance_clock(at("2026-04-01T00:00:00Z"));
    let billing = w.user(Role::BillingAdmin);
    let rows = w.engine.reconciliation(&billing, "G000000001").unwrap();
    let row = &rows[0];
    assert_eq!(row.partner_id, "6123456");
    assert_eq!(row.customer_name, "Contoso Ltd");
    assert_eq!(row.product_id, "DZH318Z0BXWC");
    assert_eq!(row.sku_id, "0001");
    assert_eq!(row.charge_type, "New");
    assert_eq!(row.unit_price, "12.00");
    assert_eq!(row.subtotal, "60.00");
    assert_eq!(row.currency, "USD");
    assert_eq!(row.charge_start_date, "2026-03-12");
    assert_eq!(row.charge_end_date, "2026-04-11");
}

// §8 Time ---------------------------------------------------------------------------------------

#[test]
fn time_never_moves_back() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    w.engine.advance_clock(at("2026-05-01T00:00:00Z"));
    let before = w.engine.state().clone();
    let report = w.engine.advance_clock(at("2026-04-01T00:00:00Z"));
    assert!(report.is_empty());
    assert_eq!(w.engine.state(), &before);
}

#[test]
fn windows_that_close_while_the_clock_moves_are_reported() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    let report = w.engine.advance_clock(t0() + hours(23));
    assert!(report.windows_closed.is_empty());
    let report = w.engine.advance_clock(t0() + hours(25));
    assert_eq!(report.windows_closed, vec![id]);
}

// §9 Activity log -------------------------------------------------------------------------------

#[test]
fn a_change_is_logged_with_who_their_role_the_customer_and_old_and_new_values() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    w.engine
        .change_quantity(&admin, t0() + hours(1), id, 7)
        .unwrap();
    let entry = w.engine.state().activity.last().unwrap();
    assert_eq!(entry.operation, Operation::ChangeQuantity);
    assert_eq!(entry.actor.name, "Admin agent");
    assert_eq!(entry.actor.role, Some(Role::AdminAgent));
    assert_eq!(entry.customer, Some(w.customer));
    assert_eq!(entry.subscription, Some(id));
    assert_eq!(entry.old.as_deref(), Some("5"));
    assert_eq!(entry.new.as_deref(), Some("7"));
    assert_eq!(entry.at, t0() + hours(1));
    assert_eq!(entry.outcome, Outcome::Succeeded);
}

#[test]
fn a_denied_attempt_is_logged_with_the_message_the_user_saw() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    let sales = w.user(Role::SalesAgent);
    let err = w
        .engine
        .rename(&sales, t0(), id, Nickname::parse("X").unwrap())
        .unwrap_err();
    let entry = w.engine.state().activity.last().unwrap();
    assert_eq!(entry.operation, Operation::Rename);
    assert_eq!(entry.subscription, Some(id));
    assert_eq!(
        entry.outcome,
        Outcome::Denied {
            message: err.to_string(),
            code: None
        }
    );
}

#[test]
fn the_activity_log_filters_by_operation_customer_user_and_dates() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    w.engine
        .change_quantity(&admin, t0() + hours(1), id, 7)
        .unwrap();
    w.engine
        .change_quantity(&admin, t0() + hours(3), id, 9)
        .unwrap();
    let filter = ActivityFilter {
        operation: Some(Operation::ChangeQuantity),
        customer: Some(w.customer),
        user: Some("Admin agent".into()),
        from: Some(t0() + hours(2)),
        ..ActivityFilter::default()
    };
    let found = w.engine.activity(&filter);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].new.as_deref(), Some("9"));
}

// Queries ---------------------------------------------------------------------------------------

#[test]
fn customer_search_matches_name_or_domain_in_any_case_by_prefix_or_substring() {
    let w = World::new();
    let names = |text: &str| -> Vec<String> {
        let query = CustomerQuery {
            text: text.into(),
            ..CustomerQuery::default()
        };
        w.engine
            .search_customers(&query)
            .rows
            .into_iter()
            .map(|r| r.customer.company_name)
            .collect()
    };
    assert_eq!(names("CONT"), ["Contoso Ltd"]);
    assert_eq!(names("toys"), ["Wingtip Toys"]);
    assert_eq!(names("wingtiptoys.onmicrosoft"), ["Wingtip Toys"]);
    assert_eq!(names(""), ["Contoso Ltd", "Wingtip Toys"]);
    assert!(names("zzz").is_empty());
    // Each word of the search is found, anywhere in the name or the domain.
    assert_eq!(names("toys wingtip"), ["Wingtip Toys"]);
    assert_eq!(names("contoso onmicrosoft"), ["Contoso Ltd"]);
    assert!(names("contoso toys").is_empty());
}

#[test]
fn the_detail_page_gives_each_blocked_action_its_reason() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    let sales = w.user(Role::SalesAgent);
    let detail = w.engine.subscription_detail(&sales, t0(), id).unwrap();
    assert!(!detail.allows(Action::ChangeQuantity));
    // The seed's note is told once; each action it blocks points to it.
    assert!(
        detail
            .note
            .as_deref()
            .unwrap()
            .starts_with("Temporarily, persons with the Sales agent role")
    );
    for action in [Action::ChangeQuantity, Action::Rename, Action::SetAutoRenew] {
        assert_eq!(
            detail.blocked_because(action),
            Some(
                "Sales agents can't update Marketplace SaaS subscriptions for now: see Partner Center's note at the top of the page."
            ),
            "{action:?}"
        );
    }

    let admin = w.admin();
    let later = t0() + hours(30);
    let detail = w.engine.subscription_detail(&admin, later, id).unwrap();
    assert!(detail.allows(Action::ChangeQuantity));
    assert!(detail.allows(Action::SetAutoRenew));
    assert_eq!(
        detail.blocked_because(Action::Cancel),
        Some(
            "The cancellation window closed on 13 Mar 2026 14:05 UTC; turn off auto-renew to end it at term end."
        )
    );
    assert!(detail.blocked_because(Action::WithdrawChange).is_some());
}

#[test]
fn the_detail_page_shows_the_time_left_in_the_window() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    let detail = w
        .engine
        .subscription_detail(&admin, t0() + hours(3), id)
        .unwrap();
    assert_eq!(
        detail.cancellation_allowed_until,
        Some(at("2026-03-26T14:05:00Z"))
    );
    assert_eq!(
        detail.cancellation_time_left.as_deref(),
        Some("13 days 21 hours")
    );
}

// Persistence ------------------------------------------------------------------------------------

#[test]
fn the_saved_state_loads_back_identical() {
    let state = domain::demo::demo_state(at("2026-11-24T09:30:00Z"));
    let text = state.save();
    assert!(text.starts_with("{\"schemaVersion\":1,"));
    assert_eq!(State::load(&text).unwrap(), state);
}

#[test]
fn a_document_of_a_newer_or_unknown_version_is_a_typed_error() {
    let state = domain::demo::demo_state(at("2026-11-24T09:30:00Z"));
    let text = state.save();
    let newer = text.replacen("\"schemaVersion\":1", "\"schemaVersion\":7", 1);
    assert_eq!(
        State::load(&newer),
        Err(LoadError::NewerVersion { found: 7 })
    );
    let older = text.replacen("\"schemaVersion\":1", "\"schemaVersion\":0", 1);
    assert_eq!(
        State::load(&older),
        Err(LoadError::UnknownVersion { found: 0 })
    );
    assert!(matches!(
        State::load("not json"),
        Err(LoadError::NotADocument(_))
    ));
    assert!(matches!(State::load("{}"), Err(LoadError::NotADocument(_))));
    assert!(matches!(
        State::load("{\"schemaVersion\":1,\"partner\":3}"),
        Err(LoadError::Damaged(_))
    ));
}

// Regression: a quantity lowered after a plan change was scheduled renewed onto a plan whose
// minimum it was below (found by the property tests).
#[test]
fn a_quantity_that_the_scheduled_plan_cannot_take_is_refused() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    let pro = PlanId::parse("0002").unwrap();
    w.engine
        .schedule_change(&admin, t0(), id, Some(pro), None)
        .unwrap();
    let err = w.engine.change_quantity(&admin, t0(), id, 2).unwrap_err();
    assert!(matches!(
        err,
        CommandError::Update(UpdateError::QuantityDoesNotFitScheduledPlan { min: 5, .. })
    ));
    assert_eq!(w.sub(id).quantity, 5);
}

#[test]
fn a_plan_offers_for_a_term_only_the_billing_frequencies_it_sells() {
    let catalog = domain::demo::catalog();
    for plan in catalog.offers.iter().flat_map(|o| &o.plans) {
        for term in [Term::P1M, Term::P1Y] {
            let offered = plan.billing_for(term);
            for billing in domain::BillingFrequency::ALL {
                assert_eq!(
                    offered.contains(&billing),
                    plan.price(term, billing).is_some(),
                    "{} {term:?} {billing:?}",
                    plan.name
                );
            }
        }
    }
    // A one-month term is billed monthly only: no annual or one-time billing on it.
    let monthly = catalog.offers[0].plans[0].billing_for(Term::P1M);
    assert!(!monthly.contains(&domain::BillingFrequency::Annual));
}
