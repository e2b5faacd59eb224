//! `cardscan cardio …`: the CardioExplorer API from the command line.
//!
//! A CLI process cannot keep a token between invocations, so every command
//! authenticates first with the client id and secret (flags or
//! `CARDIO_CLIENT_ID` / `CARDIO_CLIENT_SECRET`). Against a local sandbox
//! (loopback base URL) the sandbox's default test credentials are used when
//! none are given.

use std::path::PathBuf;

use anyhow::{anyhow, Context};
use cardscan_core::cardio::{
    CardioClient, CardioConfig, DraftTest, Language, PatientReport, TestResponse, DEFAULT_BASE_URL,
};
use serde::Serialize;

use crate::global::GlobalArgs;

#[derive(clap::Subcommand, Debug)]
pub enum CardioCommand {
    /// CardioExplorer: authenticate, magic links, draft / run a CCS test, read its report.
    Cardio(CardioArgs),
}

#[derive(clap::Args, Debug)]
pub struct CardioArgs {
    /// Organisation client id.
    #[arg(long, global = true, env = "CARDIO_CLIENT_ID")]
    client_id: Option<String>,
    /// Organisation client secret (server-side credential: never ship it in an app).
    #[arg(
        long,
        global = true,
        env = "CARDIO_CLIENT_SECRET",
        hide_env_values = true
    )]
    client_secret: Option<String>,
    /// CardioExplorer host, e.g. http://127.0.0.1:8080 for the local sandbox.
    #[arg(long = "cardio-url", global = true, env = "CARDIO_BASE_URL", default_value = DEFAULT_BASE_URL)]
    base_url: String,
    /// Scopes to request.
    #[arg(long, global = true, default_value = "api.read api.write")]
    scope: String,
    #[command(subcommand)]
    action: CardioAction,
}

#[derive(clap::Subcommand, Debug)]
enum CardioAction {
    /// Check the credentials and show the organisation.
    Auth,
    /// Generate a magic login link into CardioExplorer's UI.
    MagicLink,
    /// Draft a test from a FHIR Bundle JSON file; shows mapped, rejected and missing items.
    Draft {
        /// The FHIR Bundle (JSON).
        file: PathBuf,
    },
    /// Run the CCS test of a draft.
    Run {
        /// The draft test id printed by `draft`.
        id: String,
        /// Language of the recommendation.
        #[arg(long, value_enum, default_value = "en")]
        language: Lang,
    },
    /// Show the report of a test that has been run.
    Result {
        /// The test id.
        id: String,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Lang {
    En,
    De,
}

impl From<Lang> for Language {
    fn from(l: Lang) -> Self {
        match l {
            Lang::En => Language::En,
            Lang::De => Language::De,
        }
    }
}

pub async fn run(cmd: CardioCommand, global: &GlobalArgs) -> anyhow::Result<()> {
    let CardioCommand::Cardio(args) = cmd;
    let client = connect(&args).await?;
    match args.action {
        CardioAction::Auth => {
            let session = client.session().ok_or_else(|| anyhow!("no session"))?;
            output(global.json, &session, || {
                let org = session.organization.as_ref();
                let name = org
                    .and_then(|o| o.organization_name.as_deref())
                    .unwrap_or("?");
                format!(
                    "authenticated as {name}; token valid for {} s",
                    session.expires_in_secs
                )
            })
        }
        CardioAction::MagicLink => {
            let link = client.generate_magic_link().await?;
            output(global.json, &link, || {
                let expires = link.expires_at.as_deref().unwrap_or("unknown");
                format!("{}\n(expires {expires})", link.magic_link)
            })
        }
        CardioAction::Draft { file } => {
            let bundle = read_bundle(&file)?;
            let draft = client.draft_test_json(bundle).await?;
            output(global.json, &draft, || describe_draft(&draft))
        }
        CardioAction::Run { id, language } => {
            let result = client.run_test(&id, language.into()).await?;
            output(global.json, &result, || describe_run(&result))
        }
        CardioAction::Result { id } => {
            let report = client.test_result(&id).await?;
            output(global.json, &report, || describe_report(&report))
        }
    }
}

/// A client authenticated for this invocation.
async fn connect(args: &CardioArgs) -> anyhow::Result<CardioClient> {
    let client = CardioClient::new(CardioConfig::with_base_url(&args.base_url))?;
    let (id, secret) = credentials(args)?;
    client
        .authenticate(&id, &secret, &args.scope)
        .await
        .context("CardioExplorer authentication failed")?;
    Ok(client)
}

fn credentials(args: &CardioArgs) -> anyhow::Result<(String, String)> {
    match (&args.client_id, &args.client_secret) {
        (Some(id), Some(secret)) => Ok((id.clone(), secret.clone())),
        (None, None) if is_loopback(&args.base_url) => Ok((
            cardscan_sandbox::cardio::DEFAULT_CLIENT_ID.to_owned(),
            cardscan_sandbox::cardio::DEFAULT_CLIENT_SECRET.to_owned(),
        )),
        _ => Err(anyhow!(
            "CardioExplorer needs --client-id and --client-secret (or CARDIO_CLIENT_ID / CARDIO_CLIENT_SECRET)"
        )),
    }
}

fn is_loopback(base_url: &str) -> bool {
    url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .is_some_and(|h| {
            h == "localhost"
                || h.parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        })
}

fn read_bundle(file: &PathBuf) -> anyhow::Result<serde_json::Value> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    // The serde message may quote content; only its position is shown.
    serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{} is not valid JSON (line {}, column {})",
            file.display(),
            e.line(),
            e.column()
        )
    })
}

