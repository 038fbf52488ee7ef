use serde::{Deserialize, Serialize};

use super::{Actor, Change, Engine};
use crate::activity::{Operation, Outcome};
use crate::billing::{Charge, ChargeType, Invoice};
use crate::ids::SubscriptionId;
use crate::money::{Currency, Money};
use crate::status::SubscriptionStatus;
use crate::subscription::Periods;
use crate::time::{self, Timestamp};

/// What happened when time moved on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClockReport {
    /// Subscriptions that started a new term.
    pub renewed: Vec<SubscriptionId>,
    /// Subscriptions that reached term end with auto-renew off.
    pub expired: Vec<SubscriptionId>,
    /// Free trials that became paid terms.
    pub converted: Vec<SubscriptionId>,
    /// Billing periods charged within a term.
    pub cycle_charges: usize,
    /// Subscriptions whose cancellation window closed.
    pub windows_closed: Vec<SubscriptionId>,
    /// Invoices closed.
    pub invoices: Vec<String>,
}

impl ClockReport {
    /// Whether nothing happened.
    pub fn is_empty(&self) -> bool {
        *self == ClockReport::default()
    }
}

impl Engine {
    /// Moves time on to `now` and says what happened: ends billing periods and terms (renewing
    /// with a `Renew` charge, converting trials, applying scheduled changes, or expiring when
    /// auto-renew is off), closes each month's invoices, and lists the cancellation windows that
    /// closed. Time never moves back: an earlier `now` does nothing.
    pub fn advance_clock(&mut self, now: Timestamp) -> ClockReport {
        let from = self.state.clock;
        let mut report = self.catch_up(now);
        if now > from {
            report.windows_closed = self
                .state
                .subscriptions
                .values()
                .filter(|s| s.status == SubscriptionStatus::Active)
                .filter(|s| {
                    self.cancellation_allowed_until(s)
                        .is_some_and(|until| until > from && until <= now)
                })
                .map(|s| s.id)
                .collect();
        }
        report
    }

    /// When the next time-based event falls due: a billing period's end or a month's invoice run.
    pub fn next_event(&self) -> Timestamp {
        let month = time::next_month_start(self.state.clock);
        self.due.first().map_or(month, |(at, _)| {
            (*at + chrono::TimeDelta::seconds(1)).min(month)
        })
    }

    /// Applies every time-based event up to `now`; every command starts with this.
    pub(crate) fn catch_up(&mut self, now: Timestamp) -> ClockReport {
        let mut report = ClockReport::default();
        let mut cursor = self.state.clock;
        if now <= cursor {
            return report;
        }
        // Split at month boundaries so each month's charges exist before its invoices close.
        loop {
            let month_end = time::next_month_start(cursor);
            self.run_due_events(month_end.min(now), &mut report);
            if month_end > now {
                break;
            }
            self.close_month(cursor, month_end, &mut report);
            cursor = month_end;
        }
        self.state.clock = now;
        report
    }

    /// Remembers a subscription's current period end as due.
    pub(crate) fn note_due(&mut self, id: SubscriptionId) {
        let s = &self.state.subscriptions[&id];
        if let Some(p) = live_periods(s.status, s.periods) {
            self.due.insert((p.period_end, id));
        }
    }

    /// Applies every period end before `until`, earliest first.
    fn run_due_events(&mut self, until: Timestamp, report: &mut ClockReport) {
        while let Some(&(at, id)) = self.due.first() {
            if at >= until {
                break;
            }
            self.due.pop_first();
            let s = &self.state.subscriptions[&id];
            if let Some(p) = live_periods(s.status, s.periods).filter(|p| p.period_end == at) {
                self.end_period(id, p, report);
                self.note_due(id);
            }
        }
    }

