//! Whether a JPEG file is whole: its segments and entropy-coded scans run
//! up to an end-of-image (EOI) marker.
//!
//! Why a walk and not a search for the bytes `FF D9`: those bytes also end
//! the thumbnail embedded in an EXIF segment near the start of most camera
//! JPEGs, so a file cut anywhere after its thumbnail would pass. Segments
//! with a length are skipped whole; inside a scan, `FF 00` (a stuffed data
//! byte) and `FF D0`–`FF D7` (restart markers) are data, and the first other
//! marker ends the scan. Bytes after the EOI (some cameras append data) are
//! not looked at.

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const TEM: u8 = 0x01;

/// Whether `bytes` is a JPEG that reaches its end-of-image marker. Says
/// nothing of whether the data decodes: only that none is missing.
pub fn is_complete(bytes: &[u8]) -> bool {
    if bytes.len() < 4 || bytes[0] != 0xFF || bytes[1] != SOI {
        return false;
    }
    let mut at = 2;
    while let Some(marker_at) = next_marker(bytes, at) {
        let marker = bytes[marker_at + 1];
        let after = marker_at + 2;
        at = match marker {
            EOI => return true,
            TEM | 0xD0..=0xD7 => after,
            _ => {
                let Some(end) = segment_end(bytes, after) else {
                    return false;
                };
                if marker == SOS {
                    match scan_end(bytes, end) {
                        Some(next) => next,
                        None => return false,
                    }
                } else {
                    end
                }
            }
        };
    }
    false
}

/// The index of the next marker's `FF` at or after `at`, past any fill
/// bytes (`FF FF …`) and, leniently, stray bytes between segments.
fn next_marker(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at;
    loop {
        let ff = i + bytes.get(i..)?.iter().position(|&b| b == 0xFF)?;
        match *bytes.get(ff + 1)? {
            0xFF => i = ff + 1,
            0x00 => i = ff + 2,
            _ => return Some(ff),
        }
    }
}

/// The end of a segment whose two-byte length (counting itself) starts at
/// `at`; `None` when the file ends first.
fn segment_end(bytes: &[u8], at: usize) -> Option<usize> {
    let len = u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]) as usize;
    let end = at.checked_add(len)?;
    (len >= 2 && end <= bytes.len()).then_some(end)
}

/// The index of the marker that ends the entropy-coded data starting at
/// `at`; `None` when the file ends inside the scan.
fn scan_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at;
    loop {
        let ff = i + bytes.get(i..)?.iter().position(|&b| b == 0xFF)?;
        match *bytes.get(ff + 1)? {
            0x00 | 0xD0..=0xD7 => i = ff + 2,
            0xFF => i = ff + 1,
            _ => return Some(ff),
        }
    }
}