fn output<T: Serialize>(
    json: bool,
    value: &T,
    text: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        println!("{}", text());
    }
    Ok(())
}

fn describe_draft(d: &DraftTest) -> String {
    let mut lines = vec![
        format!("draft test {}", d.draft_test_id),
        format!(
            "  {} mapped, {} rejected, {} missing",
            d.items_mapped, d.items_rejected, d.items_missing
        ),
    ];
    for r in &d.rejected_items {
        let what = r
            .code
            .as_deref()
            .or(r.resource_type.as_deref())
            .unwrap_or("?");
        let why = r.rejection_reason.as_deref().unwrap_or("?");
        lines.push(format!("  rejected {what}: {why}"));
    }
    for m in &d.missing_items {
        lines.push(format!("  missing {}", m.name.as_deref().unwrap_or("?")));
    }
    lines.join("\n")
}

fn describe_run(r: &TestResponse) -> String {
    let mut lines = vec![format!(
        "test {}: risk score {:.4} ({})",
        r.test_id,
        r.risk_score,
        r.risk_level.as_str()
    )];
    if let Some(rec) = &r.recommendation {
        lines.push(format!("  {rec}"));
    }
    lines.extend(r.warnings.iter().map(|w| format!("  warning: {w}")));
    lines.join("\n")
}

fn describe_report(r: &PatientReport) -> String {
    let mut lines = vec![format!(
        "report of test {}",
        r.test_id.as_deref().unwrap_or("?")
    )];
    if let Some(a) = &r.risk_assessment {
        lines.push(format!(
            "  risk score {:.4} ({})",
            a.risk_score,
            a.risk_level.as_str()
        ));
        if let Some(s) = &a.summary {
            lines.push(format!("  {s}"));
        }
    }
    for b in &r.biomarkers {
        let value = match (b.value, &b.value_text) {
            (Some(v), _) => format!("{v} {}", b.unit.as_deref().unwrap_or("")),
            (None, Some(t)) => t.clone(),
            _ => "?".into(),
        };
        lines.push(format!(
            "  {}: {}",
            b.name.as_deref().unwrap_or("?"),
            value.trim_end()
        ));
    }
    lines.extend(
        r.recommendations
            .iter()
            .map(|x| format!("  recommendation: {x}")),
    );
    lines.join("\n")
}
