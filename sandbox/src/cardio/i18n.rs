//! Report texts in English and German. Every result says it comes from the
//! sandbox, so it can never be mistaken for a clinical result.

/// Report languages of `run?language=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
}

impl Lang {
    pub fn parse(s: Option<&str>) -> Option<Lang> {
        match s.map(str::to_ascii_lowercase).as_deref() {
            None | Some("en") => Some(Lang::En),
            Some("de") => Some(Lang::De),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }
}

/// The marker put on every sandbox result (warning and recommendation).
pub const SANDBOX_MARK: &str = "SANDBOX RESULT – not for clinical use";

pub fn level_name(level: &'static str, lang: Lang) -> &'static str {
    match (lang, level) {
        (Lang::En, l) => l,
        (Lang::De, "Very Low") => "Sehr niedrig",
        (Lang::De, "Low") => "Niedrig",
        (Lang::De, "Moderate") => "Mittel",
        (Lang::De, "High") => "Hoch",
        (Lang::De, _) => "Sehr hoch",
    }
}

/// One recommendation line per band.
pub fn recommendation(level: &'static str, lang: Lang) -> String {
    let advice = match (lang, level) {
        (Lang::En, "Very Low") | (Lang::En, "Low") => {
            "Maintain a heart-healthy lifestyle; reassess in 5 years."
        }
        (Lang::En, "Moderate") => {
            "Discuss lifestyle changes and lipid management with a physician."
        }
        (Lang::En, _) => "Refer for cardiology assessment and consider coronary imaging.",
        (Lang::De, "Very Low") | (Lang::De, "Low") => {
            "Herzgesunden Lebensstil beibehalten; Neubewertung in 5 Jahren."
        }
        (Lang::De, "Moderate") => {
            "Lebensstiländerungen und Lipidmanagement mit einer Ärztin oder einem Arzt besprechen."
        }
        (Lang::De, _) => "Kardiologische Abklärung veranlassen und koronare Bildgebung erwägen.",
    };
    format!("{SANDBOX_MARK}. {advice}")
}

/// Warning for an input the bundle did not provide.
pub fn assumed_warning(name: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{name} not provided: reference value assumed"),
        Lang::De => format!("{name} nicht angegeben: Referenzwert angenommen"),
    }
}

pub fn summary(level: &'static str, score: f64, lang: Lang) -> String {
    let pct = (score * 100.0).round();
    match lang {
        Lang::En => format!(
            "Estimated coronary risk {pct}% ({}). {SANDBOX_MARK}.",
            level
        ),
        Lang::De => format!(
            "Geschätztes koronares Risiko {pct} % ({}). {SANDBOX_MARK}.",
            level_name(level, lang)
        ),
    }
}