    /// One billing period of a subscription ends at `p.period_end`.
    fn end_period(&mut self, id: SubscriptionId, p: Periods, report: &mut ClockReport) {
        let at = time::next_start(p.period_end);
        if p.period_end < p.term_end {
            // Next billing period of the same term.
            let sub = self.subscription_mut(id);
            let months = sub.billing.period_months(sub.term);
            let period_end = time::period_end(at, months).min(p.term_end);
            sub.periods = Some(Periods {
                period_start: at,
                period_end,
                ..p
            });
            sub.version += 1;
            self.charge_period(id, at, ChargeType::CycleCharge);
            report.cycle_charges += 1;
            return;
        }
        let sub = &self.state.subscriptions[&id];
        if !sub.auto_renew {
            let change = Change::of(sub, sub.status.label(), "Expired");
            let sub = self.subscription_mut(id);
            sub.status = SubscriptionStatus::Expired;
            sub.ended_at = Some(p.term_end);
            sub.version += 1;
            self.log(
                &Actor::System,
                at,
                Operation::Expire,
                change,
                Outcome::Succeeded,
            );
            report.expired.push(id);
            return;
        }
        // A new term: the trial converts, or the scheduled change applies, or it simply renews.
        let was_trial = sub.is_trial;
        let scheduled = sub.scheduled.clone();
        let mut item = sub.item.clone();
        let mut billing = sub.billing;
        if let Some(change) = &scheduled {
            if let Some(plan) = &change.plan {
                let (offer, _) = self.offer_and_plan(sub);
                let availability = offer
                    .plan(plan)
                    .expect("scheduled plans exist")
                    .availability
                    .clone();
                item.plan = plan.clone();
                item.availability = availability;
            }
            billing = change.billing.unwrap_or(billing);
        }
        let (_, plan) = self
            .state
            .catalog
            .item(&item)
            .expect("checked when scheduled");
        let price = plan
            .price(sub.term, billing)
            .expect("checked when scheduled")
            .unit_price;
        let plan_changed = item != sub.item;
        let (operation, charge_type, old, new) = if was_trial {
            (
                Operation::ConvertTrial,
                ChargeType::Renew,
                "Free trial".to_owned(),
                format!("Paid {} term", sub.term.label()),
            )
        } else if plan_changed || billing != sub.billing {
            (
                Operation::Renew,
                if plan_changed {
                    ChargeType::Convert
                } else {
                    ChargeType::Renew
                },
                format!(
                    "{}, billed {}",
                    self.offer_and_plan(sub).1.name,
                    sub.billing.label().to_lowercase()
                ),
                format!("{}, billed {}", plan.name, billing.label().to_lowercase()),
            )
        } else {
            (
                Operation::Renew,
                ChargeType::Renew,
                format!("Term ended {}", time::display_date(p.term_end)),
                format!("New {} term", sub.term.label()),
            )
        };
        let mut change = Change::of(sub, old, new);
        if scheduled.is_some() {
            change.reason = Some("Change scheduled for the next term applied".into());
        }
        let term_end = time::period_end(at, sub.term.months());
        let period_end = time::period_end(at, billing.period_months(sub.term)).min(term_end);
        let sub = self.subscription_mut(id);
        sub.item = item;
        sub.billing = billing;
        sub.unit_price = price;
        sub.is_trial = false;
        sub.scheduled = None;
        sub.periods = Some(Periods {
            term_start: at,
            term_end,
            period_start: at,
            period_end,
        });
        sub.version += 1;
        self.charge_period(id, at, charge_type);
        self.log(&Actor::System, at, operation, change, Outcome::Succeeded);
        if was_trial {
            report.converted.push(id);
        } else {
            report.renewed.push(id);
        }
    }

    /// Charges the subscription's current billing period in full (zero during a free trial).
    pub(crate) fn charge_period(
        &mut self,
        id: SubscriptionId,
        at: Timestamp,
        charge_type: ChargeType,
    ) {
        let sub = &self.state.subscriptions[&id];
        let p = sub.periods.expect("active has periods");
        let amount = if sub.is_trial {
            Money::zero(sub.unit_price.currency)
        } else {
            sub.unit_price.times(i64::from(sub.quantity))
        };
        self.post_charge(
            id,
            at,
            charge_type,
            sub.quantity,
            amount,
            p.period_start,
            p.period_end,
        );
    }

