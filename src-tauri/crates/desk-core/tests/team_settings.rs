//! Desk-wide settings in a team (issue 28, 6): the customer retention, refund period, lock time
//! and commission display are the team's, kept in the team journal; a supervisor changes them
//! for every desk, and the retention purge runs once a day for the team, not once per desk.

mod common;

use chrono::{Duration, Utc};
use common::*;
use desk_core::dto::Preferences;
use desk_core::journal::{EntryKind, Filter, Journal, NewEntry, Outcome, PgJournal};
use desk_core::settings::Retention;

/// An entry made `days` ago with its customer.
fn old_sale(days: i64) -> (NewEntry, Outcome, chrono::DateTime<Utc>) {
    let entry = NewEntry {
        kind: Some(EntryKind::Payment),
        profile_id: "demo".into(),
        environment: "demo".into(),
        amount: Some(rust_decimal::Decimal::from(100)),
        currency: "TRY".into(),
        order_reference: Some(format!("ORD-OLD-{days}")),
        customer: Some(desk_core::journal::Customer {
            name: "Ayşe".into(),
            surname: "Yılmaz".into(),
            email: "ayse@example.com".into(),
            phone: None,
            note: None,
        }),
        ..NewEntry::default()
    };
    (entry, Outcome::Success, Utc::now() - Duration::days(days))
}

async fn customers_kept(journal: &dyn Journal) -> usize {
    journal
        .all(&Filter::default())
        .await
        .unwrap()
        .iter()
        .filter(|e| e.customer.is_some())
        .count()
}

/// Before, a desk on the default retention (a year) erased, at its next start, the customers
/// of the whole team journal that the team keeps. Until a supervisor sets the team's retention,
/// nothing is purged from a team journal; once set, it holds on every desk.
#[tokio::test]
async fn a_desks_own_retention_does_not_purge_the_team_journal() {
    let f = fixture().await;
    let url = fresh_database("dd_team_retention").await;
    let a = desk_on(&f, PgJournal::connect(&url).await.unwrap());
    a.journal().record_many(&[old_sale(400)]).await.unwrap();
    assert_eq!(
        a.apply_retention().await.unwrap(),
        0,
        "the team has not decided"
    );
    assert_eq!(customers_kept(a.journal().as_ref()).await, 1);

    a.update_preferences(Preferences {
        customer_retention: Some(Retention::Keep),
        ..Preferences::default()
    })
    .await
    .unwrap();
    // Another computer, whose own setting is still the default year, starts.
    let b = desk_elsewhere(&f, PgJournal::connect(&url).await.unwrap());
    assert_eq!(
        b.status().await.unwrap().customer_retention,
        Retention::Year
    );
    assert_eq!(b.apply_retention().await.unwrap(), 0, "the team keeps");
    assert_eq!(customers_kept(b.journal().as_ref()).await, 1);

    // A supervisor on B chooses a year for the team: it purges at once, and holds on A.
    b.update_preferences(Preferences {
        customer_retention: Some(Retention::Year),
        ..Preferences::default()
    })
    .await
    .unwrap();
    assert_eq!(customers_kept(a.journal().as_ref()).await, 0);
    a.adopt_team_settings().await.unwrap();
    assert_eq!(
        a.status().await.unwrap().customer_retention,
        Retention::Year,
        "one value for the team: the last a supervisor chose"
    );
}

/// What a supervisor sets on one desk reaches the others; the purge runs once a day for the
/// team, whichever desk starts first.
#[tokio::test]
async fn team_settings_reach_every_desk_and_the_purge_runs_once_a_day() {
    let f = fixture().await;
    let url = fresh_database("dd_team_settings").await;
    let a = desk_on(&f, PgJournal::connect(&url).await.unwrap());
    let b = desk_on(&f, PgJournal::connect(&url).await.unwrap());
    a.update_preferences(Preferences {
        customer_retention: Some(Retention::Days90),
        refund_period_days: Some(60),
        lock_after_minutes: Some(15),
        commission_to_customer: Some(true),
        ..Preferences::default()
    })
    .await
    .unwrap();
    // A later change of the team's settings lets the next start purge again.
    a.update_preferences(Preferences {
        refund_period_days: Some(90),
        ..Preferences::default()
    })
    .await
    .unwrap();
    b.adopt_team_settings().await.unwrap();
    let on_b = b.status().await.unwrap();
    assert_eq!(
        (
            on_b.customer_retention,
            on_b.refund_period_days,
            b.staff_status().await.unwrap().lock_after_minutes,
            on_b.commission_to_customer
        ),
        (Retention::Days90, 90, 15, true)
    );

    a.journal().record_many(&[old_sale(100)]).await.unwrap();
    assert_eq!(b.apply_retention().await.unwrap(), 1, "the day's purge");
    a.journal().record_many(&[old_sale(120)]).await.unwrap();
    assert_eq!(
        a.apply_retention().await.unwrap(),
        0,
        "the team's purge already ran today"
    );
}
