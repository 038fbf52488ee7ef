use super::{Actor, Change, Engine, Need};
use crate::activity::Operation;
use crate::billing::ChargeType;
use crate::catalog::{BillingFrequency, PlanId};
use crate::error::{CommandError, UpdateError};
use crate::ids::SubscriptionId;
use crate::money::Money;
use crate::nickname::Nickname;
use crate::partner_id::ResellerPartnerId;
use crate::policy::Policy;
use crate::status::SubscriptionStatus;
use crate::subscription::{ScheduledChange, StepsConfirmation, Subscription};
use crate::time::{self, Timestamp};

fn unchanged(field: &'static str, value: impl ToString) -> CommandError {
    UpdateError::Unchanged {
        field,
        value: value.to_string(),
    }
    .into()
}

fn on_off(on: bool) -> &'static str {
    if on { "On" } else { "Off" }
}

impl Engine {
    /// Changes the nickname.
    pub fn rename(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
        nickname: Nickname,
    ) -> Result<(), CommandError> {
        self.run(actor, now, Operation::Rename, self.target(id), |engine| {
            let sub = engine.check_update(actor, id)?;
            if sub.nickname == nickname {
                return Err(unchanged("Nickname", &nickname));
            }
            let change = Change::of(sub, sub.nickname.as_str(), nickname.as_str());
            let sub = engine.subscription_mut(id);
            sub.nickname = nickname;
            sub.version += 1;
            Ok(((), Some(change)))
        })
    }

    /// Adds or removes licenses (the Quantity field and Submit). The change is prorated daily
    /// over the rest of the billing period: a charge for added licenses, a credit for removed ones.
    pub fn change_quantity(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
        quantity: u64,
    ) -> Result<(), CommandError> {
        self.run(
            actor,
            now,
            Operation::ChangeQuantity,
            self.target(id),
            |engine| {
                let sub = engine.check_update(actor, id)?;
                let plan = engine.offer_and_plan(sub).1;
                if !plan.allows_quantity(quantity) {
                    return Err(UpdateError::QuantityOutOfRange {
                        plan: plan.name.clone(),
                        quantity,
                        min: plan.min_quantity,
                        max: plan.max_quantity,
                    }
                    .into());
                }
                // The next term's plan must take the new quantity too, or the renewal would not.
                let scheduled_plan = sub
                    .scheduled
                    .as_ref()
                    .and_then(|c| c.plan.as_ref())
                    .and_then(|p| engine.offer_and_plan(sub).0.plan(p));
                if let Some(next) = scheduled_plan
                    && !next.allows_quantity(quantity)
                {
                    return Err(UpdateError::QuantityDoesNotFitScheduledPlan {
                        plan: next.name.clone(),
                        quantity,
                        min: next.min_quantity,
                        max: next.max_quantity,
                    }
                    .into());
                }
                let quantity = u32::try_from(quantity).expect("within the plan's bounds");
                if quantity == sub.quantity {
                    return Err(unchanged("Quantity", quantity));
                }
                let change = Change::of(sub, sub.quantity.to_string(), quantity.to_string());
                let old = sub.quantity;
                let sub = engine.subscription_mut(id);
                sub.quantity = quantity;
                sub.version += 1;
                engine.charge_quantity_change(id, now, old, quantity);
                Ok(((), Some(change)))
            },
        )
    }

    /// When a subscription may still be cancelled with a full refund; `None` when the question
    /// does not arise (pending: always; ended: never).
    pub fn cancellation_allowed_until(&self, sub: &Subscription) -> Option<Timestamp> {
        let periods = sub.periods?;
        (!sub.status.is_terminal())
            .then(|| periods.term_start + self.state.policy.cancellation_window.window(sub.term))
    }

