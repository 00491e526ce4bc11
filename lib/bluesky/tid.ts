/**
 * Timestamp identifiers (atproto.com/specs/tid): a 64-bit integer whose top bit is 0, then 53 bits
 * of microseconds since the UNIX epoch, then a 10-bit clock identifier, written in base32-sortable
 * as 13 characters. A post's record key must be one (the post lexicon's key type is `tid`).
 */
const ALPHABET = "234567abcdefghijklmnopqrstuvwxyz";
const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const MAX_MICROS = 2n ** 53n - 1n;

export function isTid(value: string): boolean {
  return TID.test(value);
}

export function encodeTid(micros: bigint, clockId: number): string {
  if (micros < 0n || micros > MAX_MICROS || !Number.isInteger(clockId) || clockId < 0 || clockId > 1023) {
    throw new RangeError("A TID holds 53 bits of microseconds and a 10-bit clock id.");
  }
  let value = (micros << 10n) | BigInt(clockId);
  let tid = "";
  for (let i = 0; i < 13; i++) {
    tid = ALPHABET.charAt(Number(value & 31n)) + tid;
    value >>= 5n;
  }
  return tid;
}

/**
 * The record key of a job's post, the same at every attempt: the job's creation time, its
 * microseconds and clock id taken from a hash of the job's id (which names the Instagram post and
 * the account). The PDS takes one record per key, so a retry can never make a second post, and
 * whether the post exists is one `getRecord` away.
 */
export function postKeyFor(job: { id: string; createdAt: number }): string {
  const hash = fnv1a(job.id);
  const micros = BigInt(Math.trunc(job.createdAt)) * 1000n + BigInt(hash % 1000);
  return encodeTid(micros, (hash >>> 10) & 1023);
}

/** FNV-1a, 32 bits: small, stable everywhere, spread enough for a clock id. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
