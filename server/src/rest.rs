//! The JSON shapes of the Partner Center REST API that the server speaks (camelCase fields, as in
//! the Subscription, Customer, Cart and Order resources), built from the domain's types.

use domain::{Customer, Engine, Order, Subscription};
use serde::Serialize;
use serde_json::{Value, json};

/// `{"totalCount", "items", "attributes": {"objectType": "Collection"}}`.
pub fn collection<T: Serialize>(items: Vec<T>) -> Value {
    json!({ "totalCount": items.len(), "items": items, "attributes": { "objectType": "Collection" } })
}

/// The Customer resource.
pub fn customer(c: &Customer) -> Value {
    json!({
        "id": c.id.to_string(),
        "companyProfile": {
            "tenantId": c.id.to_string(),
            "domain": c.primary_domain,
            "companyName": c.company_name,
        },
        "billingProfile": { "defaultAddress": { "country": c.country } },
        "relationshipToPartner": c.relationship.label(),
        "tags": c.tags,
        "links": { "self": { "uri": format!("/v1/customers/{}", c.id), "method": "GET", "headers": [] } },
        "attributes": { "objectType": "Customer" },
    })
}

/// The Subscription resource.
pub fn subscription(engine: &Engine, s: &Subscription) -> Value {
    let (offer, plan) = engine.offer_and_plan(s);
    let until = engine.cancellation_allowed_until(s);
    let base = format!("/v1/customers/{}", s.customer);
    json!({
        "id": s.id.to_string(),
        "offerId": s.item.to_string(),
        "offerName": format!("{} – {}", offer.name, plan.name),
        "friendlyName": s.nickname.as_str(),
        "quantity": s.quantity,
        "unitType": "Licenses",
        "creationDate": s.created_at.to_rfc3339(),
        "effectiveStartDate": s.activated_at.map(|t| t.to_rfc3339()),
        "commitmentEndDate": s.term_end().map(|t| t.to_rfc3339()),
        "status": s.status.rest_value(),
        "autoRenewEnabled": s.auto_renew,
        "billingType": "license",
        "billingCycle": s.billing.as_str(),
        "termDuration": s.term.as_str(),
        "isTrial": s.is_trial,
        "isMicrosoftProduct": false,
        "publisherName": offer.publisher_name,
        "partnerId": s.reseller.as_ref().map(ToString::to_string),
        "orderId": s.order_id.as_str(),
        "cancellationAllowedUntilDate": until.map(|t| t.to_rfc3339()),
        "refundOptions": until.map(|t| vec![json!({ "type": "Full", "expiresAt": t.to_rfc3339() })]).unwrap_or_default(),
        "links": {
            "self": { "uri": format!("{base}/subscriptions/{}", s.id), "method": "GET", "headers": [] },
            "offer": { "uri": format!("/v1/offers/{}", s.item.offer), "method": "GET", "headers": [] },
            "activationLinks": { "uri": format!("{base}/orders/{}/lineitems/{}/activationlinks", s.order_id, s.line_item), "method": "GET", "headers": [] },
        },
        "attributes": { "etag": s.etag(), "objectType": "Subscription" },
    })
}

/// The Order resource.
pub fn order(o: &Order) -> Value {
    json!({
        "id": o.id.as_str(),
        "referenceCustomerId": o.customer.to_string(),
        "creationDate": o.created_at.to_rfc3339(),
        "status": "completed",
        "lineItems": o.lines.iter().map(|l| json!({
            "lineItemNumber": l.number,
            "offerId": l.item.to_string(),
            "subscriptionId": l.subscription.to_string(),
            "quantity": l.quantity,
            "termDuration": l.term.as_str(),
            "billingCycle": l.billing.as_str(),
            "links": { "activationLinks": { "uri": format!("/v1/customers/{}/orders/{}/lineitems/{}/activationlinks", o.customer, o.id, l.number), "method": "GET", "headers": [] } },
        })).collect::<Vec<_>>(),
        "attributes": { "objectType": "Order" },
    })
}

/// The CartCheckoutResult resource: the orders a checkout placed.
pub fn checkout_result(o: &Order) -> Value {
    json!({ "orders": [order(o)], "orderErrors": [], "attributes": { "objectType": "CartCheckoutResult" } })
}
