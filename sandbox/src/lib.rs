//! cardscan-sandbox: an in-memory CardScan API server (HTTP + WebSocket) with
//! fault injection, started in-process by tests or by `cardscan sandbox`.
