// The account-security pages: Sign in, User > Security, Manage community > Authentication.
// Every page calls the public API only (api.js); the views are built with DOM calls, never with HTML strings.

import { ApiError, call, raw, session, whenSignedOut } from './api.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');

// ---- DOM helpers ---------------------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

let fieldCount = 0;
function field(label, attributes) {
  const id = `f${++fieldCount}`;
  return [el('label', { for: id, text: label }), el('input', { id, ...attributes })];
}

// A message area announced to screen readers; errors show the problem's detail.
function messages() {
  const node = el('p', { role: 'status', 'aria-live': 'polite' });
  node.show = (text, kind = 'error') => {
    node.textContent = text;
    node.className = kind;
    node.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  };
  node.clear = () => { node.textContent = ''; };
  return node;
}

function describe(error) {
  if (!(error instanceof ApiError)) return 'The service cannot be reached. Try again in a moment.';
  if (error.type === 'too-many-attempts') {
    return `Too many attempts. Try again in ${error.retryAfter || 60} seconds.`;
  }
  if (error.type === 'two-factor-enforced') {
    const names = (error.problem.required_by || []).map(c => c.name).join(', ');
    return `Two-factor authentication cannot be disabled: it is enforced by ${names || 'a community you belong to'}.`;
  }
  if (error.type === 'service-unavailable') {
    return `The service is busy. Try again in ${error.retryAfter || 5} seconds.`;
  }
  return error.message;
}

function show(...sections) {
  main.replaceChildren(...sections);
  const heading = main.querySelector('h1');
  if (heading) heading.setAttribute('tabindex', '-1');
  (heading || main).focus();
}

// ---- Routing -------------------------------------------------------------------------------------------

whenSignedOut(() => {
  nav.hidden = true;
  if (!location.hash.startsWith('#/signin')) location.hash = '#/signin';
});

window.addEventListener('hashchange', route);
document.getElementById('sign-out').addEventListener('click', signOut);
route();

function route() {
  const hash = location.hash || '#/security';
  const community = hash.match(/^#\/community\/([0-9a-f-]{36})$/);
  if (!session.get() && !hash.startsWith('#/signin')) {
    location.hash = '#/signin';
    return;
  }
  if (hash.startsWith('#/signin')) signInPage();
  else if (community) communityPage(community[1]);
  else securityPage();
}

async function signOut() {
  try {
    await call('POST', '/api/v1/auth/logout');
  } catch {
    // the session may be gone already
  }
  session.clear();
  nav.hidden = true;
  location.hash = '#/signin';
}

function signedIn(answer) {
  session.save(answer);
  if (location.hash === '#/security') route();
  else location.hash = '#/security';
}

// ---- Sign in -------------------------------------------------------------------------------------------

function signInPage(notice) {
  nav.hidden = true;
  const message = messages();
  if (notice) message.show(notice, 'notice');
  const [userLabel, username] = field('Username', { type: 'text', name: 'username', autocomplete: 'username', required: true });
  const [passLabel, password] = field('Password', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const form = el('form', { id: 'signin-form' }, userLabel, username, passLabel, password,
    el('button', { type: 'submit', text: 'Sign in' }), message);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    message.clear();
    try {
      const answer = await raw('POST', '/api/v1/auth/login', { body: { username: username.value, password: password.value } });
      if (answer.status === 'AUTHENTICATED') signedIn(answer);
      else if (answer.status === 'MFA_REQUIRED') codePage(answer.mfa_token);
      else enrollmentPage({ token: answer.enrollment_token, requiredBy: answer.required_by });
    } catch (e) {
      message.show(describe(e));
    }
  });
  show(el('section', {}, el('h1', { text: 'Sign in' }), form));
  username.focus();
}

function codePage(mfaToken) {
  const message = messages();
  let backup = false;
  const [label, input] = field('Verification code from your authenticator app', {
    type: 'text', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true });
  const toggle = el('button', { type: 'button', class: 'secondary', text: 'Use a backup code' });
  toggle.addEventListener('click', () => {
    backup = !backup;
    label.textContent = backup ? 'Backup code' : 'Verification code from your authenticator app';
    input.setAttribute('inputmode', backup ? 'text' : 'numeric');
    input.name = backup ? 'backup_code' : 'code';
    toggle.textContent = backup ? 'Use the authenticator app' : 'Use a backup code';
    input.value = '';
    input.focus();
  });
  const form = el('form', { id: 'code-form' }, label, input, el('button', { type: 'submit', text: 'Verify' }), toggle, message);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    message.clear();
    const body = backup ? { backup_code: input.value } : { code: input.value.trim() };
    try {
      signedIn(await raw('POST', '/api/v1/auth/login/verify', { body, token: mfaToken }));
    } catch (e) {
      message.show(e.status === 401 && e.type === 'unauthorized'
        ? 'This sign-in took too long. Please start again.' : describe(e));
    }
  });
  show(el('section', {}, el('h1', { text: 'Two-factor authentication' }),
    el('p', { text: 'Enter the 6-digit code that your authenticator app shows, or one of your backup codes.' }), form));
  input.focus();
}

