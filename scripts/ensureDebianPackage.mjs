#!/usr/bin/env node
/**
 * Makes sure a program from Debian's packages is installed: when `binary` is not on PATH (or at
 * the given absolute path), installs `package` with apt-get (as root, or through sudo), never by
 * downloading anything else. Used by the tests that need a real browser or server, so that
 * `npm ci && npm test` on a fresh machine does all the set-up.
 *
 *   node scripts/ensureDebianPackage.mjs chromium /usr/bin/chromium
 *
 * Exits non-zero with the reason when it cannot (no apt-get, not root and no sudo, no network).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Is `binary` (a name on PATH, or an absolute path) there? */
export function hasBinary(binary) {
  if (binary.startsWith('/')) return existsSync(binary);
  return spawnSync('sh', ['-c', `command -v ${JSON.stringify(binary)}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs Debian package `pkg` unless `binary` is already there. Returns a sentence saying what
 * happened; throws an Error saying why when the package could not be installed.
 */
export function ensureDebianPackage(pkg, binary = pkg) {
  if (hasBinary(binary)) return `${binary}: present`;
  if (!hasBinary('apt-get')) throw new Error(`${binary} is missing and this machine has no apt-get: install the Debian package "${pkg}" (or its equivalent) by hand`);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = root ? [] : hasBinary('sudo') ? ['sudo', '-n'] : undefined;
  if (sudo === undefined) throw new Error(`${binary} is missing: run "sudo apt-get install -y ${pkg}" (not root, and no sudo here)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => {
    const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
    execFileSync(cmd, rest, { stdio: ['ignore', 'ignore', 'pipe'], env, timeout: 15 * 60_000 });
  };
  try {
    apt(['install', '-y', '--no-install-recommends', pkg]);
  } catch {
    // a fresh machine's package lists may be missing or stale
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', pkg]);
  }
  if (!hasBinary(binary)) throw new Error(`installed the Debian package "${pkg}" but ${binary} is still missing`);
  return `${binary}: installed from the Debian package ${pkg}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [pkg, binary] = process.argv.slice(2);
  if (pkg === undefined) {
    console.error('usage: node scripts/ensureDebianPackage.mjs PACKAGE [BINARY]');
    process.exit(2);
  }
  try {
    console.log(ensureDebianPackage(pkg, binary ?? pkg));
  } catch (err) {
    console.error(`ensureDebianPackage: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
