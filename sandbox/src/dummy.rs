//! The real sandbox "only returns dummy card results": every completed card
//! carries the same member, lower-cased, two string scores per field. These
//! are the sandbox's fixed answers.

use serde_json::{json, Value};

/// The member on every sandbox card (used to decide eligibility outcomes).
pub const MEMBER_FIRST_NAME: &str = "emily";
pub const MEMBER_LAST_NAME: &str = "dickinson";
pub const MEMBER_NUMBER: &str = "128845682";
pub const GROUP_NUMBER: &str = "98755";
pub const PAYER_NAME: &str = "unitedhealthcare";
pub const PAYER_ID: &str = "87726";
pub const PLAN_NAME: &str = "unitedhealthcare choice plus";

fn field(value: &str, scores: [&str; 2]) -> Value {
    json!({ "value": value, "scores": scores })
}

/// `details` of a completed card.
pub fn card_details() -> Value {
    json!({
        "member_name": field("emily dickinson", ["0.737", "0.999"]),
        "member_number": field(MEMBER_NUMBER, ["0.862", "0.998"]),
        "group_number": field(GROUP_NUMBER, ["0.914", "0.997"]),
        "payer_name": field(PAYER_NAME, ["0.881", "0.989"]),
        "payer_id": field(PAYER_ID, ["0.803", "0.993"]),
        "plan_name": field(PLAN_NAME, ["0.776", "0.981"]),
        "rx_bin": field("610279", ["0.931", "0.999"]),
        "rx_pcn": field("9987", ["0.902", "0.996"]),
        "pharmacy_benefit_manager": field("optumrx", ["0.845", "0.990"]),
        "dependent_names": [field("richard dickinson", ["0.702", "0.985"])],
    })
}

/// The result when payer matching is off for the account (always, here).
pub fn payer_match() -> Value {
    json!({ "message": "Payer Match is not enabled for this account" })
}

/// `enriched_results` of an enriched card.
pub fn enriched_results(both_sides: bool) -> Value {
    json!({
        "addresses": [{
            "label": "medical claims",
            "type": "medical_claims_address",
            "company_name": PAYER_NAME,
            "address": "p.o. box 740800, atlanta, ga 30374-0800",
            "score": "0.912"
        }],
        "phone_numbers": [
            { "label": "member services", "type": "member_services_phone", "number": "1-866-633-2446", "score": "0.954" },
            { "label": "pharmacy services", "type": "pharmacy_services_phone", "number": "1-800-788-4863", "score": "0.903" }
        ],
        "copays_deductibles": [
            { "service": "office_visit", "category": "copay", "value": 25, "score": "0.887" },
            { "service": "emergency_room", "category": "copay", "value": 250, "score": "0.861" }
        ],
        "processed_sides": if both_sides { "both" } else { "front_only" }
    })
}

/// The `eligibility_request` echo, completed with the card's member id.
pub fn eligibility_request(control_number: &str, provider: &Value, subscriber: &Value) -> Value {
    let mut subscriber = subscriber.clone();
    if let Some(map) = subscriber.as_object_mut() {
        map.insert("member_id".into(), json!(MEMBER_NUMBER));
    }
    json!({
        "control_number": control_number,
        "trading_partner_service_id": PAYER_ID,
        "provider": provider,
        "subscriber": subscriber,
    })
}

fn amount(total: &str, remaining: &str) -> Value {
    json!({ "total_amount": total, "remaining_amount": remaining })
}

/// The summarised answer for the card's member.
pub fn eligibility_summary(date_of_birth: &str) -> Value {
    let address = json!({ "address1": "p.o. box 740800", "city": "atlanta", "state": "ga", "postal_code": "303740800" });
    json!({
        "subscriber_details": {
            "member_id": MEMBER_NUMBER, "first_name": MEMBER_FIRST_NAME, "last_name": MEMBER_LAST_NAME,
            "gender": "f", "date_of_birth": date_of_birth,
            "address": { "address1": "123 amherst st", "city": "amherst", "state": "ma", "postal_code": "01002" }
        },
        "payer_details": { "payer_name": PAYER_NAME, "address": address, "payer_url": "https://www.uhc.com" },
        "plan_details": {
            "plan_number": "0701234", "group_name": "amherst college", "group_number": GROUP_NUMBER,
            "plan_start_date": "2025-01-01", "plan_end_date": "2025-12-31",
            "plan_eligibility_start_date": "2025-01-01", "plan_name": PLAN_NAME, "plan_active": true
        },
        "coverage_summary": {
            "individual_deductible_in_network": amount("$250", "$120"),
            "individual_deductible_out_network": amount("$500", "$500"),
            "individual_oop_in_network": amount("$3000", "$2650"),
            "family_deductible_in_network": amount("$500", "$370"),
            "family_oop_in_network": amount("$6000", "$5400"),
            "co_insurance_in_network": { "amount": "20%" },
            "co_insurance_out_network": { "amount": "40%" },
            "co_payment_in_network": { "amount": "$25" }
        },
        "office_visit": { "co_payment_in_network": { "amount": "$25" }, "service_code": "98" },
        "emergency_room": { "co_payment_in_network": { "amount": "$250" }, "service_code": "86" },
        "urgent_care": { "co_payment_in_network": { "amount": "$50" }, "service_code": "UC" }
    })
}

/// A raw clearinghouse-style answer (the shape varies by payer in reality).
pub fn eligibility_raw_response(control_number: &str, active: bool) -> Value {
    json!({
        "controlNumber": control_number,
        "tradingPartnerServiceId": PAYER_ID,
        "payer": { "name": PAYER_NAME.to_uppercase(), "payorIdentification": PAYER_ID },
        "planStatus": if active {
            json!([{ "statusCode": "1", "status": "Active Coverage", "serviceTypeCodes": ["30"] }])
        } else {
            json!([])
        },
        "errors": if active {
            json!([])
        } else {
            json!([{ "field": "AAA", "code": "75", "description": "Subscriber/Insured Not Found",
                     "followupAction": "Please Correct and Resubmit", "location": "Loop 2100C" }])
        }
    })
}

/// The summarised answer when the subscriber is not the card's member.
pub fn eligibility_not_found_summary() -> Value {
    json!({
        "errors": [{
            "field": "AAA", "code": "75", "description": "Subscriber/Insured Not Found",
            "followup_action": "Please Correct and Resubmit", "location": "Loop 2100C",
            "possible_resolutions": "Check the subscriber's name and date of birth against the card."
        }]
    })
}

/// The record's `error` when the subscriber is not the card's member.
pub fn eligibility_error() -> Value {
    json!({
        "message": "Subscriber/Insured Not Found",
        "type": "EligibilityError",
        "code": "75",
        "error": "EligibilityError"
    })
}

/// A card's `error` when a side is rejected, as the real service writes it.
pub fn rejected_card_error() -> Value {
    json!({
        "type": "RejectedCard",
        "message": "Rejecting scan for invalid card",
        "code": "UKN",
        "error": "RejectedCard"
    })
}