// ---- Enrollment (from a required enrollment at sign-in, or from User > Security) -----------------------

// With {token}: the enrollment token of a sign-in; without: the session's access token.
function enrollmentPage({ token, requiredBy }) {
  const request = (method, path, options) => token ? raw(method, path, { ...options, token }) : call(method, path, options);
  const message = messages();
  const intro = requiredBy
    ? el('p', { class: 'warning', text: `${requiredBy.map(c => c.name).join(', ')} requires two-factor authentication. ` +
        'Set it up now to finish signing in.' })
    : el('p', { text: 'Protect your account with a code from an authenticator app at each sign-in.' });
  const [passLabel, password] = field('Confirm with your password', { type: 'password', autocomplete: 'current-password', required: true });
  const start = el('form', { id: 'enroll-start' }, passLabel, password, el('button', { type: 'submit', text: 'Continue' }));
  const section = el('section', {}, el('h1', { text: 'Enable two-factor authentication' }), intro, start, message);
  start.addEventListener('submit', async event => {
    event.preventDefault();
    message.clear();
    try {
      const enrollment = await request('POST', '/api/v1/me/two-factor/enrollment', { body: { password: password.value } });
      start.replaceWith(scanStep(enrollment));
      section.querySelector('#enroll-code').focus();
    } catch (e) {
      message.show(e.type === 'two-factor-already-enabled' ? 'Two-factor authentication is already enabled.' : describe(e));
    }
  });

  function scanStep(enrollment) {
    const [codeLabel, code] = field('6-digit code from the app', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', required: true });
    code.id = 'enroll-code';
    codeLabel.setAttribute('for', 'enroll-code');
    const form = el('form', { id: 'enroll-confirm' },
      el('p', { text: '1. Scan this QR code with your authenticator app.' }),
      el('img', { class: 'qr', id: 'qr-code', src: enrollment.qr_code, alt: 'QR code of your authenticator secret' }),
      el('p', {}, 'Or enter this key by hand: ', el('code', { class: 'secret', id: 'secret', text: enrollment.secret })),
      el('p', { text: '2. Enter the code that the app shows.' }), codeLabel, code,
      el('button', { type: 'submit', text: 'Enable' }));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      message.clear();
      try {
        const confirmed = await request('POST', '/api/v1/me/two-factor/enrollment/confirm', { body: { code: code.value.trim() } });
        session.save(confirmed);
        main.replaceChildren(el('section', {}, el('h1', { text: 'Two-factor authentication is on' }),
          backupCodesBlock(confirmed.backup_codes),
          el('button', { type: 'button', id: 'done', text: 'Done', onclick: () => { location.hash = '#/security'; route(); } })));
        main.querySelector('h1').setAttribute('tabindex', '-1');
        main.querySelector('h1').focus();
      } catch (e) {
        message.show(e.type === 'no-pending-enrollment' ? 'The set-up expired; please start again.' : describe(e));
      }
    });
    return form;
  }

  nav.hidden = !!token;
  show(section);
  password.focus();
}

function backupCodesBlock(codes) {
  const status = messages();
  const text = codes.join('\n') + '\n';
  const copy = el('button', { type: 'button', id: 'copy-codes', text: 'Copy' });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      status.show('Copied.', 'notice');
    } catch {
      status.show('Copying is not allowed here: select the codes and copy them.');
    }
  });
  const download = el('button', { type: 'button', id: 'download-codes', text: 'Download' });
  download.addEventListener('click', () => {
    const link = el('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/plain' })), download: 'backup-codes.txt' });
    document.body.append(link);
    link.click();
    link.remove();
  });
  return el('div', { id: 'backup-codes' },
    el('p', { class: 'warning', text: 'Save these backup codes now: each works once, and they are not shown again.' }),
    el('ul', { class: 'codes' }, codes.map(c => el('li', { text: c }))), copy, download, status);
}

// ---- User > Security -----------------------------------------------------------------------------------

