// Passwords are kept as scrypt hashes: slow on purpose, so a stolen table is costly to attack.
// N = 2^17, r = 8, p = 1 is OWASP's recommendation; older hashes are upgraded at the next sign-in.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const N = 2 ** 17, r = 8, p = 1, LEN = 32;
const MAX_N = 2 ** 20; // a stored hash asking for more is not ours: refuse rather than exhaust memory

// Each scrypt at N=2^17 holds 128 MiB while it runs; two at a time bounds a sign-in flood to 256 MiB.
const MAX_CONCURRENT = 2;
let running = 0;
const waiting: Array<() => void> = [];
async function scrypt(pw: string, salt: Buffer, len: number, n: number, rr: number, pp: number): Promise<Buffer> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await scryptAsync(pw, salt, len, { N: n, r: rr, p: pp, maxmem: 128 * n * rr * 2 });
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, LEN, N, r, p);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, rr, pp, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const [cost, blockSize, parallel] = [Number(n), Number(rr), Number(pp)];
  if (!Number.isInteger(cost) || cost < 2 || cost > MAX_N || !(blockSize >= 1 && blockSize <= 32) || !(parallel >= 1 && parallel <= 4)) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, cost, blockSize, parallel);
  return timingSafeEqual(expected, actual);
}

/** True when a stored hash was made with weaker settings than today's, so it is rehashed at sign-in. */
export function needsRehash(stored: string): boolean {
  const [kind, n, rr, pp] = stored.split('$');
  return kind !== 'scrypt' || Number(n) < N || Number(rr) !== r || Number(pp) !== p;
}

let dummy: Promise<string> | undefined;
/**
 * A hash of nothing anyone knows, checked when the email is unknown so that an unknown email takes as
 * long to refuse as a wrong password (no telling from the timing who has an account).
 */
export const dummyHash = () => (dummy ??= hashPassword(randomBytes(16).toString('hex')));
