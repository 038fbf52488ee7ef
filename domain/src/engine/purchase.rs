use chrono::TimeDelta;

use super::{Actor, Change, Engine, Need};
use crate::activity::Operation;
use crate::error::{CommandError, NotFound, PurchaseError, UpdateError};
use crate::ids::{CartId, CustomerId, IdSource, OrderId, SubscriptionId, base36};
use crate::nickname::Nickname;
use crate::order::{Cart, CartLine, Order, OrderLine};
use crate::partner::PartnerKind;
use crate::partner_id::ResellerPartnerId;
use crate::status::SubscriptionStatus;
use crate::subscription::{ACTIVATION_CODE_HOURS, ActivationCode, Subscription};
use crate::time::Timestamp;

impl Engine {
    /// Creates a cart of lines for a customer (Sales agents may buy too). The lines are checked now
    /// and again at checkout.
    pub fn create_cart(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        ids: &mut dyn IdSource,
        customer: CustomerId,
        lines: Vec<CartLine>,
    ) -> Result<CartId, CommandError> {
        self.run(
            actor,
            now,
            Operation::CreateCart,
            (Some(customer), None),
            |engine| {
                engine.authorize(actor, Need::Purchase)?;
                engine.check_lines(customer, &lines)?;
                let id = CartId::generate(ids);
                let summary = format!("{} line(s)", lines.len());
                engine.state.carts.insert(
                    id,
                    Cart {
                        id,
                        customer,
                        created_at: now,
                        lines,
                        order: None,
                    },
                );
                let change = Change {
                    customer: Some(customer),
                    subscription: None,
                    old: None,
                    new: Some(format!("Cart {id}: {summary}")),
                    reason: None,
                };
                Ok((id, Some(change)))
            },
        )
    }

    /// Checks out a cart: one order with numbered lines, each a new subscription waiting for the
    /// publisher's activation ("Action needed") with a fresh activation code. Nothing is charged.
    /// Records one Purchase entry per subscription created.
    pub fn checkout(
        &mut self,
        actor: &Actor,
        now: Timestamp,
        ids: &mut dyn IdSource,
        customer: CustomerId,
        cart: CartId,
    ) -> Result<Order, CommandError> {
        self.run(
            actor,
            now,
            Operation::Purchase,
            (Some(customer), None),
            |engine| {
                let user = engine.authorize(actor, Need::Purchase)?.name.clone();
                let found = engine
                    .state
                    .carts
                    .get(&cart)
                    .filter(|c| c.customer == customer)
                    .ok_or_else(|| NotFound {
                        what: "Cart",
                        id: cart.to_string(),
                    })?;
                if let Some(order) = &found.order {
                    return Err(PurchaseError::AlreadyCheckedOut {
                        order: order.to_string(),
                    }
                    .into());
                }
                let lines = found.lines.clone();
                engine.check_lines(customer, &lines)?;
                let order = engine.place_order(now, ids, customer, user, &lines);
                engine
                    .state
                    .carts
                    .get_mut(&cart)
                    .expect("found above")
                    .order = Some(order.id.clone());
                Ok((order, None))
            },
        )
        .inspect(|order| {
            for line in &order.lines {
                let sub = &self.state.subscriptions[&line.subscription];
                let change = Change::of(
                    sub,
                    "",
                    format!(
                        "Order {} line {}: {} × {}",
                        order.id,
                        line.shown_number(),
                        line.quantity,
                        sub.nickname
                    ),
                );
                self.log(
                    actor,
                    now,
                    Operation::Purchase,
                    change,
                    crate::activity::Outcome::Succeeded,
                );
            }
        })
    }

    /// Whether the actor may buy subscriptions (Sales agents may).
    pub fn can_purchase(&self, actor: &Actor) -> Result<(), crate::error::Denied> {
        self.authorize(actor, Need::Purchase).map(drop)
    }

    /// Checks one line against every purchase rule before it goes into a cart, so the page can
    /// say at once what checkout would refuse.
    pub fn check_cart_line(
        &self,
        customer: CustomerId,
        line: &CartLine,
    ) -> Result<(), CommandError> {
        self.check_lines(customer, std::slice::from_ref(line))
    }

