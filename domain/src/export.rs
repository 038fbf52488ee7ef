//! CSV exports: RFC 4180 quoting, UTF-8, and every cell a spreadsheet would run as a formula
//! neutralised. Customers, a customer's subscriptions, an invoice's reconciliation file and the
//! activity log.

use crate::activity::{ActivityEntry, Outcome};
use crate::engine::{Actor, Engine, ReconciliationRow};
use crate::error::CommandError;
use crate::ids::CustomerId;
use crate::time::display;

/// One cell, safe for a spreadsheet: text that starts like a formula (`=`, `+`, `-`, `@`, a tab or
/// a carriage return) gets a leading apostrophe, unless it is a plain number such as `-12.50`.
pub fn neutralise(cell: &str) -> String {
    let is_number = {
        let digits = cell.strip_prefix('-').unwrap_or(cell);
        !digits.is_empty()
            && digits.split('.').count() <= 2
            && digits
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_number => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// One cell quoted as RFC 4180 asks: in double quotes when it holds a comma, a quote or a line
/// break, with its quotes doubled.
fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

/// A CSV document: the header row, then the rows, lines ended with CRLF.
pub fn csv<R: AsRef<[String]>>(header: &[&str], rows: impl IntoIterator<Item = R>) -> String {
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = String>, out: &mut String| {
        let joined: Vec<String> = cells.map(|c| quote(&neutralise(&c))).collect();
        out.push_str(&joined.join(","));
        out.push_str("\r\n");
    };
    line(&mut header.iter().map(|h| (*h).to_owned()), &mut out);
    for row in rows {
        line(&mut row.as_ref().iter().cloned(), &mut out);
    }
    out
}

/// `Customers.csv`: every customer, as Partner Center exports them.
pub fn customers_csv(engine: &Engine) -> String {
    let rows = engine.state().customers.values().map(|c| {
        vec![
            c.id.to_string(),
            c.company_name.clone(),
            c.primary_domain.clone(),
            c.relationship.label().to_owned(),
            c.tags.join("; "),
        ]
    });
    csv(
        &[
            "Microsoft ID",
            "Company name",
            "Primary domain name",
            "Relationship",
            "Tags",
        ],
        rows,
    )
}

/// A customer's subscriptions.
pub fn subscriptions_csv(engine: &Engine, customer: CustomerId) -> Result<String, CommandError> {
    let subs = engine.customer_subscriptions(customer, None)?;
    let partner = &engine.state().partner;
    let rows = subs.into_iter().map(|s| {
        let (offer, plan) = engine.offer_and_plan(s);
        vec![
            s.id.to_string(),
            s.nickname.to_string(),
            offer.name.clone(),
            plan.name.clone(),
            offer.publisher_name.clone(),
            s.quantity.to_string(),
            s.status.label().to_owned(),
            s.term_and_billing(),
            s.renews_or_ends(),
            partner.reseller_label(s.reseller.as_ref()),
        ]
    });
    // The columns the Subscriptions list shows, with the subscription's id first.
    Ok(csv(
        &[
            "Subscription ID",
            "Subscription",
            "Offer",
            "Plan",
            "Publisher",
            "Quantity",
            "Status",
            "Term and billing",
            "Renews or ends on",
            "Reseller",
        ],
        rows,
    ))
}

/// The columns of the reconciliation file, in order.
pub const RECONCILIATION_COLUMNS: [&str; 25] = [
    "PartnerId",
    "CustomerId",
    "CustomerName",
    "CustomerDomainName",
    "InvoiceNumber",
    "ResellerMpnId",
    "OrderId",
    "OrderDate",
    "ProductId",
    "SkuId",
    "AvailabilityId",
    "SkuName",
    "ProductName",
    "PublisherName",
    "ChargeType",
    "UnitPrice",
    "Quantity",
    "Subtotal",
    "Currency",
    "SubscriptionId",
    "SubscriptionDescription",
    "ChargeStartDate",
    "ChargeEndDate",
    "TermAndBillingCycle",
    "BillingFrequency",
];

/// An invoice's reconciliation file (billing roles only).
pub fn reconciliation_csv(
    engine: &Engine,
    actor: &Actor,
    invoice: &str,
) -> Result<String, CommandError> {
    let rows = engine.reconciliation(actor, invoice)?;
    Ok(csv(
        &RECONCILIATION_COLUMNS,
        rows.iter().map(reconciliation_cells),
    ))
}

fn reconciliation_cells(r: &ReconciliationRow) -> Vec<String> {
    [
        &r.partner_id,
        &r.customer_id,
        &r.customer_name,
        &r.customer_domain_name,
        &r.invoice_number,
        &r.reseller_mpn_id,
        &r.order_id,
        &r.order_date,
        &r.product_id,
        &r.sku_id,
        &r.availability_id,
        &r.sku_name,
        &r.product_name,
        &r.publisher_name,
        &r.charge_type,
        &r.unit_price,
        &r.quantity,
        &r.subtotal,
        &r.currency,
        &r.subscription_id,
        &r.subscription_description,
        &r.charge_start_date,
        &r.charge_end_date,
        &r.term_and_billing_cycle,
        &r.billing_frequency,
    ]
    .into_iter()
    .cloned()
    .collect()
}

/// Activity log entries.
pub fn activity_csv<'a>(entries: impl IntoIterator<Item = &'a ActivityEntry>) -> String {
    let rows = entries.into_iter().map(|e| {
        let (result, message) = match &e.outcome {
            Outcome::Succeeded => ("Done".to_owned(), String::new()),
            Outcome::Denied { message, .. } => ("Refused".to_owned(), message.clone()),
        };
        vec![
            display(e.at),
            e.actor.name.clone(),
            e.actor
                .role
                .map_or_else(String::new, |r| r.label().to_owned()),
            e.customer.map_or_else(String::new, |c| c.to_string()),
            e.subscription.map_or_else(String::new, |s| s.to_string()),
            e.operation.label().to_owned(),
            e.old.clone().unwrap_or_default(),
            e.new.clone().unwrap_or_default(),
            e.reason.clone().unwrap_or_default(),
            result,
            message,
        ]
    });
    csv(
        &[
            "When",
            "Who",
            "Role",
            "Customer",
            "Subscription",
            "Operation",
            "Old value",
            "New value",
            "Reason",
            "Result",
            "Message",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised_but_numbers_are_kept() {
        assert_eq!(neutralise("=SUM(A1:A9)"), "'=SUM(A1:A9)");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("-12.50"), "-12.50");
        assert_eq!(neutralise("Contoso"), "Contoso");
    }

    #[test]
    fn cells_with_commas_quotes_and_line_breaks_are_quoted() {
        let text = csv(
            &["a", "b"],
            [vec!["x, y".to_owned(), "say \"hi\"\nthere".to_owned()]],
        );
        assert_eq!(text, "a,b\r\n\"x, y\",\"say \"\"hi\"\"\nthere\"\r\n");
    }
}