async function securityPage() {
  let me;
  try {
    me = await call('GET', '/api/v1/me');
  } catch (e) {
    if (e.status === 401) return;
    show(el('section', {}, el('h1', { text: 'Security' }), el('p', { class: 'error', role: 'alert', text: describe(e) })));
    return;
  }
  nav.hidden = false;
  const links = document.getElementById('community-links');
  links.replaceChildren(...me.communities.filter(c => c.roles.includes('COMMUNITY_WRITE_ROLE'))
    .map(c => el('a', { href: `#/community/${c.id}`, text: `Manage ${c.name}` })));

  show(el('h1', { text: `Security of ${me.username}` }),
    twoFactorSection(me), passwordSection(), await sessionsSection(), await eventsSection());
}

function twoFactorSection(me) {
  const tf = me.two_factor;
  const message = messages();
  const section = el('section', { id: 'two-factor', 'aria-labelledby': 'tf-title' }, el('h2', { id: 'tf-title', text: 'Two-factor authentication' }));
  if (!tf.enabled) {
    section.append(el('p', { id: 'tf-state', text: 'Off.' }));
    if (tf.required_by.length) {
      section.append(el('p', { class: 'warning', text: `Required by ${tf.required_by.map(c => c.name).join(', ')}.` }));
    }
    section.append(el('button', { type: 'button', id: 'enable-2fa', text: 'Enable two-factor authentication',
      onclick: () => enrollmentPage({}) }));
    return section;
  }
  section.append(
    el('p', { id: 'tf-state', text: `On since ${new Date(tf.enabled_at).toLocaleString()}.` }),
    el('p', { id: 'backup-remaining', text: `Backup codes left: ${tf.backup_codes_remaining}` }));
  if (tf.required_by.length) {
    section.append(el('p', { text: `Enforced by ${tf.required_by.map(c => c.name).join(', ')}.` }));
  }
  const area = el('div');
  const regenerate = el('button', { type: 'button', id: 'regenerate', class: 'secondary', text: 'Generate new backup codes' });
  regenerate.addEventListener('click', () => area.replaceChildren(passwordPrompt('regenerate',
    'New codes replace the old ones: every earlier backup code stops working at once.', 'Generate', async password => {
      const generated = await call('POST', '/api/v1/me/two-factor/backup-codes', { body: { password } });
      area.replaceChildren(backupCodesBlock(generated.backup_codes));
    })));
  const disable = el('button', { type: 'button', id: 'disable-2fa', class: 'danger', text: 'Disable two-factor authentication' });
  disable.addEventListener('click', () => area.replaceChildren(passwordPrompt('disable',
    'Without two-factor authentication, your password alone opens your account.', 'Disable', async password => {
      await call('POST', '/api/v1/me/two-factor/disable', { body: { password } });
      securityPage();
    })));
  section.append(regenerate, disable, area, message);
  return section;
}

// A password prompt for a sensitive action; errors stay beside it.
function passwordPrompt(name, warning, action, run) {
  const message = messages();
  const [label, password] = field('Your password', { type: 'password', autocomplete: 'current-password', required: true });
  const form = el('form', { id: `${name}-form` }, el('p', { class: 'warning', text: warning }), label, password,
    el('button', { type: 'submit', text: action }), message);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    message.clear();
    try {
      await run(password.value);
    } catch (e) {
      message.show(describe(e));
    }
  });
  setTimeout(() => password.focus());
  return form;
}

function passwordSection() {
  const message = messages();
  const [currentLabel, current] = field('Current password', { type: 'password', autocomplete: 'current-password', required: true });
  const [nextLabel, next] = field('New password (12 characters or more)', { type: 'password', autocomplete: 'new-password', required: true });
  const form = el('form', { id: 'password-form' }, currentLabel, current, nextLabel, next,
    el('button', { type: 'submit', text: 'Change password' }), message);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    message.clear();
    try {
      await call('POST', '/api/v1/me/password', { body: { current_password: current.value, new_password: next.value } });
      form.reset();
      message.show('Password changed. Your other sessions were signed out.', 'notice');
    } catch (e) {
      message.show(describe(e));
    }
  });
  return el('section', { 'aria-labelledby': 'pw-title' }, el('h2', { id: 'pw-title', text: 'Password' }), form);
}

