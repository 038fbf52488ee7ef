//! Billing scenarios give the expected charge lines and invoice totals to the cent, and the CSV
//! exports read back through a CSV parser unchanged, hostile cells included.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use chrono::TimeDelta;
use common::{World, at, t0};
use domain::export::{
    RECONCILIATION_COLUMNS, customers_csv, reconciliation_csv, subscriptions_csv,
};
use domain::*;

fn lines(w: &World, id: SubscriptionId) -> Vec<(ChargeType, i64)> {
    w.engine
        .subscription_charges(id)
        .iter()
        .map(|c| (c.charge_type, c.amount.minor))
        .collect()
}

fn invoice_totals(w: &World) -> Vec<(String, String)> {
    w.engine
        .state()
        .invoices
        .iter()
        .map(|i| (i.number.clone(), i.total.to_string()))
        .collect()
}

#[test]
fn a_trial_charges_nothing_then_the_paid_term_is_invoiced_in_the_month_it_starts() {
    let mut w = World::new();
    let mut line = w.line(
        "DZH318Z0BXWC",
        "0001",
        Term::P1M,
        BillingFrequency::Monthly,
        4,
    );
    line.free_trial = true;
    let id = w.buy_lines(t0(), vec![line]).unwrap().lines[0].subscription;
    w.activate(id, t0());
    w.engine.advance_clock(at("2026-05-01T00:00:00Z"));
    use ChargeType::{New, Renew};
    assert_eq!(lines(&w, id), [(New, 0), (Renew, 4800)]);
    assert_eq!(
        invoice_totals(&w),
        [
            ("G000000001".into(), "$0.00".into()),
            ("G000000002".into(), "$48.00".into())
        ]
    );
}

#[test]
fn purchase_and_cancel_on_the_same_day_nets_to_zero() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    w.engine
        .cancel(&admin, t0() + TimeDelta::hours(3), id, true)
        .unwrap();
    w.engine.advance_clock(at("2026-04-01T00:00:00Z"));
    use ChargeType::{Cancel, New};
    assert_eq!(lines(&w, id), [(New, 5000), (Cancel, -5000)]);
    assert_eq!(invoice_totals(&w), [("G000000001".into(), "$0.00".into())]);
}

#[test]
fn quantity_up_and_down_mid_period_are_prorated_and_invoiced() {
    let mut w = World::new();
    let id = w.buy_annual(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    // 12 Mar – 11 Apr is 31 days. 22 Mar: +3 for 21 days; 1 Apr: −4 for 11 days.
    w.engine
        .change_quantity(&admin, at("2026-03-22T10:00:00Z"), id, 8)
        .unwrap();
    w.engine
        .change_quantity(&admin, at("2026-04-01T10:00:00Z"), id, 4)
        .unwrap();
    w.engine.advance_clock(at("2026-05-01T00:00:00Z"));
    use ChargeType::{AddQuantity, CycleCharge, New, RemoveQuantity};
    assert_eq!(
        lines(&w, id),
        [
            (New, 5000),
            (AddQuantity, 2032),
            (RemoveQuantity, -1419),
            (CycleCharge, 4000)
        ]
    );
    // March: 50.00 + 20.32; April: −14.19 + 40.00.
    assert_eq!(
        invoice_totals(&w),
        [
            ("G000000001".into(), "$70.32".into()),
            ("G000000002".into(), "$25.81".into())
        ]
    );
}

#[test]
fn a_renewal_is_charged_for_the_new_term_on_the_day_it_starts() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 3);
    w.activate(id, t0());
    w.engine.advance_clock(at("2026-06-01T00:00:00Z"));
    use ChargeType::{New, Renew};
    assert_eq!(lines(&w, id), [(New, 3600), (Renew, 3600), (Renew, 3600)]);
    let starts: Vec<String> = w
        .engine
        .subscription_charges(id)
        .iter()
        .map(|c| c.period_start.format("%Y-%m-%d").to_string())
        .collect();
    assert_eq!(starts, ["2026-03-12", "2026-04-12", "2026-05-12"]);
}

#[test]
fn a_plan_change_converts_at_renewal_at_the_new_plans_price() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 5);
    w.activate(id, t0());
    let admin = w.admin();
    let pro = PlanId::parse("0002").unwrap();
    w.engine
        .schedule_change(&admin, t0(), id, Some(pro), None)
        .unwrap();
    w.engine.advance_clock(at("2026-05-01T00:00:00Z"));
    use ChargeType::{Convert, New};
    assert_eq!(lines(&w, id), [(New, 6000), (Convert, 12_500)]);
    assert_eq!(
        w.engine.subscription_charges(id)[1].plan_name,
        "Business Pro"
    );
}

/// Hostile text in every cell the exports take from users.
const HOSTILE: &str = "=HYPERLINK(\"http://x\",\"a, b\")\n+2\r\n@SUM";