    /// Permission, status and window for a cancellation, without the publisher-steps check.
    pub(crate) fn check_cancel(
        &self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
    ) -> Result<&Subscription, CommandError> {
        self.authorize(actor, Need::Update)?;
        let sub = self.subscription(id)?;
        if sub.status == SubscriptionStatus::Pending {
            return Ok(sub);
        }
        Self::require_active(sub)?;
        let until = self
            .cancellation_allowed_until(sub)
            .expect("active has periods");
        if now > until {
            return Err(UpdateError::WindowClosed {
                closed: time::display(until),
            }
            .into());
        }
        Ok(sub)
    }

    /// Cancels now: before activation (nothing was billed) or within the cancellation window (the
    /// current term's charges are refunded in full). When the offer has publisher steps, the
    /// partner must confirm they are done; the confirmation is recorded.
    pub fn cancel(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
        publisher_steps_confirmed: bool,
    ) -> Result<(), CommandError> {
        self.run(actor, now, Operation::Cancel, self.target(id), |engine| {
            let by = engine.authorize(actor, Need::Update)?.name.clone();
            let sub = engine.check_cancel(actor, now, id)?;
            let steps = engine.offer_and_plan(sub).0.steps_before_cancel.clone();
            if let Some(steps) = &steps
                && !publisher_steps_confirmed
            {
                return Err(UpdateError::PublisherStepsNotConfirmed {
                    steps: steps.clone(),
                }
                .into());
            }
            let mut change = Change::of(sub, sub.status.label(), "Cancelled");
            if steps.is_some() {
                change.reason = Some("Publisher's steps confirmed as completed".into());
            }
            let was_active = sub.status == SubscriptionStatus::Active;
            if was_active {
                engine.refund_current_term(id, now);
            }
            let sub = engine.subscription_mut(id);
            sub.status = SubscriptionStatus::Cancelled;
            sub.ended_at = Some(now);
            sub.auto_renew = false;
            sub.scheduled = None;
            if steps.is_some() {
                sub.steps_confirmation = Some(StepsConfirmation { by, at: now });
            }
            sub.version += 1;
            Ok(((), Some(change)))
        })
    }

    /// Turns auto-renew on or off. Off: the subscription ends (expires) at term end, and any
    /// change scheduled for the next term is withdrawn.
    pub fn set_auto_renew(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
        on: bool,
    ) -> Result<(), CommandError> {
        self.run(
            actor,
            now,
            Operation::SetAutoRenew,
            self.target(id),
            |engine| {
                let sub = engine.check_update(actor, id)?;
                if sub.auto_renew == on {
                    return Err(unchanged("Auto-renew", on_off(on)));
                }
                let mut change = Change::of(sub, on_off(!on), on_off(on));
                if !on && sub.scheduled.is_some() {
                    change.reason =
                        Some("The change scheduled for the next term was withdrawn".into());
                }
                let sub = engine.subscription_mut(id);
                sub.auto_renew = on;
                if !on {
                    sub.scheduled = None;
                }
                sub.version += 1;
                Ok(((), Some(change)))
            },
        )
    }

    /// Sets the indirect reseller on record, or clears it with `None`. The PartnerID must be one
    /// of the partner's authorized indirect resellers.
    pub fn set_reseller(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
        reseller: Option<ResellerPartnerId>,
    ) -> Result<(), CommandError> {
        self.run(
            actor,
            now,
            Operation::SetReseller,
            self.target(id),
            |engine| {
                engine.check_reseller_action(actor, id)?;
                if let Some(r) = &reseller {
                    engine.check_reseller(r)?;
                }
                let sub = engine.subscription(id)?;
                let show = |r: &Option<ResellerPartnerId>| {
                    r.as_ref()
                        .map_or_else(|| "None".to_owned(), ToString::to_string)
                };
                if sub.reseller == reseller {
                    return Err(unchanged("Indirect reseller PartnerID", show(&reseller)));
                }
                let change = Change::of(sub, show(&sub.reseller), show(&reseller));
                let sub = engine.subscription_mut(id);
                sub.reseller = reseller;
                sub.version += 1;
                Ok(((), Some(change)))
            },
        )
    }

