//! cardscan-ffi: thin UniFFI layer over cardscan-core.
