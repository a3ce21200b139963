//! The PNG icons of the web manifest (192 and 512 pixels), drawn here after the SVG favicon:
//! "BP" in white on a dark rounded square. A tiny PNG writer (one IDAT, zlib by flate2)
//! saves an image dependency.

use std::io::Write as _;

use crate::output::Out;
use crate::ExportError;

/// The favicon's background, `#1a1a1a`.
const BACKGROUND: [u8; 4] = [0x1a, 0x1a, 0x1a, 0xff];
/// The letters' colour.
const INK: [u8; 4] = [0xff, 0xff, 0xff, 0xff];

/// "B" and "P" on a 5 × 7 grid, a row a string.
const GLYPHS: [[&str; 7]; 2] = [
    [
        "####.", "#...#", "#...#", "####.", "#...#", "#...#", "####.",
    ],
    [
        "####.", "#...#", "#...#", "####.", "#....", "#....", "#....",
    ],
];

/// Writes `icon-192.png` and `icon-512.png`.
pub fn write_all(out: &Out) -> Result<(), ExportError> {
    for size in [192, 512] {
        let png = png(size, &draw(size)).map_err(|source| ExportError::Write {
            path: out.path(&format!("icon-{size}.png")),
            source,
        })?;
        out.write(&format!("/icon-{size}.png"), &png)?;
    }
    Ok(())
}

/// The icon as `size` × `size` RGBA pixels, row by row.
pub fn draw(size: u32) -> Vec<u8> {
    let s = size as i64;
    let radius = s / 8;
    // The two letters and the gap between them span 11 cells across and 7 down.
    let cell = s / 20;
    let left = (s - 11 * cell) / 2;
    let top = (s - 7 * cell) / 2;
    let mut pixels = Vec::with_capacity((size * size * 4) as usize);
    for y in 0..s {
        for x in 0..s {
            let colour = if !inside_rounded_square(x, y, s, radius) {
                [0, 0, 0, 0]
            } else if is_ink(x - left, y - top, cell) {
                INK
            } else {
                BACKGROUND
            };
            pixels.extend_from_slice(&colour);
        }
    }
    pixels
}

fn inside_rounded_square(x: i64, y: i64, size: i64, radius: i64) -> bool {
    let cx = x.clamp(radius, size - 1 - radius);
    let cy = y.clamp(radius, size - 1 - radius);
    let (dx, dy) = (x - cx, y - cy);
    dx * dx + dy * dy <= radius * radius
}

/// Whether the point (`x`, `y`) from the letters' top left corner falls on a letter.
fn is_ink(x: i64, y: i64, cell: i64) -> bool {
    if x < 0 || y < 0 || cell == 0 {
        return false;
    }
    let (column, row) = ((x / cell) as usize, (y / cell) as usize);
    let glyph = match column {
        0..=4 => 0,
        6..=10 => 1,
        _ => return false,
    };
    let offset = if glyph == 0 { 0 } else { 6 };
    GLYPHS[glyph]
        .get(row)
        .and_then(|line| line.as_bytes().get(column - offset))
        .is_some_and(|b| *b == b'#')
}

/// A PNG file of `size` × `size` RGBA `pixels`.
pub fn png(size: u32, pixels: &[u8]) -> std::io::Result<Vec<u8>> {
    let row = size as usize * 4;
    let mut raw = Vec::with_capacity(pixels.len() + size as usize);
    for line in pixels.chunks(row) {
        raw.push(0); // filter: none
        raw.extend_from_slice(line);
    }
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    zlib.write_all(&raw)?;
    let data = zlib.finish()?;

    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&size.to_be_bytes());
    header.extend_from_slice(&size.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]); // 8 bits, RGBA, deflate, no filter, no interlace
    let mut file = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut file, b"IHDR", &header);
    chunk(&mut file, b"IDAT", &data);
    chunk(&mut file, b"IEND", &[]);
    Ok(file)
}

fn chunk(file: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    file.extend_from_slice(&(data.len() as u32).to_be_bytes());
    file.extend_from_slice(kind);
    file.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    file.extend_from_slice(&crc.sum().to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icons_are_pngs_of_the_right_size() {
        let pixels = draw(192);
        assert_eq!(pixels.len(), 192 * 192 * 4);
        let file = png(192, &pixels).unwrap();
        assert!(file.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(&file[12..16], b"IHDR");
        assert_eq!(
            u32::from_be_bytes([file[16], file[17], file[18], file[19]]),
            192
        );
        assert!(file.ends_with(&[0xae, 0x42, 0x60, 0x82]), "IEND's CRC");
        // Corners are transparent, the middle of the B's stem is white.
        assert_eq!(pixels[3], 0);
        let cell = 192 / 20;
        let (x, y) = ((192 - 11 * cell) / 2 + 1, 96);
        let at = (y * 192 + x) * 4;
        assert_eq!(&pixels[at..at + 4], &INK);
    }
}
