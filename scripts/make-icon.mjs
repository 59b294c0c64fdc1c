// Draws images/icon.png (128×128): one stream of traffic splitting into a blue and a green lane.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 128;
const pixels = Buffer.alloc(size * size * 4);
const paint = (x, y, [r, g, b, a = 255]) => {
  const i = (y * size + x) * 4;
  pixels.set([r, g, b, a], i);
};
const background = [24, 32, 48];
const trunk = [220, 226, 235];
const blue = [52, 132, 235];
const green = [46, 184, 110];
const near = (px, py, x0, y0, x1, y1, width) => {
  const dx = x1 - x0,
    dy = y1 - y0;
  const t = Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy)) <= width;
};
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const corner = Math.min(x, y, size - 1 - x, size - 1 - y);
    const rounded = corner < 16 && Math.hypot(Math.max(0, 16 - Math.min(x, size - 1 - x)), Math.max(0, 16 - Math.min(y, size - 1 - y))) > 16;
    if (rounded) {
      paint(x, y, [0, 0, 0, 0]);
      continue;
    }
    let color = background;
    if (near(x, y, 16, 64, 56, 64, 9)) color = trunk;
    if (near(x, y, 56, 64, 108, 34, 9)) color = blue;
    if (near(x, y, 56, 64, 108, 94, 5)) color = green;
    paint(x, y, color);
  }
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buffer) => {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header.set([8, 6, 0, 0, 0], 8);
const rows = Buffer.concat(Array.from({ length: size }, (_, y) => Buffer.concat([Buffer.from([0]), pixels.subarray(y * size * 4, (y + 1) * size * 4)])));
writeFileSync(
  new URL('../images/icon.png', import.meta.url),
  Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]),
);
