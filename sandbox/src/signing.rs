//! HMAC-SHA256 with the sandbox's secret: session tokens, upload policies and
//! image URLs are all signed with it, so none outlives the sandbox process.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The sandbox's signing key. `Debug` never shows the key.
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(<redacted>)")
    }
}

impl Signer {
    /// Uses `key`, or a random 32-byte key when none is configured.
    pub fn new(key: Option<Vec<u8>>) -> Self {
        let key = key.unwrap_or_else(|| (0..32).map(|_| rand::random::<u8>()).collect());
        Signer { key }
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC accepts keys of any length, so this cannot fail.
        <HmacSha256 as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"))
    }

    /// The raw MAC of `data`.
    pub fn sign(&self, data: &[u8]) -> Vec<u8> {
        let mut mac = self.mac();
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    /// Lower-case hex MAC, as S3 signatures are written.
    pub fn sign_hex(&self, data: &[u8]) -> String {
        hex::encode(self.sign(data))
    }

    /// Constant-time check of a raw MAC.
    pub fn verify(&self, data: &[u8], mac_bytes: &[u8]) -> bool {
        let mut mac = self.mac();
        mac.update(data);
        mac.verify_slice(mac_bytes).is_ok()
    }

    /// Constant-time check of a hex MAC; false for malformed hex.
    pub fn verify_hex(&self, data: &[u8], mac_hex: &str) -> bool {
        hex::decode(mac_hex).is_ok_and(|m| self.verify(data, &m))
    }
}
