//! Rates: the POS and installment commissions the gateway offers, a card's options by its BIN,
//! and what an amount costs on each (computed here, exactly, never by the gateway).

use std::collections::HashMap;
use std::sync::Mutex;

use rust_decimal::Decimal;

use super::views::pos_view;
use super::Desk;
use crate::dto::{
    BinInput, BinOptionsView, CardBrand, InstallmentView, PosQuote, PosView, QuoteInput, QuoteRow,
};
use crate::error::{AppError, AppResult, Field, Reason};
use crate::model::Money;
use crate::money::{parse_amount, quote};
use crate::validation;

impl Desk {
    pub async fn payment_options(&self, currency: &str) -> AppResult<Vec<PosView>> {
        validation::currency(currency)?;
        let session = self.profiles.session().await?;
        let poses: Vec<PosView> = session
            .client
            .payment_options(currency)
            .await?
            .iter()
            .filter_map(pos_view)
            .collect();
        let key = RatesKey::everyone(&session.profile.id, currency);
        self.rates_seen.keep(key, poses.clone());
        Ok(poses)
    }

    pub async fn bin_options(&self, input: BinInput) -> AppResult<BinOptionsView> {
        let BinInput {
            bin,
            currency,
            amount,
        } = input;
        validation::currency(&currency)?;
        vpws::validate::bin(&bin).map_err(|_| AppError::field(Field::CardNumber, Reason::Bin))?;
        let amount = amount
            .map(|a| parse_amount(Field::Amount, &a))
            .transpose()?;
        let session = self.profiles.session().await?;
        let key = RatesKey::card(&session.profile.id, &currency);
        let options = match session
            .client
            .payment_options_by_bin(&bin, &currency, amount)
            .await
        {
            Ok(options) => options,
            Err(e) if e.gateway_code() == Some(UNKNOWN_BIN) => {
                let all = session.client.payment_options(&currency).await?;
                let view = BinOptionsView {
                    brand: brand_of(&bin),
                    ..unknown_card(&all)
                };
                self.rates_seen.keep(key, view.poses.clone());
                self.card_rules
                    .keep(&session.profile.id, &currency, &bin, &view);
                return Ok(view);
            }
            Err(e) => return Err(e.into()),
        };
        let poses: Vec<PosView> = options.poses.iter().filter_map(pos_view).collect();
        self.rates_seen.keep(key, poses.clone());
        let view = BinOptionsView {
            poses,
            three_d_limit: options.three_d_limit.map(Money::from),
            card_known: true,
            installment_lower_limit: options.installment_lower_limit.map(Money::from),
            comm_apply_type: options.comm_apply_type_id,
            brand: options
                .card_brand
                .as_deref()
                .and_then(|b| b.trim().parse().ok())
                .or_else(|| brand_of(&bin)),
        };
        self.card_rules
            .keep(&session.profile.id, &currency, &bin, &view);
        Ok(view)
    }

    /// Quotes on the rates this desk last showed: the card's (`for_card`), or the currency's,
    /// asked of the gateway again when it holds none (another profile, a POS it has not seen).
    pub async fn quote(&self, input: QuoteInput) -> AppResult<Vec<PosQuote>> {
        let amount = parse_amount(Field::Amount, &input.amount)?;
        validation::currency(&input.currency)?;
        let profile = self.profiles.active_profile_id();
        let key = if input.for_card {
            RatesKey::card(&profile, &input.currency)
        } else {
            RatesKey::everyone(&profile, &input.currency)
        };
        let poses = match self.rates_seen.get(&key) {
            Some(poses) if input.for_card || knows_all(&poses, &input.tenant_pos_ids) => poses,
            None if input.for_card => Vec::new(),
            _ => self.payment_options(&input.currency).await?,
        };
        input
            .tenant_pos_ids
            .iter()
            .map(|id| {
                let pos = poses
                    .iter()
                    .find(|p| p.tenant_pos_id == *id)
                    .ok_or_else(|| AppError::field(Field::Pos, Reason::Invalid))?;
                Ok(PosQuote {
                    tenant_pos_id: id.clone(),
                    rows: quote_rows(amount, &pos.installments, input.commission_to_customer)?,
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

fn knows_all(poses: &[PosView], ids: &[String]) -> bool {
    ids.iter()
        .all(|id| poses.iter().any(|p| p.tenant_pos_id == *id))
}

/// Whose rates: a profile's for a currency, for every card or for the card last looked up.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct RatesKey {
    profile: String,
    currency: String,
    card: bool,
}

impl RatesKey {
    fn everyone(profile: &str, currency: &str) -> Self {
        Self {
            profile: profile.to_owned(),
            currency: currency.to_owned(),
            card: false,
        }
    }

    fn card(profile: &str, currency: &str) -> Self {
        Self {
            card: true,
            ..Self::everyone(profile, currency)
        }
    }
}

/// The POSes and rates the gateway last gave: what a quote is computed on, so the screen never
/// carries rates back. Only the last card's (no BIN is kept).
#[derive(Default)]
pub(super) struct RatesSeen(Mutex<HashMap<RatesKey, Vec<PosView>>>);

impl RatesSeen {
    fn keep(&self, key: RatesKey, poses: Vec<PosView>) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, poses);
    }

    fn get(&self, key: &RatesKey) -> Option<Vec<PosView>> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned()
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
        installment_lower_limit: None,
        comm_apply_type: None,
        brand: None,
    }
}

/// The card's scheme by its first digits (the schemes' published number ranges), for a BIN
/// answer that does not name it.
fn brand_of(bin: &str) -> Option<CardBrand> {
    let first = |digits: usize| bin.get(..digits).and_then(|p| p.parse::<u32>().ok());
    match (first(1)?, first(2)?, first(4)?) {
        (4, _, _) => Some(CardBrand::Visa),
        (_, 34 | 37, _) => Some(CardBrand::Amex),
        (_, 51..=55, _) | (_, _, 2221..=2720) => Some(CardBrand::Mastercard),
        (_, _, 9792) => Some(CardBrand::Troy),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cards_brand_by_its_first_digits() {
        for (bin, brand) in [
            ("415565", Some(CardBrand::Visa)),
            ("540061", Some(CardBrand::Mastercard)),
            ("222100", Some(CardBrand::Mastercard)),
            ("272099", Some(CardBrand::Mastercard)),
            ("272100", None),
            ("979203", Some(CardBrand::Troy)),
            ("374427", Some(CardBrand::Amex)),
            ("340000", Some(CardBrand::Amex)),
            ("601100", None),
            ("12", None),
        ] {
            assert_eq!(brand_of(bin), brand, "{bin}");
        }
    }
}
