//! UniFFI's generator CLI, pinned to the same uniffi version as cardscan-ffi
//! (the generated code and the scaffolding must come from one version).
//! Called by `cargo xtask bindings`; usable by hand too.

fn main() {
    uniffi::uniffi_bindgen_main()
}
