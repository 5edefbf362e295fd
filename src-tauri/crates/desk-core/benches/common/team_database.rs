//! The team benchmarks' database: `dd_bench_N` on the test server, set up for a desks'
//! account and seeded with N entries, kept for the next run (seeding a million takes minutes).

use std::time::Instant;

use desk_core::journal::PgJournal;

/// A year of entries, evenly spread, shaped like the SQLite benchmark's: five kinds and
/// outcomes in turn, four operators, customers, cards, reasons; the search text folded as the
/// app folds it (Turkish letters to plain ones, lower case).
const SEED: &str = "
INSERT INTO entries (created_at, updated_at, day, profile_id, environment, operator, operator_key,
    kind, amount, amount_minor, currency, installment, pos_id, pos_name, order_reference,
    reference_code, transaction_id, masked_card, card_last4, outcome, reason, customer_name,
    customer_surname, customer_email, customer_phone, commission_rate, commission_minor, search_body)
SELECT at, at, (at AT TIME ZONE 'Europe/Istanbul')::date, 'demo', 'demo', operator,
    lower(translate(operator, 'ŞşĞğÜüÖöÇçİı', 'ssgguuooccii')),
    (ARRAY['payment', 'payment', 'payment', 'refund', 'cancel'])[i % 5 + 1],
    to_char(minor / 100.0, 'FM9999990.00'), minor, 'TRY', i % 12 + 1,
    '384badef-11ec-ee11-98f2-005056b0d2e5', pos, orders, reference, md5(i::text), card,
    right(card, 4), (ARRAY['success', 'success', 'failed', 'success', 'inDoubt'])[i % 5 + 1],
    reason, customer, surname, 'musteri' || i || '@example.com', '0532' || lpad(i::text, 7, '0'),
    '1.79', round(minor * 0.0179), lower(translate(concat_ws(' ', orders, reference, md5(i::text),
    operator, pos, card, reason, to_char(minor / 100.0, 'FM9999990.00'), 'TRY', customer, surname,
    'musteri' || i || '@example.com', customer || ' ' || surname), 'ŞşĞğÜüÖöÇçİı', 'ssgguuooccii'))
FROM (
    SELECT i, now() - ($1::bigint - i) * (interval '365 days' / $1::bigint) AS at,
        (i * 7919) % 500000 + 100 AS minor,
        (ARRAY['Zeynep Kaya', 'Ali Demir', 'Şükrü Çağlayan', 'Ayşe Yılmaz'])[i % 4 + 1] AS operator,
        (ARRAY['Yapı Kredi World', 'Akbank Axess', 'Garanti Bonus'])[i % 3 + 1] AS pos,
        'DD-2026' || lpad((i % 1231)::text, 4, '0') || '-' || lpad(i::text, 7, '0') AS orders,
        'NTH2P' || lpad((100000 + i)::text, 11, '0') AS reference,
        (ARRAY['415565******6111', '540061******0009', '435508******0005',
            '450803******0006'])[i % 4 + 1] AS card,
        CASE WHEN i % 5 = 3 THEN 'ürün iadesi' END AS reason,
        CASE WHEN i % 4 <> 0 THEN (ARRAY['Ayşe', 'Mehmet', 'Elif', 'Can'])[i % 4 + 1] END AS customer,
        CASE WHEN i % 4 <> 0 THEN 'Müşteri' || i % 997 END AS surname
    FROM generate_series(1, $1::bigint) AS i
) AS seed";

/// The benchmark database with its `entries`, seeded unless an earlier run left it.
pub async fn prepare(admin: &str, entries: i64) -> String {
    let database = format!("dd_bench_{entries}");
    let config: tokio_postgres::Config = admin.parse().unwrap();
    let (client, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&database])
        .await
        .unwrap()
        .is_some();
    if !exists {
        client
            .batch_execute(&format!("CREATE DATABASE {database}"))
            .await
            .unwrap();
    }
    let url = match admin.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{database}"),
        None => panic!("{admin}: no database in the URL"),
    };
    // Sets the schema up as the owner (the admin), for a desks' account the benchmark reads as.
    let desks = format!("{database}_desks");
    PgJournal::set_up_at(&url, &desks, DESKS_PASSWORD)
        .await
        .unwrap();
    let mut bench: tokio_postgres::Config = url.parse().unwrap();
    bench.dbname(&database);
    let (db, connection) = bench.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    let count: i64 = db
        .query_one("SELECT COUNT(*) FROM entries", &[])
        .await
        .unwrap()
        .get(0);
    if count < entries {
        let started = Instant::now();
        db.batch_execute("TRUNCATE entries; ALTER TABLE entries DISABLE TRIGGER entries_notify")
            .await
            .unwrap();
        db.execute(SEED, &[&entries]).await.unwrap();
        // One statement each: VACUUM does not run inside the implicit transaction of several.
        for statement in [
            "ALTER TABLE entries ENABLE TRIGGER entries_notify",
            "VACUUM ANALYZE entries",
            // The whole journal's sums noted a change per entry and folded them: what a desk
            // reads with the sums is small again once the folded rows are vacuumed away.
            "VACUUM ANALYZE entry_sum_changes",
        ] {
            db.batch_execute(statement).await.unwrap();
        }
        println!(
            "seeded {entries} entries in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("{count} entries (at least {entries}) seeded by an earlier run");
    }
    let mut as_desks = url::Url::parse(&url).unwrap();
    as_desks.set_username(&desks).unwrap();
    as_desks.set_password(Some(DESKS_PASSWORD)).unwrap();
    as_desks.to_string()
}

const DESKS_PASSWORD: &str = "desks-bench";