async function sessionsSection() {
  const message = messages();
  const section = el('section', { id: 'sessions', 'aria-labelledby': 'sessions-title' }, el('h2', { id: 'sessions-title', text: 'Where you are signed in' }));
  const body = el('tbody');
  async function load() {
    const sessions = await call('GET', '/api/v1/me/sessions');
    body.replaceChildren(...sessions.map(s => el('tr', {},
      el('td', { text: s.current ? 'This session' : (s.user_agent || 'Unknown device') }),
      el('td', { text: s.client_address || '' }),
      el('td', { text: new Date(s.last_used_at).toLocaleString() }),
      el('td', {}, s.current ? '' : el('button', { type: 'button', class: 'secondary', text: 'Sign out',
        'aria-label': `Sign out the session from ${s.client_address || 'an unknown address'}`,
        onclick: async () => {
          try {
            await call('DELETE', `/api/v1/me/sessions/${s.id}`);
            await load();
          } catch (e) {
            message.show(describe(e));
          }
        } })))));
  }
  await load();
  section.append(el('table', {}, el('thead', {}, el('tr', {}, ['Device', 'Address', 'Last used', ''].map(h => el('th', { scope: 'col', text: h })))), body),
    el('button', { type: 'button', id: 'refresh-sessions', class: 'secondary', text: 'Refresh', onclick: () => load().catch(e => message.show(describe(e))) }),
    el('button', { type: 'button', id: 'sign-out-others', class: 'secondary', text: 'Sign out everywhere else',
      onclick: async () => {
        try {
          await call('DELETE', '/api/v1/me/sessions');
          await load();
          message.show('Your other sessions were signed out.', 'notice');
        } catch (e) {
          message.show(describe(e));
        }
      } }), message);
  return section;
}

async function eventsSection() {
  const events = await call('GET', '/api/v1/me/security-events?limit=20');
  return el('section', { id: 'events', 'aria-labelledby': 'events-title' }, el('h2', { id: 'events-title', text: 'Recent security events' }),
    events.length === 0 ? el('p', { text: 'None yet.' }) : el('table', {},
      el('thead', {}, el('tr', {}, ['When', 'What', 'From'].map(h => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, events.map(e => el('tr', {}, el('td', { text: new Date(e.at).toLocaleString() }),
        el('td', { text: e.detail || e.type }), el('td', { text: e.client_address || '' }))))));
}

// ---- Manage community > Authentication -----------------------------------------------------------------

async function communityPage(id) {
  let policy;
  let managed = [];
  try {
    policy = await call('GET', `/api/v1/communities/${id}/authentication-policy`);
    managed = await call('GET', `/api/v1/communities/${id}/managed`).catch(() => []);
  } catch (e) {
    if (e.status === 401) return;
    show(el('section', {}, el('h1', { text: 'Community' }), el('p', { class: 'error', role: 'alert', text: describe(e) })));
    return;
  }
  nav.hidden = false;
  const message = messages();
  const required = el('input', { type: 'checkbox', id: 'require-2fa', checked: policy.two_factor_required });
  const toManaged = el('input', { type: 'checkbox', id: 'apply-managed' });
  const [passLabel, password] = field('Your password', { type: 'password', autocomplete: 'current-password', required: true });
  const result = el('div', { id: 'policy-result' });
  const form = el('form', { id: 'policy-form' },
    el('p', {}, required, ' ', el('label', { for: 'require-2fa', class: 'inline', text: 'Require two-factor authentication for every member' })),
    managed.length ? el('p', {}, toManaged, ' ', el('label', { for: 'apply-managed', class: 'inline',
      text: `Apply to the ${managed.length} communities this one manages` })) : null,
    passLabel, password, el('button', { type: 'submit', text: 'Save' }), message, result);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    message.clear();
    try {
      const body = { two_factor_required: required.checked, password: password.value };
      if (managed.length) body.apply_to_managed = toManaged.checked;
      const saved = await call('PUT', `/api/v1/communities/${id}/authentication-policy`, { body });
      password.value = '';
      message.show(`Saved: two-factor authentication is ${saved.two_factor_required ? 'required' : 'not required'}.`, 'notice');
      counts.textContent = countsText(saved);
      result.replaceChildren(...(saved.managed_updated ? [el('p', { text: 'Also changed:' }),
        el('ul', {}, saved.managed_updated.map(c => el('li', { text: c.name })))] : []));
    } catch (e) {
      message.show(e.type === 'two-factor-required-for-action'
        ? 'Enable two-factor authentication and sign in with it to change this policy.' : describe(e));
    }
  });
  const counts = el('p', { id: 'member-counts', text: countsText(policy) });
  show(el('section', {}, el('h1', { text: `${policy.name}: authentication` }), counts,
    managed.length ? el('p', { text: `Manages: ${managed.map(c => `${c.name} (${c.two_factor_required ? '2FA required' : '2FA optional'})`).join(', ')}` }) : null,
    form));
}

function countsText(policy) {
  if (policy.members_total === null || policy.members_total === undefined) return '';
  return `${policy.members_total} members, ${policy.members_without_two_factor} without two-factor authentication.`;
}
