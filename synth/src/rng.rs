//! The one random-number generator every generator step draws from.
//!
//! ChaCha8 is portable and stable across platforms and rand versions, so a seed
//! names the same scene on every machine (tests and the evaluation split rely on it).

use rand::{Rng as _, SeedableRng};

pub type Rng = rand_chacha::ChaCha8Rng;

/// A generator for `seed`, salted by `stream` so independent parts of one scene
/// (card content, placement, effects) do not shift when another part changes.
pub fn rng_for(seed: u64, stream: u64) -> Rng {
    let mut r = Rng::seed_from_u64(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    r.set_stream(stream);
    r
}

/// Uniform float in `[lo, hi)`; returns `lo` when the range is empty.
pub fn uniform(rng: &mut Rng, lo: f32, hi: f32) -> f32 {
    if hi > lo {
        rng.random_range(lo..hi)
    } else {
        lo
    }
}

/// True with probability `p`.
pub fn chance(rng: &mut Rng, p: f32) -> bool {
    rng.random::<f32>() < p
}

/// One element of a non-empty slice, chosen uniformly.
pub fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    let i = rng.random_range(0..items.len().max(1));
    &items[i.min(items.len().saturating_sub(1))]
}

/// A string of `n` decimal digits.
pub fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// A string of `n` upper-case letters.
pub fn letters(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'A' + rng.random_range(0..26u8)))
        .collect()
}

/// Standard normal sample (Box–Muller), for noise and jitter.
#[allow(dead_code)]
pub fn normal(rng: &mut Rng) -> f32 {
    let u1: f32 = rng.random::<f32>().max(1e-7);
    let u2: f32 = rng.random::<f32>();
    (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
}

/// Upper-case letters, between `lo` and `hi` (exclusive) of them.
pub fn word(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let n = rng.random_range(lo..hi.max(lo + 1));
    letters(rng, n)
}
