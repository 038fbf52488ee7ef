use serde::{Deserialize, Serialize};

use super::purchase::new_code;
use super::{Actor, Change, Engine, Need};
use crate::activity::Operation;
use crate::billing::ChargeType;
use crate::error::{ActivationError, CommandError, Denied, ParseError, UpdateError};
use crate::ids::{CustomerId, IdSource, SubscriptionId};
use crate::status::SubscriptionStatus;
use crate::subscription::{Periods, SetupTask, SetupTaskRecord, Subscription};
use crate::time::{self, Timestamp};

/// A pending subscription's personalized link to the publisher's site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivationLink {
    /// `<publisher landing URL>?token=<code>`.
    pub uri: String,
    /// The authorization code alone.
    pub code: String,
    /// When the code stops working.
    pub expires_at: Timestamp,
    /// True when this call issued a new code because the previous one had expired.
    pub refreshed: bool,
}

/// What the publisher learns by resolving an activation code (SaaS Fulfillment API v2 resolve).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedPurchase {
    /// The subscription.
    pub subscription: SubscriptionId,
    /// Its nickname.
    pub subscription_name: String,
    /// The customer (the purchaser's tenant).
    pub customer: CustomerId,
    /// The customer's company name.
    pub customer_name: String,
    /// The customer's primary domain.
    pub customer_domain: String,
    /// The offer id.
    pub offer_id: String,
    /// The offer's name.
    pub offer_name: String,
    /// The plan id.
    pub plan_id: String,
    /// The plan's name.
    pub plan_name: String,
    /// Purchased licenses.
    pub quantity: u32,
    /// Licenses already assigned.
    pub licenses: Vec<String>,
}

impl Engine {
    /// The activation link of a pending subscription. When its code has expired, a new code is
    /// issued and the old one stops working.
    pub fn activation_link(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        ids: &mut dyn IdSource,
        id: SubscriptionId,
    ) -> Result<ActivationLink, CommandError> {
        self.run(
            actor,
            now,
            Operation::GetActivationLink,
            self.target(id),
            |engine| {
                if let Some(link) = engine.current_activation_link(actor, now, id)? {
                    return Ok((link, None));
                }
                let sub = engine.subscription(id)?;
                let current = sub.activation.clone().expect("pending has a code");
                let landing = engine.offer_and_plan(sub).0.landing_url.clone();
                let fresh = new_code(ids, now);
                let change = Change::of(
                    sub,
                    format!("Link expired {}", time::display(current.expires_at)),
                    format!("New link valid until {}", time::display(fresh.expires_at)),
                );
                let sub = engine.subscription_mut(id);
                sub.activation = Some(fresh.clone());
                sub.version += 1;
                let link = ActivationLink {
                    uri: activation_uri(&landing, &fresh.code),
                    refreshed: true,
                    code: fresh.code,
                    expires_at: fresh.expires_at,
                };
                Ok((link, Some(change)))
            },
        )
    }

    /// The activation link `activation_link` would give, changing nothing: `Some` while its code
    /// is valid, `None` when the code has expired and the command must issue a fresh one, or the
    /// refusal, unrecorded. A server answers with it, so that reading a link never writes.
    pub fn current_activation_link(
        &self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
    ) -> Result<Option<ActivationLink>, CommandError> {
        self.authorize(actor, Need::View)?;
        let sub = self.subscription(id)?;
        require_pending(sub)?;
        let code = sub.activation.as_ref().expect("pending has a code");
        Ok((now < code.expires_at).then(|| ActivationLink {
            uri: activation_uri(&self.offer_and_plan(sub).0.landing_url, &code.code),
            code: code.code.clone(),
            expires_at: code.expires_at,
            refreshed: false,
        }))
    }

    /// The address `activation_link` gives for a subscription waiting for activation, while its
    /// code is valid; `None` once the code has expired (a fresh link is needed) or when the
    /// subscription is not waiting for activation. Changes nothing.
    pub fn valid_activation_uri(&self, id: SubscriptionId, now: Timestamp) -> Option<String> {
        let sub = self.state.subscriptions.get(&id)?;
        let code = sub
            .activation
            .as_ref()
            .filter(|code| sub.status == SubscriptionStatus::Pending && now < code.expires_at)?;
        Some(activation_uri(
            &self.offer_and_plan(sub).0.landing_url,
            &code.code,
        ))
    }

