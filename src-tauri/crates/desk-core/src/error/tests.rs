use super::*;

/// The UI reads exactly this shape (`ui/src/lib/generated/AppError.ts`).
#[test]
fn errors_travel_as_code_message_details() {
    let e = AppError::field(Field::Amount, Reason::Required);
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        serde_json::json!({
            "code": "invalid_input",
            "message": "amount: required",
            "details": { "field": "amount", "reason": "required" }
        })
    );
    let gateway = AppError::from(vpws::Error::Timeout);
    assert_eq!(serde_json::to_value(gateway.code).unwrap(), "timeout");
}

/// The client's reasons reach the UI under the same names.
#[test]
fn every_client_reason_keeps_its_name() {
    use vpws::Reason as Client;
    for client in [
        Client::Required,
        Client::Invalid,
        Client::Luhn,
        Client::Expired,
        Client::MustBePositive,
        Client::TooManyDecimals,
        Client::HttpsRequired,
    ] {
        assert_eq!(Reason::from(client).as_str(), client.as_str(), "{client:?}");
    }
}

/// A field the client refuses points at the form field the operator fills in.
#[test]
fn client_fields_reach_the_ui_as_form_fields() {
    use vpws::Field as Client;
    for (client, form) in [
        (Client::CardHolderName, "cardHolder"),
        (Client::ExpYear, "expiry"),
        (Client::BinNumber, "cardNumber"),
        (Client::TenantPosId, "pos"),
        (Client::Currency, "currency"),
    ] {
        let e = AppError::from(vpws::Error::InvalidInput {
            field: client,
            reason: vpws::Reason::Invalid,
        });
        assert_eq!(e.details["field"], form, "{client:?}");
        assert_eq!(serde_json::to_value(Field::from(client)).unwrap(), form);
    }
}

#[test]
fn each_code_field_and_reason_is_written_as_its_name() {
    use strum::VariantArray;
    fn same<T: Serialize + Copy + std::fmt::Debug>(all: &[T], as_str: impl Fn(T) -> &'static str) {
        for value in all {
            let json = serde_json::to_value(value).unwrap();
            assert_eq!(json.as_str(), Some(as_str(*value)), "{value:?}");
        }
    }
    same(ErrorCode::VARIANTS, ErrorCode::as_str);
    same(Field::VARIANTS, Field::as_str);
    same(Reason::VARIANTS, Reason::as_str);
    assert_eq!(ErrorCode::NothingToReverse.as_str(), "nothing_to_reverse");
    assert_eq!(Field::TeamOwnerUser.as_str(), "teamOwnerUser");
}
