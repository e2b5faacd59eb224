//! The CardScan API commands: `token`, `upload`, `cards …`, `eligibility …`,
//! `magic-link …`. Each builds a [`Client`] from the global flags, runs one
//! operation and prints either the API's JSON (`--json`) or a readable summary.

use crate::global::GlobalArgs;
use anyhow::{bail, Context};
use cardscan_core::api::{
    Auth, Card, Client, ClientConfig, EligibilityInfo, EligibilityRecord, Environment, FlagRequest,
    PageRequest, Provider, Subscriber,
};
use cardscan_core::handoff::HandoffLink;
use cardscan_core::upload::{UploadMethod, UploadOptions};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Subcommand, Debug)]
pub enum ApiCommand {
    /// Mint a session token with the API key (server-side use).
    Token {
        /// Unique id of the end user the token is for.
        #[arg(long)]
        user_id: Option<String>,
    },
    /// Upload a card image (front, optional back) and print the card id.
    Upload(UploadArgs),
    /// List, get, search, delete or flag cards.
    #[command(subcommand)]
    Cards(CardsCommand),
    /// Create, get or list eligibility checks.
    #[command(subcommand)]
    Eligibility(EligibilityCommand),
    /// Generate or validate web-to-mobile magic links.
    #[command(subcommand, name = "magic-link")]
    MagicLink(MagicLinkCommand),
}