#[test]
fn exports_read_back_through_a_csv_parser_with_hostile_cells_neutralised() {
    let mut w = World::new();
    let id = w.buy_monthly(t0(), 3);
    w.activate(id, t0());
    let admin = w.admin();
    w.engine
        .rename(
            &admin,
            t0(),
            id,
            Nickname::parse("=cmd|' /C calc'!A0, \"quoted\"").unwrap(),
        )
        .unwrap();
    let customer = w.customer;
    let text = subscriptions_csv(&w.engine, customer).unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "Subscription ID",
            "Subscription",
            "Offer",
            "Plan",
            "Publisher",
            "Quantity",
            "Status",
            "Term and billing",
            "Renews or ends on",
            "Reseller"
        ],
        "the columns the list shows"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&rows[0][1], "'=cmd|' /C calc'!A0, \"quoted\"");
    let sub = w.engine.subscription(id).unwrap();
    let (offer, plan) = w.engine.offer_and_plan(sub);
    assert_eq!(&rows[0][2], offer.name);
    assert_eq!(&rows[0][3], plan.name);
    assert_eq!(&rows[0][5], "3");
    assert_eq!(&rows[0][7], sub.term_and_billing());
    assert_eq!(&rows[0][8], sub.renews_or_ends());

    let state = w.engine.state().clone();
    let mut state = state;
    state.customers.get_mut(&customer).unwrap().company_name = HOSTILE.into();
    state.customers.get_mut(&customer).unwrap().tags = vec!["-1+1".into(), "ok".into()];
    let engine = Engine::new(state);
    let text = customers_csv(&engine);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let hostile = rows.iter().find(|r| r[0] == customer.to_string()).unwrap();
    assert_eq!(&hostile[1], format!("'{HOSTILE}"));
    assert_eq!(&hostile[4], "'-1+1; ok");
    assert_eq!(rows.len(), 2, "always the full list");
}

#[test]
fn totals_recomputed_from_the_reconciliation_file_match_the_invoices() {
    let mut state = domain::demo::demo_state(at("2026-11-24T09:30:00Z"));
    let billing = state
        .partner
        .users
        .iter()
        .find(|u| u.role == Role::BillingAdmin)
        .unwrap()
        .id;
    // A hostile nickname on a billed subscription must not break the file.
    let charged = state.charges[0].subscription;
    state.subscriptions.get_mut(&charged).unwrap().nickname =
        Nickname::parse(HOSTILE.replace(['\n', '\r'], " ").as_str()).unwrap();
    let engine = Engine::new(state);
    let actor = Actor::User(billing);
    assert!(!engine.state().invoices.is_empty());
    for invoice in &engine.state().invoices {
        let text = reconciliation_csv(&engine, &actor, &invoice.number).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            RECONCILIATION_COLUMNS
        );
        let subtotal = RECONCILIATION_COLUMNS
            .iter()
            .position(|c| *c == "Subtotal")
            .unwrap();
        let mut cents = 0i64;
        let mut count = 0;
        for row in reader.records() {
            let row = row.unwrap();
            let (units, hundredths) = row[subtotal].split_once('.').unwrap();
            let sign = if units.starts_with('-') { -1 } else { 1 };
            cents +=
                units.parse::<i64>().unwrap() * 100 + sign * hundredths.parse::<i64>().unwrap();
            count += 1;
        }
        assert_eq!(count, invoice.lines.len(), "{}", invoice.number);
        assert_eq!(cents, invoice.total.minor, "{}", invoice.number);
    }
}

#[test]
fn the_reconciliation_file_is_for_billing_roles_only() {
    let w = World::new();
    let sales = w.user(Role::SalesAgent);
    let err = reconciliation_csv(&w.engine, &sales, "G000000001").unwrap_err();
    assert!(err.is_denial());
}

#[test]
fn renewals_and_closing_windows_are_listed_soonest_first() {
    let mut w = World::new();
    let monthly = w.buy_monthly(t0(), 2);
    w.activate(monthly, t0());
    let annual = w.buy_annual(t0(), 2);
    w.activate(annual, t0() + TimeDelta::hours(1));
    let admin = w.admin();
    w.engine
        .set_auto_renew(&admin, t0() + TimeDelta::hours(2), annual, false)
        .unwrap();
    let now = t0() + TimeDelta::hours(3);
    let ends = w.engine.term_ends_within(now, TimeDelta::days(31));
    assert_eq!(
        ends.iter().map(|e| e.subscription).collect::<Vec<_>>(),
        [monthly]
    );
    assert!(ends[0].renews);
    assert_eq!(
        ends[0].renewal_charge,
        Some(Money::new(2400, Currency::USD))
    );
    let year = w.engine.term_ends_within(now, TimeDelta::days(400));
    assert_eq!(year.len(), 2);
    assert!(!year[1].renews, "auto-renew off: it ends");
    let closing = w.engine.windows_closing_within(now, TimeDelta::hours(72));
    assert_eq!(
        closing.iter().map(|c| c.subscription).collect::<Vec<_>>(),
        [monthly]
    );
    assert_eq!(closing[0].time_left, "21 hours 0 minutes");
}
