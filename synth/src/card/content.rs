//! The words printed on a card. All invented: payer names are made up, people are
//! random first/last name pairs, numbers are random digits, phone numbers use the
//! fictional 555-01xx range. Nothing here is, or is derived from, real PHI.

use crate::rng::{chance, digits, letters, pick, Rng};
use rand::Rng as _;

#[derive(Debug, Clone)]
pub struct CardText {
    pub payer: String,
    pub payer_tag: String,
    pub member_name: String,
    pub member_id: String,
    pub group: String,
    pub plan: String,
    pub rx_bin: String,
    pub rx_pcn: String,
    pub rx_grp: String,
    pub effective: String,
    pub copays: Vec<(String, String)>,
    pub phones: Vec<(String, String)>,
    pub claims_address: [String; 3],
    pub website: String,
}

const PAYER_A: [&str; 16] = [
    "BLUE", "UNITY", "APEX", "SUMMIT", "MERIDIAN", "HARBOR", "CASCADE", "PIONEER", "LIBERTY",
    "NORTH", "EVER", "TRUE", "PRIME", "CEDAR", "BRIGHT", "ALLIED",
];
const PAYER_B: [&str; 12] = [
    "HEALTH",
    "CARE",
    "SHIELD",
    "MEDICAL",
    "WELL",
    "LIFE",
    "HEALTH PLAN",
    "CARE NETWORK",
    "MUTUAL",
    "BENEFITS",
    "HEALTHCARE",
    "ASSURE",
];
const TAGS: [&str; 6] = ["PPO", "HMO", "EPO", "POS", "HDHP", "MEDICARE ADV"];
const FIRST: [&str; 20] = [
    "JANE", "JOHN", "MARIA", "DAVID", "AISHA", "WEI", "CARLOS", "EMILY", "OMAR", "GRACE", "LIAM",
    "SOFIA", "NOAH", "PRIYA", "LUCAS", "HANA", "MATEO", "ZOE", "ARJUN", "ELENA",
];
const LAST: [&str; 20] = [
    "SAMPLE", "DOE", "RIVERA", "NGUYEN", "OKAFOR", "MILLER", "KOWALSKI", "TANAKA", "GARCIA",
    "SMITH", "JOHANSEN", "PATEL", "BROWN", "HASSAN", "LOPEZ", "KIM", "MURPHY", "SILVA", "WEBER",
    "CHEN",
];
const PLANS: [&str; 10] = [
    "GOLD 1500",
    "SILVER 3000",
    "BRONZE 6000",
    "PLATINUM 500",
    "CHOICE PLUS",
    "OPEN ACCESS",
    "SELECT",
    "ESSENTIAL",
    "PREMIER",
    "VALUE",
];
const STREETS: [&str; 6] = [
    "PO BOX",
    "PO BOX",
    "MAIN ST",
    "CENTER AVE",
    "PARK BLVD",
    "COMMERCE DR",
];
const CITIES: [&str; 8] = [
    "SPRINGFIELD",
    "RIVERTON",
    "FAIRVIEW",
    "GREENVILLE",
    "MADISON",
    "CLAYTON",
    "ASHLAND",
    "DOVER",
];
const STATES: [&str; 8] = ["IL", "OH", "TX", "CA", "NY", "GA", "WA", "PA"];

fn phone(rng: &mut Rng) -> String {
    let area = pick(rng, &["800", "888", "877", "866", "855"]);
    format!("1-{area}-555-01{}", digits(rng, 2))
}

impl CardText {
    pub fn random(rng: &mut Rng) -> Self {
        let payer = format!("{} {}", pick(rng, &PAYER_A), pick(rng, &PAYER_B));
        let mi = if chance(rng, 0.5) {
            format!(" {}", letters(rng, 1))
        } else {
            String::new()
        };
        let member_name = format!("{}{} {}", pick(rng, &FIRST), mi, pick(rng, &LAST));
        let member_id = match rng.random_range(0..3) {
            0 => format!("{}{}", letters(rng, 3), digits(rng, 9)),
            1 => format!("{}-{}", digits(rng, 5), digits(rng, 5)),
            _ => format!("W{}", digits(rng, 10)),
        };
        let copays = [
            ("PCP", 10..40),
            ("SPEC", 25..80),
            ("ER", 100..400),
            ("URG", 25..100),
        ]
        .into_iter()
        .map(|(k, r)| (k.to_string(), format!("${}", rng.random_range(r) / 5 * 5)))
        .collect();
        let phones = [
            "MEMBER SERVICES",
            "PROVIDERS",
            "PHARMACY HELP",
            "NURSE LINE 24/7",
            "BEHAVIORAL HEALTH",
            "PRIOR AUTH",
        ]
        .into_iter()
        .map(|k| (k.to_string(), phone(rng)))
        .collect();
        let street = pick(rng, &STREETS);
        let claims_address = [
            "SEND CLAIMS TO:".to_string(),
            format!("{} {}", street, digits(rng, 5)),
            format!(
                "{} {} {}",
                pick(rng, &CITIES),
                pick(rng, &STATES),
                digits(rng, 5)
            ),
        ];
        let group_len = rng.random_range(5..9);
        let pcn_len = rng.random_range(2..6);
        let website = format!("WWW.{}.EXAMPLE", pick(rng, &PAYER_A));
        Self {
            payer,
            payer_tag: pick(rng, &TAGS).to_string(),
            member_name,
            member_id,
            group: digits(rng, group_len),
            plan: pick(rng, &PLANS).to_string(),
            rx_bin: digits(rng, 6),
            rx_pcn: if chance(rng, 0.5) {
                letters(rng, pcn_len)
            } else {
                digits(rng, 4)
            },
            rx_grp: format!("{}{}", letters(rng, 2), digits(rng, 4)),
            effective: format!(
                "{:02}/01/20{}",
                rng.random_range(1..13),
                rng.random_range(20..27)
            ),
            copays,
            phones,
            claims_address,
            website,
        }
    }
}

/// A sentence of plausible fine print for card backs.
pub fn fine_print(rng: &mut Rng, words: usize) -> String {
    const W: [&str; 32] = [
        "THIS",
        "CARD",
        "IS",
        "FOR",
        "IDENTIFICATION",
        "ONLY",
        "AND",
        "DOES",
        "NOT",
        "GUARANTEE",
        "COVERAGE",
        "MEMBERS",
        "SHOULD",
        "PRESENT",
        "AT",
        "TIME",
        "OF",
        "SERVICE",
        "PROVIDERS",
        "CALL",
        "TO",
        "VERIFY",
        "ELIGIBILITY",
        "BENEFITS",
        "PRIOR",
        "AUTHORIZATION",
        "REQUIRED",
        "EMERGENCY",
        "IN",
        "NETWORK",
        "PLAN",
        "ADMINISTERED",
    ];
    (0..words)
        .map(|_| *pick(rng, &W))
        .collect::<Vec<_>>()
        .join(" ")
}
