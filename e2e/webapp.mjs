// The web app's end-to-end test in a real headless Chromium (Debian's), against a running service.
// ProdJarIT starts the packaged service, creates the accounts, and runs this script with:
//   BASE_URL, ALICE (community writer), BOB (member), PASSWORD, COMMUNITY_ID, COMMUNITY_NAME,
//   ACCESS_TOKEN_SECONDS (the service's access-token lifetime), OUT (a directory for downloads),
//   SCREENSHOTS (optional: where to save a screenshot of each page, e.g. docs/screenshots).
// Exit status 0 when every check passed; the first failed check is printed and ends the run with 1.

import { createHmac } from 'node:crypto';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

const env = name => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const BASE = env('BASE_URL');
const PASSWORD = env('PASSWORD');
const OUT = env('OUT');
const SHOTS = process.env.SCREENSHOTS || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  console.log(`ok   ${what}`);
}

// ---- TOTP (RFC 6238), as an authenticator app computes it ---------------------------------------------

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

const currentStep = () => Math.floor(Date.now() / 30000);
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// ---- The browser ---------------------------------------------------------------------------------------

const problems = [];
// Chromium logs every 4xx answer of a fetch as a console error; those are checked here instead: each must be an
// answer the scenario expects (the refused disabling), and nothing else may reach the console.
const expectedErrors = new Set(['409 POST /api/v1/me/two-factor/disable']);
const NETWORK = /^Failed to load resource: the server responded with a status of \d+/;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function newPage() {
  const context = await browser.newContext({ acceptDownloads: true, baseURL: BASE });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  const page = await context.newPage();
  page.on('console', message => {
    if (message.type() === 'error' && !NETWORK.test(message.text())) problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', error => problems.push(`page error: ${error.message}`));
  page.on('response', response => {
    const answer = `${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`;
    if (response.status() >= 400 && !expectedErrors.has(answer)) problems.push(`unexpected answer: ${answer}`);
  });
  // A CSP violation is reported to the page as an event: collect them all.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', e => console.error(`CSP blocked ${e.blockedURI} (${e.violatedDirective})`));
  });
  return page;
}

async function shot(page, name) {
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }
}

