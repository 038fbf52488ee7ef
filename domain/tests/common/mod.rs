//! A small, hand-built partner for the rule tests: the demo catalog, one user per role, two
//! customers, and helpers to buy and activate as a partner and a publisher would.
#![allow(dead_code)]

use std::collections::BTreeMap;

use domain::demo::catalog;
use domain::*;

pub const T0: &str = "2026-03-12T14:05:00Z";

pub fn at(text: &str) -> Timestamp {
    text.parse().expect("a valid RFC 3339 time")
}

pub fn t0() -> Timestamp {
    at(T0)
}

pub struct World {
    pub engine: Engine,
    pub ids: SeededIds,
    pub customer: CustomerId,
    pub other_customer: CustomerId,
}

impl World {
    pub fn new() -> Self {
        Self::with_kind(PartnerKind::IndirectProvider)
    }

    pub fn with_kind(kind: PartnerKind) -> Self {
        let mut ids = SeededIds::new(42);
        let users = Role::ALL
            .into_iter()
            .map(|role| User {
                id: UserId::generate(&mut ids),
                name: role.label().to_owned(),
                email: format!("{}@partner.example", role.label().replace(' ', ".")),
                role,
            })
            .collect();
        let resellers = vec![
            Reseller {
                partner_id: ResellerPartnerId::parse("4711002").unwrap(),
                name: "Bellows College IT Services".into(),
                authorized: true,
            },
            Reseller {
                partner_id: ResellerPartnerId::parse("1234567").unwrap(),
                name: "Trey Research Consulting".into(),
                authorized: false,
            },
        ];
        let customer = |ids: &mut SeededIds, name: &str, domain: &str, country: &str| Customer {
            id: CustomerId::generate(ids),
            company_name: name.into(),
            primary_domain: domain.into(),
            country: country.into(),
            relationship: Relationship::Reseller,
            tags: vec![],
        };
        let a = customer(&mut ids, "Contoso Ltd", "contoso.onmicrosoft.com", "US");
        let b = customer(
            &mut ids,
            "Wingtip Toys",
            "wingtiptoys.onmicrosoft.com",
            "CN",
        );
        let (customer, other_customer) = (a.id, b.id);
        let state = State {
            schema_version: SCHEMA_VERSION,
            partner: Partner {
                name: "Relecloud Partners".into(),
                partner_id: "6123456".into(),
                kind,
                resellers,
                users,
            },
            policy: Policy::default(),
            catalog: catalog(),
            customers: BTreeMap::from([(a.id, a), (b.id, b)]),
            subscriptions: BTreeMap::new(),
            carts: BTreeMap::new(),
            orders: vec![],
            charges: vec![],
            invoices: vec![],
            activity: vec![],
            clock: at("2026-03-01T00:00:00Z"),
        };
        World {
            engine: Engine::new(state),
            ids,
            customer,
            other_customer,
        }
    }

    pub fn user(&self, role: Role) -> Actor {
        let user = self
            .engine
            .state()
            .partner
            .users
            .iter()
            .find(|u| u.role == role)
            .unwrap();
        Actor::User(user.id)
    }

    pub fn admin(&self) -> Actor {
        self.user(Role::AdminAgent)
    }

    /// A cart line for offer `offer` (by id), plan `plan`, on a term and billing frequency.
    pub fn line(
        &self,
        offer: &str,
        plan: &str,
        term: Term,
        billing: BillingFrequency,
        quantity: u64,
    ) -> CartLine {
        let catalog = &self.engine.state().catalog;
        let offer = catalog.offer(&OfferId::parse(offer).unwrap()).unwrap();
        let plan = offer.plan(&PlanId::parse(plan).unwrap()).unwrap();
        CartLine {
            item: CatalogItemId {
                offer: offer.id.clone(),
                plan: plan.id.clone(),
                availability: plan.availability.clone(),
            },
            term,
            billing,
            quantity,
            free_trial: false,
            nickname: None,
            reseller: None,
        }
    }

    /// Buys lines for the main customer as an Admin agent; the order.
    pub fn buy_lines(
        &mut self,
        now: Timestamp,
        lines: Vec<CartLine>,
    ) -> Result<Order, CommandError> {
        let admin = self.admin();
        let customer = self.customer;
        let cart = self
            .engine
            .create_cart(&admin, now, &mut self.ids, customer, lines)?;
        self.engine
            .checkout(&admin, now, &mut self.ids, customer, cart)
    }

    /// Contoso Sign Standard, monthly term billed monthly at $12.00, `quantity` licenses.
    pub fn buy_monthly(&mut self, now: Timestamp, quantity: u64) -> SubscriptionId {
        let line = self.line(
            "DZH318Z0BXWC",
            "0001",
            Term::P1M,
            BillingFrequency::Monthly,
            quantity,
        );
        self.buy_lines(now, vec![line]).unwrap().lines[0].subscription
    }

    /// Contoso Sign Standard, one-year term billed monthly at $10.00, `quantity` licenses.
    pub fn buy_annual(&mut self, now: Timestamp, quantity: u64) -> SubscriptionId {
        let line = self.line(
            "DZH318Z0BXWC",
            "0001",
            Term::P1Y,
            BillingFrequency::Monthly,
            quantity,
        );
        self.buy_lines(now, vec![line]).unwrap().lines[0].subscription
    }

    pub fn publisher_of(&self, id: SubscriptionId) -> Actor {
        let sub = self.engine.subscription(id).unwrap();
        Actor::Publisher(self.engine.offer_and_plan(sub).0.publisher_id.clone())
    }

    /// The publisher assigns one license and activates at `now`.
    pub fn activate(&mut self, id: SubscriptionId, now: Timestamp) {
        let publisher = self.publisher_of(id);
        let sub = self.engine.subscription(id).unwrap().clone();
        self.engine
            .assign_licenses(
                &publisher,
                now,
                id,
                &["admin@contoso.onmicrosoft.com".into()],
            )
            .unwrap();
        self.engine
            .activate(&publisher, now, id, sub.item.plan.as_str(), sub.quantity)
            .unwrap();
    }

    pub fn sub(&self, id: SubscriptionId) -> &Subscription {
        self.engine.subscription(id).unwrap()
    }

    pub fn charges_of(&self, id: SubscriptionId) -> Vec<&Charge> {
        self.engine
            .state()
            .charges
            .iter()
            .filter(|c| c.subscription == id)
            .collect()
    }
}
