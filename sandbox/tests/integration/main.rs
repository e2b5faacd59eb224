//! Integration tests of the sandbox over real HTTP and WebSocket on
//! loopback; response bodies are checked against the official spec.

mod auth;
mod cards;
mod common;
mod eligibility;
mod faults;
mod presigned;
mod scanning;
mod spec;
mod websocket;
