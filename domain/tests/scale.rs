//! A partner grown large, and the Subscriptions list's search, status filter, sort and paging.

use domain::demo::scale_state;
use domain::*;

fn now() -> Timestamp {
    "2026-11-24T09:30:00Z".parse().unwrap()
}

fn query() -> SubscriptionQuery {
    SubscriptionQuery {
        text: String::new(),
        status: None,
        sort: SubscriptionSort::Newest,
        direction: SortDirection::Ascending,
        page: 1,
        page_size: 25,
    }
}

fn largest(engine: &Engine) -> CustomerId {
    *engine.state().customers.keys().next().unwrap()
}

#[test]
fn the_scale_data_has_the_customers_and_one_customer_with_the_subscriptions_asked_for() {
    let state = scale_state(now(), 300, 400);
    assert_eq!(state.customers.len(), 300);
    let engine = Engine::new(state.clone());
    let first = largest(&engine);
    let mine = engine.subscriptions_of(first).count();
    assert!(mine >= 400, "the first customer has {mine}");
    assert!(
        engine
            .subscriptions_of(first)
            .filter(|s| s.status == SubscriptionStatus::Active)
            .count()
            > mine / 2,
        "most are active"
    );
    assert_eq!(
        scale_state(now(), 300, 400),
        state,
        "same inputs, same data"
    );
}

#[test]
fn subscriptions_search_matches_offer_plan_publisher_or_nickname_in_any_case() {
    let engine = Engine::new(scale_state(now(), 40, 120));
    let customer = largest(&engine);
    let all = engine
        .search_subscriptions(
            customer,
            &SubscriptionQuery {
                page_size: 1000,
                ..query()
            },
        )
        .unwrap();
    let haystack = |row: &domain::SubscriptionRow| {
        [
            row.subscription.nickname.as_str(),
            &row.offer,
            &row.plan,
            &row.publisher,
        ]
        .map(str::to_lowercase)
    };
    // Part of an offer's name, of a plan's and of a publisher's, in capitals.
    let first = &all.rows[0];
    for text in [&first.offer, &first.plan, &first.publisher] {
        let needle = text[1..text.len().min(6)].to_uppercase();
        let found = engine
            .search_subscriptions(
                customer,
                &SubscriptionQuery {
                    text: format!("  {needle} "),
                    page_size: 1000,
                    ..query()
                },
            )
            .unwrap();
        let lower = needle.to_lowercase();
        let expected: Vec<_> = all
            .rows
            .iter()
            .filter(|row| haystack(row).iter().any(|h| h.contains(&lower)))
            .map(|row| row.subscription.id)
            .collect();
        let ids: Vec<_> = found.rows.iter().map(|row| row.subscription.id).collect();
        assert!(found.total > 0 && found.total < all.total, "{needle}");
        assert_eq!(
            ids, expected,
            "{needle}: every match, and only matches, newest first"
        );
    }
    // Each word of the search is found on its own: a plan's name then an offer's.
    let words =
        [&first.plan, &first.offer].map(|t| t.split_whitespace().next().unwrap().to_lowercase());
    let found = engine
        .search_subscriptions(
            customer,
            &SubscriptionQuery {
                text: words.join(" "),
                page_size: 1000,
                ..query()
            },
        )
        .unwrap();
    let expected: Vec<_> = all
        .rows
        .iter()
        .filter(|row| {
            words
                .iter()
                .all(|w| haystack(row).iter().any(|h| h.contains(w.as_str())))
        })
        .map(|row| row.subscription.id)
        .collect();
    let ids: Vec<_> = found.rows.iter().map(|row| row.subscription.id).collect();
    assert!(!ids.is_empty());
    assert_eq!(ids, expected, "{words:?}");
    let none = engine
        .search_subscriptions(
            customer,
            &SubscriptionQuery {
                text: "no such subscription".into(),
                ..query()
            },
        )
        .unwrap();
    assert_eq!((none.total, none.rows.len(), none.page_count), (0, 0, 1));
}

#[test]
fn subscriptions_filter_by_status_sort_both_ways_and_page() {
    let engine = Engine::new(scale_state(now(), 40, 120));
    let customer = largest(&engine);
    let pending = engine
        .search_subscriptions(
            customer,
            &SubscriptionQuery {
                status: Some(SubscriptionStatus::Pending),
                page_size: 1000,
                ..query()
            },
        )
        .unwrap();
    assert!(pending.total > 0);
    assert!(
        pending
            .rows
            .iter()
            .all(|r| r.subscription.status == SubscriptionStatus::Pending)
    );

    let by = |direction| {
        engine
            .search_subscriptions(
                customer,
                &SubscriptionQuery {
                    sort: SubscriptionSort::Quantity,
                    direction,
                    page_size: 1000,
                    ..query()
                },
            )
            .unwrap()
            .rows
            .iter()
            .map(|r| r.subscription.quantity)
            .collect::<Vec<_>>()
    };
    let up = by(SortDirection::Ascending);
    assert!(up.windows(2).all(|w| w[0] <= w[1]));
    let mut down = by(SortDirection::Descending);
    assert!(down.windows(2).all(|w| w[0] >= w[1]));
    down.reverse();
    assert_eq!(up, down);

    let newest = engine.search_subscriptions(customer, &query()).unwrap();
    assert!(
        newest
            .rows
            .windows(2)
            .all(|w| w[0].subscription.created_at >= w[1].subscription.created_at)
    );
    let last = engine
        .search_subscriptions(
            customer,
            &SubscriptionQuery {
                page: 10_000,
                ..query()
            },
        )
        .unwrap();
    assert_eq!(
        last.page, last.page_count,
        "a page past the end shows the last"
    );
    assert_eq!(last.rows.len(), last.total - (last.page_count - 1) * 25);
}

#[test]
fn subscriptions_of_an_unknown_customer_are_not_found() {
    let engine = Engine::new(scale_state(now(), 5, 5));
    let unknown = CustomerId::parse("00000000-0000-4000-8000-000000000000").unwrap();
    let error = engine.search_subscriptions(unknown, &query()).unwrap_err();
    assert_eq!(error.what, "Customer");
}

#[test]
fn the_list_as_it_opens_pages_through_every_subscription_newest_or_oldest_first() {
    let engine = Engine::new(scale_state(now(), 40, 120));
    let customer = largest(&engine);
    let purchase_order: Vec<SubscriptionId> =
        engine.subscriptions_of(customer).map(|s| s.id).collect();
    let newest_first: Vec<SubscriptionId> = purchase_order.iter().rev().copied().collect();
    for (direction, expected) in [
        (SortDirection::Ascending, newest_first),
        (SortDirection::Descending, purchase_order.clone()),
    ] {
        let at = |page| {
            engine
                .search_subscriptions(
                    customer,
                    &SubscriptionQuery {
                        page,
                        page_size: 7,
                        direction,
                        ..query()
                    },
                )
                .unwrap()
        };
        let first = at(1);
        assert_eq!(first.total, purchase_order.len());
        assert_eq!(first.page_count, purchase_order.len().div_ceil(7));
        let mut seen = Vec::new();
        for page in 1..=first.page_count {
            let shown = at(page);
            assert_eq!(shown.page, page);
            seen.extend(shown.rows.iter().map(|r| r.subscription.id));
        }
        assert_eq!(seen, expected, "{direction:?}");
        // A page past the end shows the last one.
        assert_eq!(at(10_000).rows, at(first.page_count).rows);
    }
}
