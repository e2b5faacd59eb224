//! YUV4MPEG2 (`.y4m`) video: a reader for 4:2:0 streams (the `C420*` variants,
//! or no `C` tag) with typed errors and dimension limits, a writer, and RGB ↔
//! I420 conversion (BT.601 full range, as `C420jpeg` implies).

use image::RgbImage;
use std::io::{BufRead, BufReader, Read, Write};

/// Largest accepted frame side; a header claiming more is rejected before any
/// allocation.
pub const MAX_SIDE: u32 = 8192;
const MAX_HEADER: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum Y4mError {
    #[error("y4m read/write failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a YUV4MPEG2 stream (bad signature)")]
    BadMagic,
    #[error("bad y4m header: {0}")]
    BadHeader(String),
    #[error("y4m frame size {width}x{height} outside 1..={MAX_SIDE}")]
    BadDimensions { width: u64, height: u64 },
    #[error("unsupported y4m colour space {0:?} (only 4:2:0 is supported)")]
    UnsupportedColorspace(String),
    #[error("interlaced y4m is not supported ({0:?})")]
    Interlaced(String),
    #[error("bad y4m frame header at frame {index}")]
    BadFrameHeader { index: usize },
    #[error("y4m frame {index} is truncated ({got} of {expected} bytes)")]
    TruncatedFrame {
        index: usize,
        got: usize,
        expected: usize,
    },
    #[error("frame is {got_w}x{got_h} but the stream is {width}x{height}")]
    FrameSizeMismatch {
        width: u32,
        height: u32,
        got_w: u32,
        got_h: u32,
    },
}

/// One planar 4:2:0 frame: full-size Y, then U and V at half size (rounded up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct I420Frame {
    pub width: u32,
    pub height: u32,
    pub y: Vec<u8>,
    pub u: Vec<u8>,
    pub v: Vec<u8>,
}

impl I420Frame {
    pub fn chroma_dims(width: u32, height: u32) -> (u32, u32) {
        (width.div_ceil(2), height.div_ceil(2))
    }

    /// Bytes of one frame's planes.
    pub fn byte_len(width: u32, height: u32) -> usize {
        let (cw, ch) = Self::chroma_dims(width, height);
        width as usize * height as usize + 2 * cw as usize * ch as usize
    }

    /// BT.601 full-range conversion, chroma averaged over 2×2 blocks.
    pub fn from_rgb(img: &RgbImage) -> Self {
        let (w, h) = img.dimensions();
        let (cw, ch) = Self::chroma_dims(w, h);
        let px = |x: u32, y: u32| {
            img.get_pixel(x.min(w - 1), y.min(h - 1))
                .0
                .map(|c| c as f32)
        };
        let y = img.pixels().map(|p| luma(p.0.map(|c| c as f32))).collect();
        let mut u = Vec::with_capacity((cw * ch) as usize);
        let mut v = Vec::with_capacity((cw * ch) as usize);
        for cy in 0..ch {
            for cx in 0..cw {
                let mut s = [0.0f32; 3];
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let p = px(cx * 2 + dx, cy * 2 + dy);
                    s = [s[0] + p[0] / 4.0, s[1] + p[1] / 4.0, s[2] + p[2] / 4.0];
                }
                u.push(clamp8(
                    -0.168_736 * s[0] - 0.331_264 * s[1] + 0.5 * s[2] + 128.0,
                ));
                v.push(clamp8(
                    0.5 * s[0] - 0.418_688 * s[1] - 0.081_312 * s[2] + 128.0,
                ));
            }
        }
        Self {
            width: w,
            height: h,
            y,
            u,
            v,
        }
    }

    /// Back to RGB (nearest chroma sample).
    pub fn to_rgb(&self) -> RgbImage {
        let (cw, _) = Self::chroma_dims(self.width, self.height);
        RgbImage::from_fn(self.width, self.height, |x, y| {
            let yi = (y * self.width + x) as usize;
            let ci = ((y / 2) * cw + x / 2) as usize;
            let l = *self.y.get(yi).unwrap_or(&0) as f32;
            let u = *self.u.get(ci).unwrap_or(&128) as f32 - 128.0;
            let v = *self.v.get(ci).unwrap_or(&128) as f32 - 128.0;
            image::Rgb([
                clamp8(l + 1.402 * v),
                clamp8(l - 0.344_136 * u - 0.714_136 * v),
                clamp8(l + 1.772 * u),
            ])
        })
    }
}

fn luma(p: [f32; 3]) -> u8 {
    clamp8(0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2])
}

fn clamp8(v: f32) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

/// Stream parameters from the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Y4mHeader {
    pub width: u32,
    pub height: u32,
    /// Frame rate as a fraction; 30:1 when the header has no `F` tag.
    pub fps_num: u32,
    pub fps_den: u32,
}

impl Y4mHeader {
    pub fn fps(&self) -> f64 {
        self.fps_num as f64 / self.fps_den.max(1) as f64
    }
}

/// Reads frames one at a time from any `Read`.
pub struct Y4mReader<R: Read> {
    input: BufReader<R>,
    header: Y4mHeader,
    index: usize,
}

impl<R: Read> Y4mReader<R> {
    pub fn new(input: R) -> Result<Self, Y4mError> {
        let mut input = BufReader::new(input);
        let line = read_line(&mut input)?.ok_or(Y4mError::BadMagic)?;
        let header = parse_header(&line)?;
        Ok(Self {
            input,
            header,
            index: 0,
        })
    }

    pub fn header(&self) -> Y4mHeader {
        self.header
    }

