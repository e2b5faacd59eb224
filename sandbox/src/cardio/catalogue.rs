//! The biomarkers the sandbox's CCS test knows: LOINC codes, sandbox concept
//! ids, accepted units (converted to one canonical unit) and plausible ranges.
//!
//! This is the sandbox's *assumption* of what CardioExplorer reads; the real
//! service publishes no list. Concept ids are the sandbox's own small numbers,
//! not OMOP ids.

/// One input of the risk test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Marker {
    TotalCholesterol,
    Hdl,
    Ldl,
    Triglycerides,
    Systolic,
    Diastolic,
    HbA1c,
    Glucose,
    Bmi,
    Smoking,
    Creatinine,
}

/// Demographic inputs taken from the Patient resource.
pub const AGE_CONCEPT: (u32, &str) = (20, "Age (Patient.birthDate)");
pub const SEX_CONCEPT: (u32, &str) = (21, "Sex (Patient.gender)");

/// Markers that `missingItems` lists when absent: the test assumes a
/// reference value for them and says so in its warnings.
pub const REQUIRED: [Marker; 6] = [
    Marker::TotalCholesterol,
    Marker::Hdl,
    Marker::Ldl,
    Marker::Systolic,
    Marker::Smoking,
    Marker::HbA1c,
];

/// A unit accepted for a marker and its factor/offset to the canonical unit.
struct Unit {
    names: &'static [&'static str],
    factor: f64,
    offset: f64,
}

const fn unit(names: &'static [&'static str], factor: f64) -> Unit {
    Unit {
        names,
        factor,
        offset: 0.0,
    }
}

const MG_DL: &[&str] = &["mg/dL", "mg/dl"];
const MMOL_L: &[&str] = &["mmol/L", "mmol/l"];
const MMHG: &[&str] = &["mm[Hg]", "mmHg", "mm Hg"];

impl Marker {
    pub fn from_loinc(code: &str) -> Option<Marker> {
        Some(match code {
            "2093-3" => Marker::TotalCholesterol,
            "2085-9" => Marker::Hdl,
            "13457-7" | "18262-6" => Marker::Ldl,
            "2571-8" => Marker::Triglycerides,
            "8480-6" => Marker::Systolic,
            "8462-4" => Marker::Diastolic,
            "4548-4" => Marker::HbA1c,
            "2345-7" => Marker::Glucose,
            "39156-5" => Marker::Bmi,
            "72166-2" => Marker::Smoking,
            "2160-0" => Marker::Creatinine,
            _ => return None,
        })
    }

