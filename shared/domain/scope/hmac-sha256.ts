import { createHash } from 'node:crypto';

/**
 * HMAC-SHA256 for one fixed key, for the scope join's hot path (one HMAC per leaked email).
 * HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)); the SHA-256 states after the 64-byte
 * `K ^ ipad` and `K ^ opad` blocks are computed once, so a short email costs two compressions and
 * no allocation. The digest comes out as eight big-endian 32-bit words (the binary HMAC), which
 * the map index compares directly. Byte-identical to node:crypto's createHmac('sha256', key)
 * (property-tested); node:crypto stays the reference for every hex HMAC that is stored.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const IV = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** One SHA-256 compression of the 16 words in `w[0..16)` into `state` (w is clobbered). */
function compress(state: Int32Array, w: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const a = w[t - 15]!;
    const b = w[t - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[t]! + w[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of eight big-endian words (the usual digest('hex') form). */
export function wordsToHex(words: Int32Array, at = 0): string {
  let s = '';
  for (let i = at; i < at + 8; i++) {
    const x = words[i]!;
    s += HEX[(x >>> 24) & 255]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
  }
  return s;
}

export class KeyedSha256Hmac {
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly state = new Int32Array(8);
  private readonly w = new Int32Array(64);
  private readonly digest = new Int32Array(8);
  private bytes = new Uint8Array(256);
  private readonly encoder = new TextEncoder();

  constructor(key: string | Uint8Array) {
    let k = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
    if (k.length > 64) k = createHash('sha256').update(k).digest();
    const block = new Uint8Array(64);
    block.set(k);
    this.inner.set(IV);
    this.outer.set(IV);
    for (let i = 0; i < 16; i++) this.w[i] = packWord(block, i * 4) ^ 0x36363636;
    compress(this.inner, this.w);
    for (let i = 0; i < 16; i++) this.w[i] = packWord(block, i * 4) ^ 0x5c5c5c5c;
    compress(this.outer, this.w);
  }

  /** Writes HMAC(key, utf8(message)) as 8 big-endian words into `out[at..at+8)`. */
  digestInto(message: string, out: Int32Array, at = 0): void {
    const n = message.length;
    if (this.bytes.length < n * 3 + 72) this.bytes = new Uint8Array(n * 3 + 136);
    const bytes = this.bytes;
    let len = 0;
    for (; len < n; len++) {
      const c = message.charCodeAt(len);
      if (c > 0x7f) break;
      bytes[len] = c;
    }
    if (len < n) len = this.encoder.encodeInto(message, bytes).written;
    // padding after the ipad block: 0x80, zeros, 64-bit big-endian bit length of (64 + len)
    const blocks = (len + 72) >>> 6;
    const end = blocks * 64;
    bytes[len] = 0x80;
    bytes.fill(0, len + 1, end);
    const w = this.w;
    const s = this.state;
    s.set(this.inner);
    const bits = (64 + len) * 8;
    for (let base = 0; base < end; base += 64) {
      for (let i = 0; i < 16; i++) w[i] = packWord(bytes, base + i * 4);
      if (base + 64 === end) {
        w[14] = Math.floor(bits / 0x100000000) | 0;
        w[15] = bits | 0;
      }
      compress(s, w);
    }
    // outer: one block of the 32-byte inner digest, 0x80, zeros, bit length 96 * 8
    for (let i = 0; i < 8; i++) w[i] = s[i]!;
    w[8] = 0x80000000 | 0;
    for (let i = 9; i < 15; i++) w[i] = 0;
    w[15] = 768;
    s.set(this.outer);
    compress(s, w);
    for (let i = 0; i < 8; i++) out[at + i] = s[i]!;
  }

  /** HMAC as lower-case hex. */
  hex(message: string): string {
    this.digestInto(message, this.digest);
    return wordsToHex(this.digest);
  }
}

function packWord(b: Uint8Array, i: number): number {
  return (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
}
