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

/// Whether `bytes` is a JPEG that reaches its end-of-image marker. Says
/// nothing of whether the data decodes: only that none is missing.
///
/// Every marker but the EOI and those [`next_marker`] passes over starts a
/// segment with a length; a scan's entropy-coded data follows its header
/// segment and runs up to the next marker that is not data, which is where
/// [`next_marker`] lands.
pub fn is_complete(bytes: &[u8]) -> bool {
    if bytes.len() < 4 || bytes[0] != 0xFF || bytes[1] != SOI {
        return false;
    }
    let mut at = 2;
    while let Some(marker_at) = next_marker(bytes, at) {
        if bytes[marker_at + 1] == EOI {
            return true;
        }
        match segment_end(bytes, marker_at + 2) {
            Some(end) => at = end,
            None => return false,
        }
    }
    false
}

/// The index of the `FF` of the next marker with a length (or the EOI) at
/// or after `at`. Passed over: fill bytes (`FF FF`), stuffed data bytes
/// (`FF 00`), restart markers (`FF D0`–`FF D7`) and TEM (`FF 01`), which
/// carry no length, and, leniently, stray bytes between segments.
fn next_marker(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at;
    loop {
        let ff = i + bytes.get(i..)?.iter().position(|&b| b == 0xFF)?;
        match *bytes.get(ff + 1)? {
            0xFF => i = ff + 1,
            0x00 | 0x01 | 0xD0..=0xD7 => i = ff + 2,
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
