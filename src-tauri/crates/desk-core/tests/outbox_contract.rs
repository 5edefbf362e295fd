//! The outbox holds the same on both stores: a letter waits until a desk claims it, one desk at
//! a time; how each try went is kept; a Demo letter is never claimed; the retention purge
//! forgets the customer in old letters.

mod common;

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use common::stores::Store;
use desk_core::journal::{Delivery, NewLetter};
use desk_core::model::{Language, LetterState};

on_both_stores!(
    a_letter_waits_until_claimed_and_keeps_how_each_try_went,
    desks_claiming_together_get_different_letters,
    a_hold_that_ran_out_is_taken_over_and_the_late_desk_writes_nothing,
    the_purge_forgets_the_customer_in_old_letters,
);

fn letter(entry_id: i64, to: &str, state: LetterState) -> NewLetter {
    NewLetter {
        entry_id,
        profile_id: "p1".into(),
        environment: "live".into(),
        recipient: to.into(),
        lang: Language::Turkish,
        subject: format!("Ödeme makbuzu {entry_id}"),
        plain: "Sayın Ayşe Kaya, ₺1.234,56".into(),
        html: "<p>Sayın Ayşe Kaya, ₺1.234,56</p>".into(),
        operator: "Selin".into(),
        state,
    }
}

fn ids(letters: &[desk_core::journal::LetterRecord]) -> BTreeSet<i64> {
    letters.iter().map(|l| l.id).collect()
}

fn later(now: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
    now + TimeDelta::seconds(seconds)
}

async fn a_letter_waits_until_claimed_and_keeps_how_each_try_went(store: Store) {
    let journal = store.open().await;
    let now = Utc::now();
    let first = journal
        .enqueue_letter(&letter(7, "ayse@example.com", LetterState::Waiting), now)
        .await
        .unwrap();
    let second = journal
        .enqueue_letter(&letter(8, "can@example.com", LetterState::Waiting), now)
        .await
        .unwrap();
    let demo = journal
        .enqueue_letter(&letter(9, "demo@example.com", LetterState::Kept), now)
        .await
        .unwrap();

    let claimed = journal
        .claim_letters("desk-a", now, later(now, 60), 10)
        .await
        .unwrap();
    assert_eq!(
        ids(&claimed),
        BTreeSet::from([first, second]),
        "never a kept one"
    );
    assert!(
        journal
            .claim_letters("desk-b", now, later(now, 60), 10)
            .await
            .unwrap()
            .is_empty(),
        "held letters are nobody else's"
    );

    let retry_at = later(now, 120);
    let refused = Delivery::Retry {
        error: "421 try again later".into(),
        next_try: retry_at,
    };
    journal
        .delivered(first, "desk-a", &refused, now)
        .await
        .unwrap();
    journal
        .delivered(second, "desk-a", &Delivery::Sent, now)
        .await
        .unwrap();
    assert!(
        journal
            .claim_letters("desk-a", later(now, 61), later(now, 120), 10)
            .await
            .unwrap()
            .is_empty(),
        "a retried letter waits for its time"
    );
    let again = journal
        .claim_letters("desk-b", retry_at, later(now, 180), 10)
        .await
        .unwrap();
    assert_eq!(ids(&again), BTreeSet::from([first]));
    assert_eq!(again[0].attempts, 1);
    assert_eq!(again[0].last_error.as_deref(), Some("421 try again later"));
    let refused_for_good = Delivery::GaveUp {
        error: "550 no such mailbox".into(),
    };
    journal
        .delivered(first, "desk-b", &refused_for_good, retry_at)
        .await
        .unwrap();

    let letters = journal.letters_of(&[7, 8, 9]).await.unwrap();
    let states: Vec<_> = letters.iter().map(|l| (l.id, l.state)).collect();
    assert_eq!(
        states,
        [
            (first, LetterState::Failed),
            (second, LetterState::Sent),
            (demo, LetterState::Kept)
        ]
    );
    assert_eq!(letters[0].attempts, 2);
    assert!(letters[1].sent_at.is_some());
    assert_eq!(letters[1].subject, "Ödeme makbuzu 8");
    assert_eq!(letters[1].lang, Language::Turkish);
    let newest_first: Vec<_> = journal
        .recent_letters("p1", 2)
        .await
        .unwrap()
        .iter()
        .map(|l| l.id)
        .collect();
    assert_eq!(newest_first, [demo, second]);
    assert_eq!(journal.letter(demo).await.unwrap().unwrap().entry_id, 9);
    assert!(journal.letter(demo + 100).await.unwrap().is_none());
}

async fn desks_claiming_together_get_different_letters(store: Store) {
    let (a, b) = (store.open().await, store.open().await);
    let now = Utc::now();
    for entry in 0..20 {
        a.enqueue_letter(&letter(entry, "x@example.com", LetterState::Waiting), now)
            .await
            .unwrap();
    }
    let until = later(now, 60);
    let (by_a, by_b) = tokio::join!(
        a.claim_letters("desk-a", now, until, 12),
        b.claim_letters("desk-b", now, until, 12)
    );
    let (by_a, by_b) = (ids(&by_a.unwrap()), ids(&by_b.unwrap()));
    assert!(by_a.is_disjoint(&by_b), "{by_a:?} and {by_b:?}");
    assert_eq!(by_a.len() + by_b.len(), 20);
}

async fn a_hold_that_ran_out_is_taken_over_and_the_late_desk_writes_nothing(store: Store) {
    let journal = store.open().await;
    let now = Utc::now();
    let id = journal
        .enqueue_letter(&letter(1, "x@example.com", LetterState::Waiting), now)
        .await
        .unwrap();
    journal
        .claim_letters("desk-a", now, later(now, 30), 1)
        .await
        .unwrap();
    let taken_over = journal
        .claim_letters("desk-b", later(now, 31), later(now, 90), 1)
        .await
        .unwrap();
    assert_eq!(ids(&taken_over), BTreeSet::from([id]));
    journal
        .delivered(id, "desk-a", &Delivery::Sent, later(now, 32))
        .await
        .unwrap();
    let letter = journal.letter(id).await.unwrap().unwrap();
    assert_eq!(
        letter.state,
        LetterState::Waiting,
        "desk-a no longer held it"
    );
    assert_eq!(letter.attempts, 0);
}

async fn the_purge_forgets_the_customer_in_old_letters(store: Store) {
    let journal = store.open().await;
    let now = Utc::now();
    let old = journal
        .enqueue_letter(&letter(1, "ayse.kaya@example.com", LetterState::Kept), now)
        .await
        .unwrap();
    journal.purge_customers(later(now, 1)).await.unwrap();
    let after = later(now, 2);
    let young = journal
        .enqueue_letter(&letter(2, "can@example.com", LetterState::Kept), after)
        .await
        .unwrap();
    let forgotten = journal.letter(old).await.unwrap().unwrap();
    assert_eq!(forgotten.recipient, "a…@example.com");
    assert_eq!(
        (
            forgotten.subject.as_str(),
            forgotten.plain.as_str(),
            forgotten.html.as_str()
        ),
        ("", "", "")
    );
    assert_eq!(forgotten.state, LetterState::Kept);
    let kept = journal.letter(young).await.unwrap().unwrap();
    assert_eq!(kept.recipient, "can@example.com");
    assert!(kept.plain.contains("Ayşe Kaya"));
}