    /// Permission, status and partner kind for the reseller action.
    pub(crate) fn check_reseller_action(
        &self,
        actor: &Actor,
        id: SubscriptionId,
    ) -> Result<&Subscription, CommandError> {
        let sub = self.check_update(actor, id)?;
        if self.state.partner.kind != crate::partner::PartnerKind::IndirectProvider {
            return Err(UpdateError::NoIndirectResellers.into());
        }
        Ok(sub)
    }

    /// Permission and status for scheduling a next-term change: auto-renew must be on.
    pub(crate) fn check_schedule(
        &self,
        actor: &Actor,
        id: SubscriptionId,
    ) -> Result<&Subscription, CommandError> {
        let sub = self.check_update(actor, id)?;
        if !sub.auto_renew {
            return Err(UpdateError::NoNextTerm.into());
        }
        Ok(sub)
    }

    /// Schedules a change of plan and/or billing frequency for the next term. It applies at
    /// renewal and can be withdrawn until then; a new schedule replaces the previous one.
    pub fn schedule_change(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
        plan: Option<PlanId>,
        billing: Option<BillingFrequency>,
    ) -> Result<(), CommandError> {
        self.run(
            actor,
            now,
            Operation::ScheduleChange,
            self.target(id),
            |engine| {
                let sub = engine.check_schedule(actor, id)?;
                let (offer, current_plan) = engine.offer_and_plan(sub);
                let plan = plan.filter(|p| p != &current_plan.id);
                let billing = billing.filter(|b| b != &sub.billing);
                if plan.is_none() && billing.is_none() {
                    return Err(unchanged(
                        "Next term",
                        format!(
                            "{}, billed {}",
                            current_plan.name,
                            sub.billing.label().to_lowercase()
                        ),
                    ));
                }
                let target_plan = match &plan {
                    Some(p) => offer.plan(p).ok_or_else(|| UpdateError::NoSuchOption {
                        what: format!("Plan {p}"),
                        term: sub.term.label().into(),
                    })?,
                    None => current_plan,
                };
                let target_billing = billing.unwrap_or(sub.billing);
                if target_plan.price(sub.term, target_billing).is_none() {
                    return Err(UpdateError::NoSuchOption {
                        what: format!(
                            "{} billed {}",
                            target_plan.name,
                            target_billing.label().to_lowercase()
                        ),
                        term: sub.term.label().into(),
                    }
                    .into());
                }
                if !target_plan.allows_quantity(u64::from(sub.quantity)) {
                    return Err(UpdateError::QuantityDoesNotFitPlan {
                        plan: target_plan.name.clone(),
                        quantity: sub.quantity,
                        min: target_plan.min_quantity,
                        max: target_plan.max_quantity,
                    }
                    .into());
                }
                let describe = format!(
                    "From {}: {}, billed {}",
                    time::display_date(time::next_start(sub.term_end().expect("active"))),
                    target_plan.name,
                    target_billing.label().to_lowercase()
                );
                let old = sub
                    .scheduled
                    .as_ref()
                    .map_or("Nothing scheduled".into(), |_| {
                        "Previous schedule replaced".to_owned()
                    });
                let change = Change::of(sub, old, describe);
                let sub = engine.subscription_mut(id);
                sub.scheduled = Some(ScheduledChange { plan, billing });
                sub.version += 1;
                Ok(((), Some(change)))
            },
        )
    }

    /// Permission and status for withdrawing the scheduled change.
    pub(crate) fn check_withdraw(
        &self,
        actor: &Actor,
        id: SubscriptionId,
    ) -> Result<&Subscription, CommandError> {
        let sub = self.check_update(actor, id)?;
        if sub.scheduled.is_none() {
            return Err(UpdateError::NothingScheduled.into());
        }
        Ok(sub)
    }