    /// The marker's LOINC code (LDL: the calculated one).
    pub fn loinc(self) -> &'static str {
        match self {
            Marker::TotalCholesterol => "2093-3",
            Marker::Hdl => "2085-9",
            Marker::Ldl => "13457-7",
            Marker::Triglycerides => "2571-8",
            Marker::Systolic => "8480-6",
            Marker::Diastolic => "8462-4",
            Marker::HbA1c => "4548-4",
            Marker::Glucose => "2345-7",
            Marker::Bmi => "39156-5",
            Marker::Smoking => "72166-2",
            Marker::Creatinine => "2160-0",
        }
    }

    pub fn concept_id(self) -> u32 {
        match self {
            Marker::TotalCholesterol => 1,
            Marker::Hdl => 2,
            Marker::Ldl => 3,
            Marker::Triglycerides => 4,
            Marker::Systolic => 5,
            Marker::Diastolic => 6,
            Marker::HbA1c => 7,
            Marker::Glucose => 8,
            Marker::Bmi => 9,
            Marker::Smoking => 10,
            Marker::Creatinine => 11,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Marker::TotalCholesterol => "Total cholesterol",
            Marker::Hdl => "HDL cholesterol",
            Marker::Ldl => "LDL cholesterol",
            Marker::Triglycerides => "Triglycerides",
            Marker::Systolic => "Systolic blood pressure",
            Marker::Diastolic => "Diastolic blood pressure",
            Marker::HbA1c => "HbA1c",
            Marker::Glucose => "Glucose",
            Marker::Bmi => "Body mass index",
            Marker::Smoking => "Smoking status",
            Marker::Creatinine => "Creatinine",
        }
    }

    /// The unit values are reported in after conversion.
    pub fn canonical_unit(self) -> &'static str {
        match self {
            Marker::Systolic | Marker::Diastolic => "mm[Hg]",
            Marker::HbA1c => "%",
            Marker::Bmi => "kg/m2",
            Marker::Smoking => "",
            _ => "mg/dL",
        }
    }

    fn units(self) -> &'static [Unit] {
        const LIPID: &[Unit] = &[unit(MG_DL, 1.0), unit(MMOL_L, 38.67)];
        const TRIG: &[Unit] = &[unit(MG_DL, 1.0), unit(MMOL_L, 88.57)];
        const BP: &[Unit] = &[unit(MMHG, 1.0)];
        const A1C: &[Unit] = &[
            unit(&["%"], 1.0),
            Unit {
                names: &["mmol/mol"],
                factor: 1.0 / 10.929,
                offset: 2.15,
            },
        ];
        const GLU: &[Unit] = &[unit(MG_DL, 1.0), unit(MMOL_L, 18.016)];
        const BMI: &[Unit] = &[unit(&["kg/m2", "kg/m^2"], 1.0)];
        const CREA: &[Unit] = &[unit(MG_DL, 1.0), unit(&["umol/L", "µmol/L"], 1.0 / 88.42)];
        match self {
            Marker::TotalCholesterol | Marker::Hdl | Marker::Ldl => LIPID,
            Marker::Triglycerides => TRIG,
            Marker::Systolic | Marker::Diastolic => BP,
            Marker::HbA1c => A1C,
            Marker::Glucose => GLU,
            Marker::Bmi => BMI,
            Marker::Creatinine => CREA,
            Marker::Smoking => &[],
        }
    }

    /// Values outside this range (canonical unit) are rejected as implausible.
    fn plausible(self) -> (f64, f64) {
        match self {
            Marker::TotalCholesterol => (50.0, 600.0),
            Marker::Hdl => (5.0, 200.0),
            Marker::Ldl => (10.0, 500.0),
            Marker::Triglycerides => (10.0, 5000.0),
            Marker::Systolic => (50.0, 300.0),
            Marker::Diastolic => (20.0, 200.0),
            Marker::HbA1c => (3.0, 20.0),
            Marker::Glucose => (20.0, 1000.0),
            Marker::Bmi => (10.0, 90.0),
            Marker::Creatinine => (0.1, 20.0),
            Marker::Smoking => (0.0, 0.0),
        }
    }

    /// The value in the canonical unit, or why it cannot be used.
    pub fn canonical(self, value: f64, unit: &str) -> Result<f64, &'static str> {
        let u = self
            .units()
            .iter()
            .find(|u| u.names.contains(&unit.trim()))
            .ok_or("Unsupported unit")?;
        let v = value * u.factor + u.offset;
        let (lo, hi) = self.plausible();
        if !v.is_finite() || v < lo || v > hi {
            return Err("Value outside plausible range");
        }
        Ok(v)
    }
}

/// Smoking answers (SNOMED CT) and what the test makes of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Smoker {
    Current,
    Former,
    Never,
}

impl Smoker {
    pub fn from_snomed(code: &str) -> Option<Smoker> {
        Some(match code {
            "449868002" | "428041000124106" | "77176002" | "428071000124103"
            | "428061000124105" => Smoker::Current,
            "8517006" => Smoker::Former,
            "266919005" => Smoker::Never,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Smoker::Current => "current smoker",
            Smoker::Former => "former smoker",
            Smoker::Never => "never smoked",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_mmol_to_mg_dl() {
        let v = Marker::TotalCholesterol.canonical(5.0, "mmol/L").unwrap();
        assert!((v - 193.35).abs() < 0.01, "{v}");
        let a1c = Marker::HbA1c.canonical(48.0, "mmol/mol").unwrap();
        assert!((a1c - 6.54).abs() < 0.01, "{a1c}");
    }

    #[test]
    fn rejects_unknown_units_and_implausible_values() {
        assert_eq!(Marker::Hdl.canonical(50.0, "g/L"), Err("Unsupported unit"));
        assert_eq!(
            Marker::Systolic.canonical(900.0, "mmHg"),
            Err("Value outside plausible range")
        );
        assert_eq!(
            Marker::Bmi.canonical(f64::NAN, "kg/m2"),
            Err("Value outside plausible range")
        );
    }

    #[test]
    fn both_ldl_codes_map_to_one_marker() {
        assert_eq!(Marker::from_loinc("13457-7"), Some(Marker::Ldl));
        assert_eq!(Marker::from_loinc("18262-6"), Some(Marker::Ldl));
        assert_eq!(Marker::from_loinc("1234-5"), None);
    }
}
