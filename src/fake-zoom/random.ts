/**
 * Seeded randomness for every id the fake makes up, so a test (or a benchmark) that sends the same
 * requests to a fake with the same seed gets the same bytes back, from either adapter.
 */

const base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** mulberry32: tiny, fast, and good enough for ids that only need to be unique and repeatable. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** `length` characters of base64url, 5 characters (30 bits) per draw. */
export function randomBase64Url(next: () => number, length: number): string {
  let out = "";
  while (out.length < length) {
    let bits = next();
    for (let i = 0; i < 5 && out.length < length; i += 1) {
      out += base64UrlAlphabet[bits & 63];
      bits >>>= 6;
    }
  }
  return out;
}

/** The shapes of the ids Zoom hands out, drawn from one seeded stream. */
export class IdSource {
  private readonly next: () => number;
  private trackingCount = 0;
  private readonly trackingPrefix: string;

  constructor(seed: number) {
    this.next = createRandom(seed);
    this.trackingPrefix = randomBase64Url(createRandom(seed ^ 0x5bd1e995), 8);
  }

  /** Zoom's registrant ids are 22 base64url characters, e.g. `MqNb1m0NQjO1FcmHDmZ-fQ`. */
  registrantId(): string {
    return randomBase64Url(this.next, 22);
  }

  /** The `tk=` part of a registrant's personal join_url. */
  joinToken(): string {
    return randomBase64Url(this.next, 43);
  }

  /** Opaque on purpose: clients must not read anything into an S2S token. */
  accessToken(): string {
    return `fake_s2s.${randomBase64Url(this.next, 48)}`;
  }

  pageToken(): string {
    return randomBase64Url(this.next, 32);
  }

  /** Zoom's participant PIN codes are six digits or so; the exact width is not documented. */
  pinCode(): number {
    return 100_000 + (this.next() % 900_000);
  }

  /**
   * Shaped like Zoom's `x-zm-trackingid` (`v=2.0;clid=us05;rid=WEB_...`). A counter, not a draw, so
   * answering more requests never shifts the ids of registrants.
   */
  trackingId(): string {
    this.trackingCount += 1;
    return `v=2.0;clid=fake;rid=WEB_${this.trackingPrefix}${this.trackingCount.toString(16).padStart(8, "0")}`;
  }
}