    /// Withdraws the change scheduled for the next term.
    pub fn withdraw_change(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
    ) -> Result<(), CommandError> {
        self.run(
            actor,
            now,
            Operation::WithdrawChange,
            self.target(id),
            |engine| {
                let sub = engine.check_withdraw(actor, id)?;
                let change = Change::of(sub, "Change scheduled", "Nothing scheduled");
                let sub = engine.subscription_mut(id);
                sub.scheduled = None;
                sub.version += 1;
                Ok(((), Some(change)))
            },
        )
    }

    /// The publisher suspends an active subscription (for example for payment).
    pub fn suspend(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
    ) -> Result<(), CommandError> {
        self.publisher_status(actor, now, id, Operation::Suspend)
    }

    /// The publisher reinstates a suspended subscription.
    pub fn reinstate(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
    ) -> Result<(), CommandError> {
        self.publisher_status(actor, now, id, Operation::Reinstate)
    }

    fn publisher_status(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
        operation: Operation,
    ) -> Result<(), CommandError> {
        let (from, to, expected, verb) = if operation == Operation::Suspend {
            (
                SubscriptionStatus::Active,
                SubscriptionStatus::Suspended,
                "active",
                "suspended",
            )
        } else {
            (
                SubscriptionStatus::Suspended,
                SubscriptionStatus::Active,
                "suspended",
                "reinstated",
            )
        };
        self.run(actor, now, operation, self.target(id), |engine| {
            let sub = engine.subscription(id)?;
            engine.require_publisher(actor, sub)?;
            if sub.status != from {
                return Err(UpdateError::WrongStatusFor { expected, verb }.into());
            }
            let change = Change::of(sub, from.label(), to.label());
            let sub = engine.subscription_mut(id);
            sub.status = to;
            sub.version += 1;
            Ok(((), Some(change)))
        })
    }

    /// Changes the policy settings (Global admin only).
    pub fn set_policy(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        policy: Policy,
    ) -> Result<(), CommandError> {
        self.run(
            actor,
            now,
            Operation::ChangePolicy,
            (None, None),
            |engine| {
                engine.authorize(actor, Need::Policy)?;
                let old = engine.state.policy;
                if old == policy {
                    return Err(unchanged("Policy", "as asked"));
                }
                let describe = |p: &Policy| {
                    format!(
                        "Cancellation window: {}; Sales-agent restriction: {}",
                        p.cancellation_window.label(),
                        on_off(p.sales_agent_saas_update_restriction)
                    )
                };
                let change = super::Change {
                    customer: None,
                    subscription: None,
                    old: Some(describe(&old)),
                    new: Some(describe(&policy)),
                    reason: None,
                };
                engine.state.policy = policy;
                Ok(((), Some(change)))
            },
        )
    }

    /// What a cancellation now would refund: every charge of the current term (nothing before
    /// activation or after the subscription ended).
    pub fn refund_on_cancel(&self, sub: &Subscription) -> Money {
        let currency = sub.unit_price.currency;
        let Some(periods) = sub.periods.filter(|_| !sub.status.is_terminal()) else {
            return Money::zero(currency);
        };
        let paid: i64 = self
            .state
            .charges
            .iter()
            .filter(|c| c.subscription == sub.id && c.period_start >= periods.term_start)
            .map(|c| c.amount.minor)
            .sum();
        Money::new(paid, currency)
    }

    /// Refunds every charge of the subscription's current term with one `Cancel` line.
    fn refund_current_term(&mut self, id: SubscriptionId, now: Timestamp) {
        let sub = &self.state.subscriptions[&id];
        let periods = sub.periods.expect("active has periods");
        let amount = self.refund_on_cancel(sub).negated();
        self.post_charge(
            id,
            now,
            ChargeType::Cancel,
            sub.quantity,
            amount,
            periods.term_start,
            periods.term_end,
        );
    }
}