    /// The publisher resolves an activation code to the purchase it identifies, as a command:
    /// a refusal is recorded in the activity log (the in-browser publisher's site).
    pub fn resolve(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        token: &str,
    ) -> Result<ResolvedPurchase, CommandError> {
        let found = self.subscription_of_code(token);
        let target = found.map_or((None, None), |id| self.target(id));
        self.run(actor, now, Operation::ResolvePurchase, target, |engine| {
            Ok((engine.resolved(actor, now, token)?, None))
        })
    }

    /// The purchase an activation code identifies, for the publisher, changing nothing: how a
    /// server answers callers who are not signed in, whose refusals it does not store.
    pub fn resolved(
        &self,
        actor: &Actor,
        now: Timestamp,
        token: &str,
    ) -> Result<ResolvedPurchase, CommandError> {
        let token = token.trim();
        if token.len() != 40 || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(ParseError::TokenFormat.into());
        }
        let id = self
            .subscription_of_code(token)
            .ok_or(ActivationError::UnknownCode)?;
        let sub = self.subscription(id)?;
        self.require_publisher(actor, sub)?;
        if sub.status != SubscriptionStatus::Pending {
            return Err(not_pending(sub.status).into());
        }
        let expires = sub.activation.as_ref().expect("found by code").expires_at;
        if now >= expires {
            return Err(ActivationError::ExpiredCode {
                expired: time::display(expires),
            }
            .into());
        }
        let (offer, plan) = self.offer_and_plan(sub);
        let customer = &self.state.customers[&sub.customer];
        Ok(ResolvedPurchase {
            subscription: sub.id,
            subscription_name: sub.nickname.to_string(),
            customer: customer.id,
            customer_name: customer.company_name.clone(),
            customer_domain: customer.primary_domain.clone(),
            offer_id: offer.id.to_string(),
            offer_name: offer.name.clone(),
            plan_id: plan.id.to_string(),
            plan_name: plan.name.clone(),
            quantity: sub.quantity,
            licenses: sub.licenses.clone(),
        })
    }

    /// The subscription whose activation code is `token`.
    fn subscription_of_code(&self, token: &str) -> Option<SubscriptionId> {
        let token = token.trim();
        self.state
            .subscriptions
            .values()
            .find(|s| s.activation.as_ref().is_some_and(|a| a.code == token))
            .map(|s| s.id)
    }

    /// Records that the partner did (or undid) one of the seed's setup tasks on a pending
    /// subscription, with who and when.
    pub fn record_setup_task(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
        task: SetupTask,
        done: bool,
    ) -> Result<(), CommandError> {
        self.run(
            actor,
            now,
            Operation::RecordSetupTask,
            self.target(id),
            |engine| {
                let by = engine.authorize(actor, Need::Purchase)?.name.clone();
                let sub = engine.subscription(id)?;
                require_pending(sub)?;
                let was_done = sub.setup_tasks.iter().any(|r| r.task == task);
                if was_done == done {
                    return Err(UpdateError::Unchanged {
                        field: "Setup task",
                        value: if done { "done" } else { "not done" }.into(),
                    }
                    .into());
                }
                let word = |d: bool| if d { "Done" } else { "Not done" };
                let change = Change::of(sub, word(was_done), word(done));
                let sub = engine.subscription_mut(id);
                if done {
                    sub.setup_tasks.push(SetupTaskRecord { task, by, at: now });
                } else {
                    sub.setup_tasks.retain(|r| r.task != task);
                }
                sub.version += 1;
                Ok((
                    (),
                    Some(Change {
                        reason: Some(task.label().into()),
                        ..change
                    }),
                ))
            },
        )
    }

    /// The publisher assigns licenses (e-mail addresses), up to the purchased quantity. The list
    /// replaces the one assigned before.
    pub fn assign_licenses(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
        emails: &[String],
    ) -> Result<(), CommandError> {
        self.run(
            actor,
            now,
            Operation::AssignLicenses,
            self.target(id),
            |engine| {
                let sub = engine.subscription(id)?;
                engine.require_publisher(actor, sub)?;
                require_pending(sub)?;
                let mut licenses: Vec<String> = Vec::with_capacity(emails.len());
                for email in emails {
                    let email = email.trim().to_ascii_lowercase();
                    if !is_email(&email) {
                        return Err(ActivationError::LicenseEmail { text: email }.into());
                    }
                    if !licenses.contains(&email) {
                        licenses.push(email);
                    }
                }
                if licenses.len() > sub.quantity as usize {
                    return Err(ActivationError::TooManyLicenses {
                        assigned: licenses.len(),
                        quantity: sub.quantity,
                    }
                    .into());
                }
                let change = Change::of(
                    sub,
                    format!("{} assigned", sub.licenses.len()),
                    format!("{} assigned", licenses.len()),
                );
                let sub = engine.subscription_mut(id);
                sub.licenses = licenses;
                sub.version += 1;
                Ok(((), Some(change)))
            },
        )
    }

    /// The publisher confirms setup is complete (SaaS Fulfillment API v2 activate). The plan and
    /// quantity must be the purchased ones and licenses must be assigned. Billing starts now.
    pub fn activate(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        id: SubscriptionId,
        plan_id: &str,
        quantity: u32,
    ) -> Result<(), CommandError> {
        self.run(actor, now, Operation::Activate, self.target(id), |engine| {
            let sub = engine.subscription(id)?;
            engine.require_publisher(actor, sub)?;
            require_pending(sub)?;
            if plan_id != sub.item.plan.as_str() {
                return Err(mismatch("plan", sub.item.plan.to_string(), plan_id.into()));
            }
            if quantity != sub.quantity {
                return Err(mismatch(
                    "quantity",
                    sub.quantity.to_string(),
                    quantity.to_string(),
                ));
            }
            if sub.licenses.is_empty() {
                return Err(ActivationError::NoLicenses.into());
            }
            let change = Change::of(sub, "Action needed", "Active");
            let months = if sub.is_trial {
                1
            } else {
                sub.billing.period_months(sub.term)
            };
            let term_months = if sub.is_trial { 1 } else { sub.term.months() };
            let periods = Periods {
                term_start: now,
                term_end: time::period_end(now, term_months),
                period_start: now,
                period_end: time::period_end(now, months),
            };
            let sub = engine.subscription_mut(id);
            sub.status = SubscriptionStatus::Active;
            sub.activated_at = Some(now);
            sub.periods = Some(periods);
            sub.version += 1;
            engine.charge_period(id, now, ChargeType::New);
            engine.note_due(id);
            Ok(((), Some(change)))
        })
    }

    /// The customer and subscription an entry about `id` names (none when `id` is unknown).
    pub(crate) fn target(
        &self,
        id: SubscriptionId,
    ) -> (Option<crate::ids::CustomerId>, Option<SubscriptionId>) {
        let customer = self.state.subscriptions.get(&id).map(|s| s.customer);
        (customer, Some(id))
    }

    /// Only the publisher of the subscription's offer may act on its fulfillment side.
    pub fn require_publisher(&self, actor: &Actor, sub: &Subscription) -> Result<(), Denied> {
        let Actor::Publisher(publisher) = actor else {
            return Err(Denied::OtherPublisher);
        };
        if &self.offer_and_plan(sub).0.publisher_id == publisher {
            Ok(())
        } else {
            Err(Denied::OtherPublisher)
        }
    }
}

fn require_pending(sub: &Subscription) -> Result<(), ActivationError> {
    if sub.status == SubscriptionStatus::Pending {
        Ok(())
    } else {
        Err(not_pending(sub.status))
    }
}

fn not_pending(status: SubscriptionStatus) -> ActivationError {
    if status == SubscriptionStatus::Active {
        ActivationError::AlreadyActivated
    } else {
        ActivationError::NotPending { status }
    }
}

fn mismatch(field: &'static str, expected: String, got: String) -> CommandError {
    ActivationError::Mismatch {
        field,
        expected,
        got,
    }
    .into()
}

/// A plain e-mail address: one `@`, a local part, a dotted domain, no spaces.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// The publisher's landing page with the activation code that identifies the purchase.
fn activation_uri(landing: &str, code: &str) -> String {
    format!("{landing}?token={code}")
}
