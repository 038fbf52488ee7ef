use domain::demo::demo_state;
fn main() {
    let now: domain::Timestamp = "2026-11-24T09:30:00Z".parse().unwrap();
    let s = demo_state(now);
    let mut by = std::collections::BTreeMap::new();
    for sub in s.subscriptions.values() {
        *by.entry(format!("{:?}", sub.status)).or_insert(0) += 1;
    }
    println!("{by:?}");
    println!(
        "subs {} charges {} invoices {} activity {} orders {}",
        s.subscriptions.len(),
        s.charges.len(),
        s.invoices.len(),
        s.activity.len(),
        s.orders.len()
    );
    let denied: Vec<_> = s
        .activity
        .iter()
        .filter(|e| !matches!(e.outcome, domain::Outcome::Succeeded))
        .collect();
    println!("denied {}", denied.len());
    for d in denied.iter().take(10) {
        println!("  {:?} {:?}", d.operation, d.outcome);
    }
    for i in &s.invoices {
        println!("{} {} {} {}", i.number, i.month, i.currency.code(), i.total);
    }
    let e = domain::Engine::new(s.clone());
    let live = s
        .subscriptions
        .values()
        .filter(|x| {
            x.status == domain::SubscriptionStatus::Active
                && e.cancellation_allowed_until(x).is_some_and(|u| u > now)
        })
        .count();
    println!(
        "in window {live}; trials {}; auto-renew off {}; resellers {}; scheduled {}",
        s.subscriptions.values().filter(|x| x.is_trial).count(),
        s.subscriptions
            .values()
            .filter(|x| !x.auto_renew && x.status == domain::SubscriptionStatus::Active)
            .count(),
        s.subscriptions
            .values()
            .filter(|x| x.reseller.is_some())
            .count(),
        s.subscriptions
            .values()
            .filter(|x| x.scheduled.is_some())
            .count()
    );
    let live_links = s
        .subscriptions
        .values()
        .filter(|x| {
            x.status == domain::SubscriptionStatus::Pending
                && x.activation.as_ref().is_some_and(|a| a.expires_at > now)
        })
        .count();
    println!("live links {live_links}; json {} bytes", s.save().len());
}