async function signIn(page, username) {
  if (!(await page.getByLabel('Username').isVisible())) await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function expectText(locator, pattern, what) {
  await locator.waitFor();
  const text = await locator.textContent();
  check(pattern.test(text), `${what} (${text.trim().slice(0, 120)})`);
}

// Reads the QR code from the page's image, as a phone would, and answers the secret in its otpauth URI.
async function secretFromQrCode(page) {
  const src = await page.locator('#qr-code').getAttribute('src');
  check(src.startsWith('data:image/png;base64,'), 'the QR code is a PNG image');
  const png = PNG.sync.read(Buffer.from(src.split(',')[1], 'base64'));
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  check(decoded && decoded.data.startsWith('otpauth://totp/'), 'the QR code holds an otpauth URI');
  const secret = new URL(decoded.data).searchParams.get('secret');
  check(secret === (await page.locator('#secret').textContent()).trim(), 'the key shown as text is the one in the QR code');
  return secret;
}

let lastStep = 0;
// A code for a step after the last one used by this user (the service refuses a replay).
function freshCode(secret) {
  const step = Math.max(currentStep(), lastStep + 1);
  lastStep = step;
  return totp(secret, step);
}

try {
  // 1. Sign in with the password alone; User > Security shows 2FA off.
  const alice = await newPage();
  await alice.goto('/');
  await alice.getByLabel('Username').waitFor();
  await shot(alice, 'sign-in');
  await signIn(alice, env('ALICE'));
  await expectText(alice.locator('#tf-state'), /^Off/, 'signed in: 2FA is off');
  const pageText = await alice.locator('main').textContent();
  check(!/\b(null|undefined|NaN)\b/.test(pageText), 'the page shows no null, undefined or NaN');
  await shot(alice, 'security');

  // 2. Enable 2FA: password, QR code read from the image, the code computed from its secret.
  await alice.getByRole('button', { name: 'Enable two-factor authentication' }).click();
  await alice.getByLabel('Confirm with your password').fill(PASSWORD);
  await alice.getByRole('button', { name: 'Continue' }).click();
  await alice.locator('#qr-code').waitFor();
  await shot(alice, 'enrollment');
  const secret = await secretFromQrCode(alice);
  await alice.getByLabel('6-digit code from the app').fill(freshCode(secret));
  await alice.getByRole('button', { name: 'Enable' }).click();
  await alice.locator('#backup-codes li').first().waitFor();
  const codes = await alice.locator('#backup-codes li').allTextContents();
  check(codes.length === 10, 'ten backup codes are shown once');
  await shot(alice, 'backup-codes');

  // 3. Copy and download the backup codes.
  await alice.getByRole('button', { name: 'Copy' }).click();
  await expectText(alice.locator('#backup-codes [role=status]'), /Copied/, 'the codes were copied');
  const copied = await alice.evaluate(() => navigator.clipboard.readText());
  check(copied.trim().split('\n').join() === codes.join(), 'the clipboard holds the ten codes');
  const [download] = await Promise.all([alice.waitForEvent('download'),
    alice.getByRole('button', { name: 'Download' }).click()]);
  check(download.suggestedFilename() === 'backup-codes.txt', 'the download is backup-codes.txt');
  const file = join(OUT, 'backup-codes.txt');
  await download.saveAs(file);
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  check(lines.length === 10 && lines.join() === codes.join(), 'the downloaded file has the ten codes, one a line');
  await alice.getByRole('button', { name: 'Done' }).click();
  await expectText(alice.locator('#tf-state'), /^On since/, '2FA is on');

  // 4. Sign out, then in again with a TOTP code, then with a backup code (9 left).
  await alice.getByRole('button', { name: 'Sign out', exact: true }).click();
  await alice.getByLabel('Username').waitFor();
  await signIn(alice, env('ALICE'));
  await alice.getByLabel('Verification code from your authenticator app').waitFor();
  await shot(alice, 'verification-code');
  await alice.getByLabel('Verification code from your authenticator app').fill(freshCode(secret));
  await alice.getByRole('button', { name: 'Verify' }).click();
  await expectText(alice.locator('#backup-remaining'), /: 10$/, 'signed in with a TOTP code');
  await alice.getByRole('button', { name: 'Sign out', exact: true }).click();
  await alice.getByLabel('Username').waitFor();
  await signIn(alice, env('ALICE'));
  await alice.getByRole('button', { name: 'Use a backup code' }).click();
  await alice.getByLabel('Backup code').fill(codes[0]);
  await alice.getByRole('button', { name: 'Verify' }).click();
  await expectText(alice.locator('#backup-remaining'), /: 9$/, 'signed in with a backup code: 9 left');

  // 5. The session survives its access token's expiry, through the refresh token.
  const before = await alice.evaluate(() => JSON.parse(sessionStorage.getItem('account-security.session')));
  const waitMs = before.expiresAt - Date.now() + 1500;
  check(waitMs < 60_000, `the access token expires within a minute (in ${waitMs} ms)`);
  await alice.waitForTimeout(Math.max(0, waitMs));
  await alice.getByRole('button', { name: 'Refresh' }).click();
  await alice.waitForFunction(token => JSON.parse(sessionStorage.getItem('account-security.session')).accessToken !== token,
    before.accessToken);
  await expectText(alice.locator('#sessions tbody'), /This session/, 'after the expiry, the page still reads the sessions');

  // 6. Another service verifies the app's access token offline with jose and our JWK Set, checking its type; an mfa
  // token of the same account fails those checks.
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', BASE));
  const access = (await alice.evaluate(() => JSON.parse(sessionStorage.getItem('account-security.session')))).accessToken;
  // As of the token's issue: its 6-second life may have run out since (step 5 showed the app refreshes it).
  const claims = decodeJwt(access);
  const expected = { issuer: claims.iss, audience: claims.aud, typ: 'at+jwt', currentDate: new Date(claims.iat * 1000) };
  const verified = await jwtVerify(access, jwks, expected);
  check(verified.payload.amr.includes('otp'), 'jose verifies the access token (typ at+jwt, issuer, audience) and reads amr');
  const mfaAnswer = await (await fetch(new URL('/api/v1/auth/login', BASE), { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: env('ALICE'), password: PASSWORD }) })).json();
  const mfaRefused = await jwtVerify(mfaAnswer.mfa_token, jwks, expected).then(() => false, () => true);
  check(mfaRefused, 'jose refuses the mfa token where an access token is expected');

  // 7. Alice, a writer of the community, requires 2FA there.
  await alice.goto(`/#/community/${env('COMMUNITY_ID')}`);
  await alice.getByLabel('Require two-factor authentication for every member').check();
  await alice.getByLabel('Your password').fill(PASSWORD);
  await alice.getByRole('button', { name: 'Save' }).click();
  await expectText(alice.locator('#policy-form [role=status]'), /is required/, 'the community now requires 2FA');
  await expectText(alice.locator('#member-counts'), /2 members, 1 without/, 'the counts show the member without 2FA');
  await shot(alice, 'community');

  // 8. Disabling is refused while the community enforces it, and the page says why.
  await alice.goto('/#/security');
  await alice.getByRole('button', { name: 'Disable two-factor authentication' }).click();
  await alice.getByLabel('Your password').fill(PASSWORD);
  await alice.getByRole('button', { name: 'Disable', exact: true }).click();
  await expectText(alice.locator('#disable-form [role=alert]'), new RegExp(`enforced by ${env('COMMUNITY_NAME')}`),
    'disabling is refused while enforced');

  // 9. Bob, a member without 2FA, is led into enrollment at his next sign-in.
  const bob = await newPage();
  await signIn(bob, env('BOB'));
  await expectText(bob.locator('.warning'), new RegExp(`${env('COMMUNITY_NAME')} requires two-factor`),
    'a member without 2FA is led into enrollment');
  await shot(bob, 'enrollment-required');
  await bob.getByLabel('Confirm with your password').fill(PASSWORD);
  await bob.getByRole('button', { name: 'Continue' }).click();
  const bobSecret = await secretFromQrCode(bob);
  await bob.getByLabel('6-digit code from the app').fill(totp(bobSecret, currentStep()));
  await bob.getByRole('button', { name: 'Enable' }).click();
  await bob.locator('#backup-codes li').first().waitFor();
  await bob.getByRole('button', { name: 'Done' }).click();
  await expectText(bob.locator('#tf-state'), /^On since/, 'his enrollment signs him in with 2FA on');

  // 10. Guessing passwords is paused, and the page says for how long.
  expectedErrors.add('401 POST /api/v1/auth/login').add('429 POST /api/v1/auth/login');
  const guesser = await newPage();
  await guesser.goto('/');
  const name = `nobody-${Date.now()}`;
  let refusal = '';
  // The form clears its message when it is sent, and shows the answer's once it arrives.
  const answer = guesser.locator('#signin-form p[aria-live]');
  for (let i = 0; i < 11 && !/Too many attempts/.test(refusal); i++) {
    await guesser.getByLabel('Username').fill(name);
    await guesser.getByLabel('Password').fill(`wrong password ${i}`);
    await guesser.getByRole('button', { name: 'Sign in' }).click();
    await guesser.waitForFunction(() => document.querySelector('#signin-form p[aria-live]').textContent !== '');
    refusal = await answer.textContent();
  }
  check(/Too many attempts\. Try again in \d+ seconds\./.test(refusal), `429 is shown with its wait (${refusal})`);

  check(problems.length === 0, `no console error and no CSP violation${problems.length ? ': ' + problems.join('; ') : ''}`);
  await browser.close();
} catch (e) {
  console.error(e.stack || String(e));
  if (problems.length) console.error(problems.join('\n'));
  await browser.close();
  process.exit(1);
}
