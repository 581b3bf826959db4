/**
 * Deterministic randomness for ids: the same seed gives the same UUIDs in the same order,
 * so a test can assert on them. sfc32 seeded from a string through FNV-1a; not for secrets.
 */
export interface Random {
  next(): number;
  uuid(): string;
  hex(bytes: number): string;
}

function fnv1a(text: string, salt: number): number {
  let hash = 0x811c9dc5 ^ salt;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function createRandom(seed: string): Random {
  let a = fnv1a(seed, 1);
  let b = fnv1a(seed, 2);
  let c = fnv1a(seed, 3);
  let d = fnv1a(seed, 4);
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  const bytes = (count: number) => {
    const out = new Array<number>(count);
    for (let i = 0; i < count; i += 4) {
      const word = next();
      for (let j = 0; j < 4 && i + j < count; j++) out[i + j] = (word >>> (j * 8)) & 0xff;
    }
    return out;
  };
  return {
    next,
    hex: (count) =>
      bytes(count)
        .map((byte) => HEX[byte])
        .join(""),
    uuid() {
      const b = bytes(16);
      b[6] = (b[6]! & 0x0f) | 0x40; // version 4
      b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
      const h = b.map((byte) => HEX[byte]).join("");
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}