#[derive(clap::Args, Debug)]
pub struct UploadArgs {
    /// Front side JPEG.
    #[arg(long)]
    front: PathBuf,
    /// Back side JPEG (turns backside scanning on).
    #[arg(long)]
    back: Option<PathBuf>,
    /// Wait until the card is processed and print it.
    #[arg(long)]
    wait: bool,
    /// Upload flow.
    #[arg(long, value_enum, default_value = "direct")]
    method: Method,
    /// Seconds to wait with --wait.
    #[arg(long, default_value_t = 120)]
    timeout: u64,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Method {
    Direct,
    Presigned,
    Legacy,
}

#[derive(clap::Args, Debug)]
pub struct PageArgs {
    /// Page size.
    #[arg(long)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[arg(long)]
    cursor: Option<String>,
}

impl PageArgs {
    fn page(&self) -> PageRequest {
        PageRequest {
            limit: self.limit,
            cursor: self.cursor.clone(),
        }
    }
}

#[derive(clap::Subcommand, Debug)]
pub enum CardsCommand {
    /// List cards, newest first.
    List(PageArgs),
    /// Show one card.
    Get { card_id: String },
    /// Delete a card.
    Delete { card_id: String },
    /// Search cards.
    Search {
        query: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Flag a card's result (missing_elements, incorrect_elements, bad_payer_match,
    /// unreadable_text, eligibility_issue, other).
    Flag {
        card_id: String,
        #[arg(long = "type")]
        flag_type: String,
        #[arg(long)]
        message: Option<String>,
    },
}

#[derive(clap::Subcommand, Debug)]
pub enum EligibilityCommand {
    /// Validate, create and wait for an eligibility check.
    Create(EligibilityArgs),
    /// Show one eligibility record.
    Get { eligibility_id: String },
    /// List eligibility records.
    List(PageArgs),
}

#[derive(clap::Args, Debug)]
pub struct EligibilityArgs {
    #[arg(long)]
    card_id: String,
    /// Provider NPI (10 digits).
    #[arg(long)]
    npi: String,
    #[arg(long)]
    organization_name: Option<String>,
    #[arg(long)]
    provider_first_name: Option<String>,
    #[arg(long)]
    provider_last_name: Option<String>,
    /// Subscriber first name.
    #[arg(long)]
    first_name: String,
    /// Subscriber last name.
    #[arg(long)]
    last_name: String,
    /// Subscriber date of birth: YYYYMMDD, YYYY-MM-DD or MM/DD/YYYY.
    #[arg(long)]
    dob: String,
    /// Seconds to wait for the result.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
}

#[derive(clap::Subcommand, Debug)]
pub enum MagicLinkCommand {
    /// Generate a magic link and print the handoff URL.
    Generate {
        #[arg(long)]
        company_name: Option<String>,
        /// Ask the phone to scan the back too.
        #[arg(long)]
        backside: bool,
        /// Capture page (default: the environment's).
        #[arg(long)]
        url_base: Option<String>,
    },
    /// Validate a magic-link token or handoff URL; prints the scanning token.
    Validate { token_or_url: String },
}

/// The WebSocket URL next to a REST base: `http://h/v1` → `ws://h/ws`.
fn derive_ws_url(rest_base: &str) -> anyhow::Result<String> {
    let mut url = url::Url::parse(rest_base).context("--base-url is not a valid URL")?;
    let scheme = if url.scheme() == "https" { "wss" } else { "ws" };
    url.set_scheme(scheme)
        .map_err(|_| anyhow::anyhow!("cannot derive a WebSocket URL from --base-url"))?;
    let path = url
        .path()
        .trim_end_matches('/')
        .trim_end_matches("/v1")
        .to_string();
    url.set_path(&format!("{path}/ws"));
    Ok(url.to_string())
}

/// A client from the global flags (`--base-url`/`--env`, `--api-key`/`--token`).
pub fn client_from(global: &GlobalArgs) -> anyhow::Result<Client> {
    let environment = match &global.base_url {
        Some(base) => Environment::Custom {
            rest_base: base.clone(),
            ws_url: match &global.ws_url {
                Some(ws) => ws.clone(),
                None => derive_ws_url(base)?,
            },
        },
        None => match global.environment.as_str() {
            "sandbox" => Environment::Sandbox,
            "live" => Environment::Live,
            other => bail!("unknown environment `{other}` (sandbox or live)"),
        },
    };
    let auth = match (&global.token, &global.api_key) {
        (Some(token), _) => Auth::SessionToken(token.as_str().into()),
        (None, Some(key)) => Auth::ApiKey(key.as_str().into()),
        (None, None) => {
            bail!("no credentials: pass --api-key or --token (or set CARDSCAN_API_KEY)")
        }
    };
    Ok(Client::new(ClientConfig::new(environment, auth))?)
}

/// Print `value` as pretty JSON.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// A spinner on stderr (hidden when stderr is not a terminal).
pub fn spinner(message: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(100));
    bar.set_message(message.to_string());
    bar
}

/// A card, readably: state, then every extracted field with its confidence.
pub fn print_card(card: &Card) {
    println!(
        "card {}  state: {}  created: {}",
        card.card_id, card.state, card.created_at
    );
    if let Some(error) = &card.error {
        println!(
            "  error: {} ({}): {}",
            error.kind, error.code, error.message
        );
    }
    let Some(details) = &card.details else { return };
    for (name, field) in details.fields() {
        let confidence = field
            .min_score()
            .map(|s| format!("{:.0}%", s * 100.0))
            .unwrap_or_default();
        println!(
            "  {:<26} {:<34} {}",
            name.replace('_', " "),
            field.value,
            confidence
        );
    }
    for dependent in &details.dependent_names {
        println!("  {:<26} {}", "dependent", dependent.value);
    }
    if let Some(images) = &card.images {
        let sides = [("front", &images.front), ("back", &images.back)];
        for (side, image) in sides {
            if let Some(url) = image.as_ref().and_then(|i| i.url.as_ref()) {
                println!("  {side} image: {url}");
            }
        }
    }
}

fn print_cards(cards: &[Card], next_cursor: Option<&String>) {
    for card in cards {
        println!(
            "{}  {:<20} {}",
            card.card_id,
            card.state.to_string(),
            card.created_at
        );
    }
    if let Some(cursor) = next_cursor {
        println!("more: --cursor {cursor}");
    }
}

fn print_eligibility(record: &EligibilityRecord) {
    println!(
        "eligibility {}  card {}  state: {:?}",
        record.eligibility_id, record.card_id, record.state
    );
    if let Some(summary) = &record.eligibility_summarized_response {
        if let Some(active) = summary.plan_active() {
            println!("  plan active: {active}");
        }
        if let Some(copay) = summary
            .coverage_summary
            .as_ref()
            .and_then(|c| c.co_payment_in_network.as_ref())
        {
            println!(
                "  in-network copay: {}",
                copay.amount.as_deref().unwrap_or("-")
            );
        }
    }
    if let Some(error) = &record.error {
        println!("  error: {} ({})", error.message, error.code);
    }
}

fn read_image(path: &PathBuf) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

async fn upload(client: &Client, args: UploadArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let front = read_image(&args.front)?;
    let back = args.back.as_ref().map(read_image).transpose()?;
    let method = match args.method {
        Method::Direct => UploadMethod::Direct,
        Method::Presigned => UploadMethod::PresignedPost,
        Method::Legacy => UploadMethod::Legacy,
    };
    let options = UploadOptions {
        method,
        ..Default::default()
    };
    let bar = spinner("uploading");
    let card_id = client.upload_card_image_with(front, back, &options).await;
    let card_id = match card_id {
        Ok(id) => id,
        Err(e) => {
            bar.finish_and_clear();
            return Err(e.into());
        }
    };
    if !args.wait {
        bar.finish_and_clear();
        if global.json {
            return print_json(&serde_json::json!({ "card_id": card_id }));
        }
        println!("{card_id}");
        return Ok(());
    }
    bar.set_message("processing");
    let card = client
        .wait_for_card(&card_id, Duration::from_secs(args.timeout))
        .await;
    bar.finish_and_clear();
    let card = card?;
    if global.json {
        print_json(&card)
    } else {
        print_card(&card);
        Ok(())
    }
}

async fn cards(client: &Client, cmd: CardsCommand, json: bool) -> anyhow::Result<()> {
    match cmd {
        CardsCommand::List(page) => {
            let result = client.list_cards(&page.page()).await?;
            if json {
                return print_json(&result);
            }
            print_cards(&result.cards, result.response_metadata.next_cursor.as_ref());
        }
        CardsCommand::Get { card_id } => {
            let card = client.get_card(&card_id).await?;
            if json {
                return print_json(&card);
            }
            print_card(&card);
        }
        CardsCommand::Delete { card_id } => {
            client.delete_card(&card_id).await?;
            if !json {
                println!("deleted {card_id}");
            }
        }
        CardsCommand::Search { query, page } => {
            let result = client.search_cards(&query, &page.page()).await?;
            if json {
                return print_json(&result);
            }
            print_cards(&result.cards, result.response_metadata.next_cursor.as_ref());
        }
        CardsCommand::Flag {
            card_id,
            flag_type,
            message,
        } => {
            let flag = FlagRequest {
                flag_type: flag_type.parse()?,
                message,
            };
            let answer = client.flag_card(&card_id, &flag).await?;
            if json {
                return print_json(&answer);
            }
            println!("flagged {card_id}");
        }
    }
    Ok(())
}

async fn eligibility(client: &Client, cmd: EligibilityCommand, json: bool) -> anyhow::Result<()> {
    let record = match cmd {
        EligibilityCommand::Create(a) => {
            let request = EligibilityInfo {
                provider: Provider {
                    npi: a.npi,
                    organization_name: a.organization_name,
                    first_name: a.provider_first_name,
                    last_name: a.provider_last_name,
                },
                subscriber: Subscriber {
                    first_name: a.first_name,
                    last_name: a.last_name,
                    date_of_birth: a.dob,
                },
            };
            let bar = spinner("checking eligibility");
            let result = client
                .check_eligibility(&a.card_id, &request, Duration::from_secs(a.timeout))
                .await;
            bar.finish_and_clear();
            result?
        }
        EligibilityCommand::Get { eligibility_id } => {
            client.get_eligibility(&eligibility_id).await?
        }
        EligibilityCommand::List(page) => {
            let result = client.list_eligibility(&page.page()).await?;
            if json {
                return print_json(&result);
            }
            result
                .eligibility_requests
                .iter()
                .for_each(print_eligibility);
            if let Some(cursor) = result.response_metadata.next_cursor {
                println!("more: --cursor {cursor}");
            }
            return Ok(());
        }
    };
    if json {
        return print_json(&record);
    }
    print_eligibility(&record);
    Ok(())
}

async fn magic_link(client: &Client, cmd: MagicLinkCommand, json: bool) -> anyhow::Result<()> {
    match cmd {
        MagicLinkCommand::Generate {
            company_name,
            backside,
            url_base,
        } => {
            let magic = client.generate_magic_link().await?;
            let link = HandoffLink {
                token: magic.token.clone(),
                company_name,
                backside_support: backside,
            };
            let url = link.build(
                url_base
                    .as_deref()
                    .unwrap_or(client.environment().capture_url_base()),
            )?;
            if json {
                return print_json(&serde_json::json!({
                    "magic_link": magic.magic_link, "token": magic.token, "expires_at": magic.expires_at,
                    "handoff_url": url,
                }));
            }
            println!("{url}\nexpires at {}", magic.expires_at);
        }
        MagicLinkCommand::Validate { token_or_url } => {
            let token = if token_or_url.contains("://") {
                HandoffLink::parse(&token_or_url)?
                    .token
                    .expose()
                    .to_string()
            } else {
                token_or_url
            };
            let session = client.validate_magic_link(&token).await?;
            if json {
                return print_json(&session);
            }
            println!("{}", session.token.expose());
        }
    }
    Ok(())
}

pub async fn run(cmd: ApiCommand, global: &GlobalArgs) -> anyhow::Result<()> {
    let client = client_from(global)?;
    match cmd {
        ApiCommand::Token { user_id } => {
            let token = client.access_token(user_id.as_deref()).await?;
            if global.json {
                return print_json(&token);
            }
            println!("{}", token.token.expose());
            Ok(())
        }
        ApiCommand::Upload(args) => upload(&client, args, global).await,
        ApiCommand::Cards(c) => cards(&client, c, global.json).await,
        ApiCommand::Eligibility(c) => eligibility(&client, c, global.json).await,
        ApiCommand::MagicLink(c) => magic_link(&client, c, global.json).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ws_url_is_derived_from_the_rest_base() {
        assert_eq!(
            derive_ws_url("http://127.0.0.1:8080/v1").unwrap(),
            "ws://127.0.0.1:8080/ws"
        );
        assert_eq!(
            derive_ws_url("https://example.com/v1/").unwrap(),
            "wss://example.com/ws"
        );
    }
}
