// The API client: the session's tokens, their refresh, and problem documents turned into errors.
//
// The session lives in sessionStorage: it survives a reload of this tab, and ends with the tab. Never localStorage,
// which every tab and every script of this origin reads for as long as the browser keeps it.

const KEY = 'account-security.session';

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.type = (problem?.type || '').replace('/problems/', '');
    this.retryAfter = retryAfter;
  }
}

export const session = {
  get() {
    const raw = sessionStorage.getItem(KEY);
    return raw ? JSON.parse(raw) : null;
  },
  // Keeps what an AUTHENTICATED answer gives: the access token, its expiry, and the refresh token.
  save(answer) {
    sessionStorage.setItem(KEY, JSON.stringify({
      accessToken: answer.access_token,
      expiresAt: Date.now() + answer.expires_in * 1000,
      // Refreshed this many milliseconds before it expires: 10 s, or a third of a short lifetime.
      early: Math.min(10_000, answer.expires_in * 1000 / 3),
      refreshToken: answer.refresh_token,
      sessionId: answer.session_id,
    }));
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

// Called when the session cannot go on (refresh refused): the app shows the sign-in page.
let onSignedOut = () => {};
export function whenSignedOut(handler) {
  onSignedOut = handler;
}

async function send(method, path, { body, token, accept } = {}) {
  const headers = { Accept: accept || 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.ok) {
    if (response.status === 204) return null;
    const type = response.headers.get('Content-Type') || '';
    return type.includes('json') ? response.json() : response.text();
  }
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    // not a problem document
  }
  throw new ApiError(response.status, problem, Number(response.headers.get('Retry-After')) || null);
}

let refreshing = null;

// Exchanges the refresh token for new tokens; one exchange at a time, since each refresh token works once.
async function refresh() {
  if (!refreshing) {
    const current = session.get();
    refreshing = (async () => {
      try {
        if (!current) throw new ApiError(401, { type: '/problems/invalid-refresh-token' });
        session.save(await send('POST', '/api/v1/auth/refresh', { body: { refresh_token: current.refreshToken } }));
      } catch (e) {
        if (e.status === 401 || e.status === 403) {
          session.clear();
          onSignedOut(e);
        }
        throw e;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

// A call with the session's access token: refreshed first when it is about to expire, and once more on a 401.
export async function call(method, path, options = {}) {
  let current = session.get();
  if (!current) {
    onSignedOut(null);
    throw new ApiError(401, { detail: 'Please sign in.' });
  }
  if (current.expiresAt - current.early < Date.now()) {
    await refresh();
    current = session.get();
  }
  try {
    return await send(method, path, { ...options, token: current.accessToken });
  } catch (e) {
    // Only a refused token is worth a refresh; a wrong password or code is the user's answer.
    if (e.status !== 401 || e.type !== 'unauthorized') throw e;
    await refresh();
    return send(method, path, { ...options, token: session.get().accessToken });
  }
}

// A call with a token of the login's other kinds (mfa, enrollment), or none.
export function raw(method, path, options = {}) {
  return send(method, path, options);
}
