//! `CardScanClient`: every API operation the apps use, as Swift
//! `async throws` / Kotlin `suspend` functions. Each call runs on the SDK
//! runtime ([`crate::runtime::run`]); cancelling the caller (Kotlin coroutine,
//! Swift task drop) aborts the request.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use cardscan_core::api::{self as core, Client};

use crate::config::ClientConfig;
use crate::error::{CardScanError, Result};
use crate::events::{self, CardEventListener, CardSubscription};
use crate::handoff::{Handoff, HandoffLink};
use crate::runtime::run;
use crate::types::{
    Card, CardPage, EligibilityInfo, EligibilityPage, EligibilityRecord, FlagType, MagicLink,
    SessionToken,
};

/// Longest accepted wait (a day): beyond it a typo is more likely than intent.
const MAX_WAIT_MS: u64 = 24 * 3600 * 1000;

/// A CardScan API client. Create one and share it.
#[derive(uniffi::Object)]
pub struct CardScanClient {
    inner: Client,
}

impl std::fmt::Debug for CardScanClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardScanClient")
            .field("inner", &self.inner)
            .finish()
    }
}

fn wait_duration(field: &str, ms: u64) -> Result<Duration> {
    if ms == 0 || ms > MAX_WAIT_MS {
        return Err(CardScanError::invalid(
            field,
            "must be between 1 ms and 24 h",
        ));
    }
    Ok(Duration::from_millis(ms))
}

fn page(limit: Option<u32>, cursor: Option<String>) -> core::PageRequest {
    core::PageRequest { limit, cursor }
}

impl CardScanClient {
    /// Runs `op` with a clone of the client on the SDK runtime.
    async fn call<T, F, Fut>(&self, op: F) -> Result<T>
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = cardscan_core::error::Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        let fut = op(self.inner.clone());
        run(async move { fut.await.map_err(CardScanError::from) }).await
    }
}

#[uniffi::export]
impl CardScanClient {
    /// A client; nothing is sent until the first call.
    #[uniffi::constructor]
    pub fn new(config: ClientConfig) -> Result<Arc<Self>> {
        crate::guard::guard(|| {
            // reqwest's client needs a runtime context to be built.
            let _enter = crate::runtime::runtime()?.enter();
            let inner = Client::new(config.to_core()?)?;
            Ok(Arc::new(CardScanClient { inner }))
        })
    }

    /// Creates a card, uploads the front (and back) JPEG, and returns the
    /// card id. Then `waitForCard`.
    pub async fn upload_card_image(&self, front: Vec<u8>, back: Option<Vec<u8>>) -> Result<String> {
        self.call(|c| async move { c.upload_card_image(front, back).await })
            .await
    }

    /// Waits until the card is processed (WebSocket, falling back to
    /// polling). Throws `CardFailed` for a rejected card, `Timeout` after
    /// `timeoutMs`.
    pub async fn wait_for_card(&self, card_id: String, timeout_ms: u64) -> Result<Card> {
        let timeout = wait_duration("timeoutMs", timeout_ms)?;
        self.call(|c| async move { c.wait_for_card(&card_id, timeout).await.map(Card::from) })
            .await
    }

    pub async fn get_card(&self, card_id: String) -> Result<Card> {
        self.call(|c| async move { c.get_card(&card_id).await.map(Card::from) })
            .await
    }

    /// One page of cards, newest first; pass the previous page's `nextCursor`.
    pub async fn list_cards(&self, limit: Option<u32>, cursor: Option<String>) -> Result<CardPage> {
        self.call(|c| async move { c.list_cards(&page(limit, cursor)).await.map(CardPage::from) })
            .await
    }

    pub async fn search_cards(
        &self,
        query: String,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<CardPage> {
        self.call(|c| async move {
            c.search_cards(&query, &page(limit, cursor))
                .await
                .map(CardPage::from)
        })
        .await
    }

    pub async fn delete_card(&self, card_id: String) -> Result<()> {
        self.call(|c| async move { c.delete_card(&card_id).await })
            .await
    }

    /// Flags a card's result for CardScan's review.
    pub async fn flag_card(
        &self,
        card_id: String,
        flag_type: FlagType,
        message: Option<String>,
    ) -> Result<()> {
        let flag = core::FlagRequest {
            flag_type: flag_type.into(),
            message,
        };
        self.call(|c| async move { c.flag_card(&card_id, &flag).await.map(|_| ()) })
            .await
    }

    /// Validates the request (nothing is sent if invalid), creates the
    /// eligibility check and waits for its answer.
    pub async fn check_eligibility(
        &self,
        card_id: String,
        info: EligibilityInfo,
        timeout_ms: u64,
    ) -> Result<EligibilityRecord> {
        let timeout = wait_duration("timeoutMs", timeout_ms)?;
        let info = info.into();
        self.call(|c| async move {
            c.check_eligibility(&card_id, &info, timeout)
                .await
                .map(Into::into)
        })
        .await
    }

    /// Creates an eligibility check without waiting (validated first).
    pub async fn create_eligibility(
        &self,
        card_id: String,
        info: EligibilityInfo,
    ) -> Result<EligibilityRecord> {
        let info = cardscan_core::eligibility::validate(&info.into())?;
        self.call(|c| async move { c.create_eligibility(&card_id, &info).await.map(Into::into) })
            .await
    }

    pub async fn get_eligibility(&self, eligibility_id: String) -> Result<EligibilityRecord> {
        self.call(|c| async move { c.get_eligibility(&eligibility_id).await.map(Into::into) })
            .await
    }

    pub async fn list_eligibility(
        &self,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<EligibilityPage> {
        self.call(|c| async move {
            c.list_eligibility(&page(limit, cursor))
                .await
                .map(Into::into)
        })
        .await
    }

    /// A one-hour magic link for continuing on another device.
    pub async fn generate_magic_link(&self) -> Result<MagicLink> {
        self.call(|c| async move { c.generate_magic_link().await.map(Into::into) })
            .await
    }

    /// Validates a magic-link token: the returned session token uploads and
    /// reads that session's cards. Throws `Gone` once expired.
    pub async fn validate_magic_link(&self, token: String) -> Result<SessionToken> {
        self.call(|c| async move { c.validate_magic_link(&token).await.map(Into::into) })
            .await
    }

    /// A magic link plus the handoff URL to show as a QR code (`urlBase`
    /// defaults to the environment's capture page).
    pub async fn generate_handoff(
        &self,
        company_name: Option<String>,
        backside_support: bool,
        url_base: Option<String>,
    ) -> Result<Handoff> {
        self.call(|c| async move {
            let (link, url) = c
                .generate_handoff(
                    company_name.as_deref(),
                    backside_support,
                    url_base.as_deref(),
                )
                .await?;
            Ok(Handoff {
                link: Arc::new(HandoffLink::from(link)),
                url,
            })
        })
        .await
    }

    /// On the phone: validates a scanned handoff link's token.
    pub async fn accept_handoff(&self, link: Arc<HandoffLink>) -> Result<SessionToken> {
        let link = link.core().clone();
        self.call(|c| async move { c.accept_handoff(&link).await.map(Into::into) })
            .await
    }

    /// Follows a card's events as they arrive; the listener is called until
    /// the card reaches a final state, an error, or `cancel()`.
    pub fn follow_card(
        &self,
        card_id: String,
        listener: Arc<dyn CardEventListener>,
    ) -> Result<Arc<CardSubscription>> {
        events::follow(self.inner.clone(), card_id, listener)
    }
}