    /// Charges (or credits) a change of licenses for the rest of the billing period, prorated
    /// daily and rounded down to the cent.
    pub(crate) fn charge_quantity_change(
        &mut self,
        id: SubscriptionId,
        at: Timestamp,
        old: u32,
        new: u32,
    ) {
        let sub = &self.state.subscriptions[&id];
        let p = sub.periods.expect("active has periods");
        let delta = i64::from(new) - i64::from(old);
        let full = if sub.is_trial {
            Money::zero(sub.unit_price.currency)
        } else {
            sub.unit_price.times(delta)
        };
        let amount = full.prorated(
            time::days_inclusive(at, p.period_end),
            time::days_inclusive(p.period_start, p.period_end),
        );
        let charge_type = if delta > 0 {
            ChargeType::AddQuantity
        } else {
            ChargeType::RemoveQuantity
        };
        self.post_charge(
            id,
            at,
            charge_type,
            delta.unsigned_abs() as u32,
            amount,
            at,
            p.period_end,
        );
    }

    /// Appends one line to the ledger, with the names it will be reconciled by.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn post_charge(
        &mut self,
        id: SubscriptionId,
        at: Timestamp,
        charge_type: ChargeType,
        quantity: u32,
        amount: Money,
        period_start: Timestamp,
        period_end: Timestamp,
    ) {
        let sub = &self.state.subscriptions[&id];
        let (offer, plan) = self.offer_and_plan(sub);
        // The order was placed when the subscription was created.
        let order_date = sub.created_at;
        let charge = Charge {
            seq: self.state.charges.len() as u64,
            posted_at: at,
            customer: sub.customer,
            subscription: id,
            subscription_name: sub.nickname.to_string(),
            order_id: sub.order_id.clone(),
            order_date,
            reseller: sub.reseller.clone(),
            item: sub.item.clone(),
            offer_name: offer.name.clone(),
            plan_name: plan.name.clone(),
            publisher_name: offer.publisher_name.clone(),
            charge_type,
            quantity,
            unit_price: sub.unit_price,
            amount,
            term: sub.term,
            billing: sub.billing,
            period_start,
            period_end,
            invoice: None,
        };
        let at = self.state.charges.len();
        self.charges_of
            .entry(charge.subscription)
            .or_default()
            .push(at);
        self.state.charges.push(charge);
    }

    /// Closes the invoices of the month `[start, end)`: one per currency with charges.
    fn close_month(&mut self, start: Timestamp, end: Timestamp, report: &mut ClockReport) {
        let month = time::start_of_day(
            chrono::NaiveDate::from_ymd_opt(
                chrono::Datelike::year(&start),
                chrono::Datelike::month(&start),
                1,
            )
            .expect("valid date"),
        );
        for currency in [Currency::USD, Currency::EUR] {
            let lines: Vec<u64> = self
                .state
                .charges
                .iter()
                .filter(|c| c.invoice.is_none() && c.amount.currency == currency)
                .filter(|c| c.posted_at < end)
                .map(|c| c.seq)
                .collect();
            if lines.is_empty() {
                continue;
            }
            let number = Invoice::number_for(self.state.invoices.len() as u64 + 1);
            let mut total = Money::zero(currency);
            for &seq in &lines {
                let charge = &mut self.state.charges[seq as usize];
                charge.invoice = Some(number.clone());
                total.minor += charge.amount.minor;
            }
            let change = Change {
                customer: None,
                subscription: None,
                old: None,
                new: Some(format!("{number}: {} lines, {total}", lines.len())),
                reason: None,
            };
            self.state.invoices.push(Invoice {
                number: number.clone(),
                month,
                currency,
                closed_at: end,
                lines,
                total,
            });
            self.log(
                &Actor::System,
                end,
                Operation::CloseInvoice,
                change,
                Outcome::Succeeded,
            );
            report.invoices.push(number);
        }
    }
}

/// The periods of a subscription whose time still runs (active or suspended).
pub(crate) fn live_periods(
    status: SubscriptionStatus,
    periods: Option<Periods>,
) -> Option<Periods> {
    matches!(
        status,
        SubscriptionStatus::Active | SubscriptionStatus::Suspended
    )
    .then_some(periods)
    .flatten()
}