    /// Every purchase rule for every line, in order; the first broken one is the error.
    fn check_lines(&self, customer: CustomerId, lines: &[CartLine]) -> Result<(), CommandError> {
        let customer = self
            .state
            .customers
            .get(&customer)
            .ok_or_else(|| NotFound {
                what: "Customer",
                id: customer.to_string(),
            })?;
        if lines.is_empty() {
            return Err(PurchaseError::EmptyCart.into());
        }
        for (i, line) in lines.iter().enumerate() {
            let n = i + 1;
            let not_in_catalog = |what: String| PurchaseError::NotInCatalog { line: n, what };
            let (offer, plan) = self
                .state
                .catalog
                .item(&line.item)
                .ok_or_else(|| not_in_catalog(format!("Catalog item {}", line.item)))?;
            plan.price(line.term, line.billing).ok_or_else(|| {
                not_in_catalog(format!(
                    "{} with a {} term billed {}",
                    plan.name,
                    line.term.label(),
                    line.billing.label().to_lowercase()
                ))
            })?;
            if !offer.available_in(&customer.country) {
                return Err(PurchaseError::UnavailableInCountry {
                    line: n,
                    offer: offer.name.clone(),
                    country: customer.country.clone(),
                }
                .into());
            }
            if !plan.allows_quantity(line.quantity) {
                return Err(PurchaseError::QuantityOutOfRange {
                    line: n,
                    plan: plan.name.clone(),
                    quantity: line.quantity,
                    min: plan.min_quantity,
                    max: plan.max_quantity,
                }
                .into());
            }
            if line.free_trial && !plan.free_trial {
                return Err(PurchaseError::NoFreeTrial {
                    line: n,
                    plan: plan.name.clone(),
                }
                .into());
            }
            if offer.one_per_customer {
                let held = self
                    .subscriptions_of(customer.id)
                    .any(|s| s.item.offer == offer.id && !s.status.is_terminal());
                let twice = lines[..i].iter().any(|l| l.item.offer == offer.id);
                if held || twice {
                    return Err(PurchaseError::OnePerCustomer {
                        line: n,
                        offer: offer.name.clone(),
                    }
                    .into());
                }
            }
            if let Some(reseller) = &line.reseller {
                self.check_reseller(reseller)?;
            }
        }
        Ok(())
    }

    /// Whether a PartnerID is one of the partner's authorized indirect resellers.
    pub(crate) fn check_reseller(&self, id: &ResellerPartnerId) -> Result<(), UpdateError> {
        if self.state.partner.kind != PartnerKind::IndirectProvider {
            return Err(UpdateError::NoIndirectResellers);
        }
        match self.state.partner.reseller(id) {
            None => Err(UpdateError::PartnerIdNotFound {
                partner_id: id.to_string(),
            }),
            Some(r) if !r.authorized => Err(UpdateError::NotAValidReseller {
                partner_id: id.to_string(),
            }),
            Some(_) => Ok(()),
        }
    }

    /// Creates the order and its pending subscriptions for checked lines.
    fn place_order(
        &mut self,
        now: Timestamp,
        ids: &mut dyn IdSource,
        customer: CustomerId,
        user: String,
        lines: &[CartLine],
    ) -> Order {
        let order_id = OrderId::generate(ids);
        let mut order_lines = Vec::with_capacity(lines.len());
        for (number, line) in (0u32..).zip(lines) {
            let (offer, plan) = self.state.catalog.item(&line.item).expect("checked");
            let price = plan.price(line.term, line.billing).expect("checked");
            let nickname = line.nickname.clone().unwrap_or_else(|| {
                Nickname::parse(&format!("{} – {}", offer.name, plan.name))
                    .expect("catalog names make a valid nickname")
            });
            let quantity = u32::try_from(line.quantity).expect("within the plan's bounds");
            let id = SubscriptionId::generate(ids);
            let sub = Subscription {
                id,
                customer,
                item: line.item.clone(),
                nickname,
                quantity,
                term: line.term,
                billing: line.billing,
                unit_price: price.unit_price,
                status: SubscriptionStatus::Pending,
                auto_renew: true,
                is_trial: line.free_trial,
                reseller: line.reseller.clone(),
                order_id: order_id.clone(),
                line_item: number,
                created_at: now,
                activated_at: None,
                periods: None,
                ended_at: None,
                activation: Some(new_code(ids, now)),
                licenses: Vec::new(),
                setup_tasks: Vec::new(),
                scheduled: None,
                steps_confirmation: None,
                version: 1,
            };
            super::index_subscription(&mut self.by_customer, &self.state.subscriptions, &sub);
            self.state.subscriptions.insert(id, sub);
            order_lines.push(OrderLine {
                number,
                subscription: id,
                item: line.item.clone(),
                quantity,
                term: line.term,
                billing: line.billing,
                unit_price: price.unit_price,
            });
        }
        let order = Order {
            id: order_id,
            customer,
            created_at: now,
            created_by: user,
            lines: order_lines,
        };
        self.state.orders.push(order.clone());
        order
    }
}

/// A fresh activation code, valid for 24 hours from `now`: 40 characters of `0-9A-Z` (about 206
/// bits) from the source's secrets, never from the stream the order's and subscriptions' ids come
/// from.
pub(crate) fn new_code(ids: &mut dyn IdSource, now: Timestamp) -> ActivationCode {
    let code = format!(
        "{}{}",
        base36(ids.secret_u128(), 20),
        base36(ids.secret_u128(), 20)
    );
    ActivationCode {
        code,
        issued_at: now,
        expires_at: now + TimeDelta::hours(ACTIVATION_CODE_HOURS),
    }
}
