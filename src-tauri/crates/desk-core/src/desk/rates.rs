//! Rates: the POS and installment commissions the gateway offers, a card's options by its BIN,
//! and what an amount costs on each (computed here, exactly, never by the gateway).

use rust_decimal::Decimal;

use super::views::pos_view;
use super::Desk;
use crate::dto::{BinOptionsView, InstallmentView, PosQuote, PosView, QuoteInput, QuoteRow};
use crate::error::{AppError, AppResult, Field, Reason};
use crate::model::Money;
use crate::money::{parse_amount, quote};
use crate::validation;

impl Desk {
    pub async fn payment_options(&self, currency: &str) -> AppResult<Vec<PosView>> {
        validation::currency(currency)?;
        let session = self.profiles.session().await?;
        let poses = session.client.payment_options(currency).await?;
        Ok(poses.iter().filter_map(pos_view).collect())
    }

    pub async fn bin_options(
        &self,
        bin: String,
        currency: String,
        amount: Option<String>,
    ) -> AppResult<BinOptionsView> {
        validation::currency(&currency)?;
        vpws::validate::bin(&bin).map_err(|_| AppError::field(Field::CardNumber, Reason::Bin))?;
        let amount = amount
            .map(|a| parse_amount(Field::Amount, &a))
            .transpose()?;
        let session = self.profiles.session().await?;
        let options = match session
            .client
            .payment_options_by_bin(&bin, &currency, amount)
            .await
        {
            Ok(options) => options,
            Err(e) if e.gateway_code() == Some(UNKNOWN_BIN) => {
                let all = session.client.payment_options(&currency).await?;
                return Ok(unknown_card(&all));
            }
            Err(e) => return Err(e.into()),
        };
        Ok(BinOptionsView {
            poses: options.poses.iter().filter_map(pos_view).collect(),
            three_d_limit: options.three_d_limit.map(Money::from),
            card_known: true,
        })
    }

    pub async fn quote(&self, input: QuoteInput) -> AppResult<Vec<PosQuote>> {
        let amount = parse_amount(Field::Amount, &input.amount)?;
        input
            .poses
            .iter()
            .map(|pos| {
                Ok(PosQuote {
                    tenant_pos_id: pos.tenant_pos_id.clone(),
                    rows: quote_rows(amount, &pos.rows, input.commission_to_customer)?,
                })
            })
            .collect()
    }

    /// `DD-20261121-7K3Q9X`: date plus six random characters; unique enough per dealer.
    pub async fn new_order_reference(&self) -> AppResult<String> {
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Istanbul)
            .format("%Y%m%d");
        let random = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
        Ok(format!("DD-{today}-{}", &random[..6]))
    }
}

fn quote_rows(
    amount: Decimal,
    rows: &[InstallmentView],
    commission_to_customer: bool,
) -> AppResult<Vec<QuoteRow>> {
    rows.iter()
        .map(|row| {
            let rate: Decimal = row
                .commission_rate
                .parse()
                .map_err(|_| AppError::field(Field::CommissionRate, Reason::Invalid))?;
            let q = quote(amount, rate, row.count, commission_to_customer);
            Ok(QuoteRow {
                count: row.count,
                total: q.total.into(),
                per_installment: q.per_installment.into(),
                first_installment: q.first_installment.into(),
                commission: q.commission.into(),
                net: q.net.into(),
            })
        })
        .collect()
}

/// The gateway's answer for a BIN it does not know.
const UNKNOWN_BIN: &str = "P018";

/// What a card the gateway does not know may be charged on: one payment, no installments, on
/// the default POS (the first when none is marked).
fn unknown_card(all: &[vpws::PosOption]) -> BinOptionsView {
    let pos = all
        .iter()
        .filter_map(pos_view)
        .find(|p| p.is_default)
        .or_else(|| all.iter().find_map(pos_view))
        .map(|mut pos| {
            pos.installments.retain(|i| i.count == 1);
            pos
        });
    BinOptionsView {
        poses: pos.into_iter().collect(),
        three_d_limit: None,
        card_known: false,
    }
}