    /// The next frame, `Ok(None)` at a clean end of stream.
    pub fn next_frame(&mut self) -> Result<Option<I420Frame>, Y4mError> {
        let index = self.index;
        let Some(line) = read_line(&mut self.input)? else {
            return Ok(None);
        };
        if line != "FRAME" && !line.starts_with("FRAME ") {
            return Err(Y4mError::BadFrameHeader { index });
        }
        let (w, h) = (self.header.width, self.header.height);
        let expected = I420Frame::byte_len(w, h);
        let mut buf = vec![0u8; expected];
        let got = read_full(&mut self.input, &mut buf)?;
        if got < expected {
            return Err(Y4mError::TruncatedFrame {
                index,
                got,
                expected,
            });
        }
        self.index += 1;
        let luma_len = (w * h) as usize;
        let chroma_len = (expected - luma_len) / 2;
        let v = buf.split_off(luma_len + chroma_len);
        let u = buf.split_off(luma_len);
        Ok(Some(I420Frame {
            width: w,
            height: h,
            y: buf,
            u,
            v,
        }))
    }
}

/// Reads a whole stream held in memory.
pub fn read_all(bytes: &[u8]) -> Result<(Y4mHeader, Vec<I420Frame>), Y4mError> {
    let mut r = Y4mReader::new(bytes)?;
    let mut frames = Vec::new();
    while let Some(f) = r.next_frame()? {
        frames.push(f);
    }
    Ok((r.header(), frames))
}

/// A header line (without the newline), or `None` at end of input. Lines longer
/// than a sane header are an error rather than an unbounded read.
fn read_line<R: Read>(input: &mut BufReader<R>) -> Result<Option<String>, Y4mError> {
    let mut line = Vec::new();
    let n = input
        .by_ref()
        .take(MAX_HEADER as u64 + 1)
        .read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return Err(Y4mError::BadHeader(
            "header line unterminated or too long".into(),
        ));
    }
    line.pop();
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| Y4mError::BadHeader("header is not ASCII".into()))
}

fn read_full<R: Read>(input: &mut R, buf: &mut [u8]) -> Result<usize, Y4mError> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(got)
}

fn parse_header(line: &str) -> Result<Y4mHeader, Y4mError> {
    let mut parts = line.split(' ');
    if parts.next() != Some("YUV4MPEG2") {
        return Err(Y4mError::BadMagic);
    }
    let (mut w, mut h) = (None, None);
    let (mut num, mut den) = (30, 1);
    for tag in parts.filter(|p| !p.is_empty()) {
        let (key, val) = tag.split_at(1);
        match key {
            "W" => w = Some(parse_num(val, "width")?),
            "H" => h = Some(parse_num(val, "height")?),
            "F" => (num, den) = parse_ratio(val)?,
            "I" if val != "p" && val != "?" => return Err(Y4mError::Interlaced(val.into())),
            "C" if !val.starts_with("420") => {
                return Err(Y4mError::UnsupportedColorspace(val.into()))
            }
            _ => {}
        }
    }
    let (w, h) = match (w, h) {
        (Some(w), Some(h)) => (w, h),
        _ => return Err(Y4mError::BadHeader("missing W or H".into())),
    };
    if w == 0 || h == 0 || w > MAX_SIDE as u64 || h > MAX_SIDE as u64 {
        return Err(Y4mError::BadDimensions {
            width: w,
            height: h,
        });
    }
    Ok(Y4mHeader {
        width: w as u32,
        height: h as u32,
        fps_num: num,
        fps_den: den,
    })
}

fn parse_num(v: &str, what: &str) -> Result<u64, Y4mError> {
    v.parse()
        .map_err(|_| Y4mError::BadHeader(format!("bad {what} {v:?}")))
}

fn parse_ratio(v: &str) -> Result<(u32, u32), Y4mError> {
    let bad = || Y4mError::BadHeader(format!("bad frame rate {v:?}"));
    let (n, d) = v.split_once(':').ok_or_else(bad)?;
    let (n, d): (u32, u32) = (n.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    if n == 0 || d == 0 {
        return Err(bad());
    }
    Ok((n, d))
}

/// Writes a 4:2:0 stream (`C420jpeg`, progressive, square pixels).
pub struct Y4mWriter<W: Write> {
    out: W,
    header: Y4mHeader,
}

impl<W: Write> Y4mWriter<W> {
    pub fn new(mut out: W, header: Y4mHeader) -> Result<Self, Y4mError> {
        let Y4mHeader {
            width,
            height,
            fps_num,
            fps_den,
        } = header;
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(Y4mError::BadDimensions {
                width: width as u64,
                height: height as u64,
            });
        }
        if fps_num == 0 || fps_den == 0 {
            return Err(Y4mError::BadHeader("frame rate must be positive".into()));
        }
        writeln!(
            out,
            "YUV4MPEG2 W{width} H{height} F{fps_num}:{fps_den} Ip A1:1 C420jpeg"
        )?;
        Ok(Self { out, header })
    }

    pub fn write_frame(&mut self, f: &I420Frame) -> Result<(), Y4mError> {
        let Y4mHeader { width, height, .. } = self.header;
        let plane_ok = f.y.len() + f.u.len() + f.v.len() == I420Frame::byte_len(width, height);
        if f.width != width || f.height != height || !plane_ok {
            return Err(Y4mError::FrameSizeMismatch {
                width,
                height,
                got_w: f.width,
                got_h: f.height,
            });
        }
        self.out.write_all(b"FRAME\n")?;
        self.out.write_all(&f.y)?;
        self.out.write_all(&f.u)?;
        self.out.write_all(&f.v)?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<W, Y4mError> {
        self.out.flush()?;
        Ok(self.out)
    }
}
