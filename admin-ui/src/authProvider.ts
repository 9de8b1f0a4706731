// Session-cookie sign-in against /api/auth. Who is signed in is asked once and kept until sign-out,
// so moving between pages costs no round trip; a 401 from any call clears it.
import type { AuthProvider } from 'react-admin';
import type { Me } from './types';
import { forgetMoveChoices } from './team/move-choices';

let me: Me | null = null;
let pending: Promise<Me | null> | null = null;

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`/api/auth/${path}`, {
    ...init,
    credentials: 'include',
    headers: { Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
  });
}

async function readMessage(response: Response, fallback: string): Promise<string> {
  try {
    const body = await response.json();
    return body?.message ?? fallback;
  } catch {
    return fallback;
  }
}

async function loadMe(): Promise<Me | null> {
  if (me) return me;
  pending ??= request('me')
    .then(async (response) => {
      if (!response.ok) return null;
      me = (await response.json()) as Me;
      return me;
    })
    .catch(() => null)
    .finally(() => {
      pending = null;
    });
  return pending;
}

function forget() {
  me = null;
  pending = null;
}

export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    forget();
    const response = await request('login', {
      method: 'POST',
      body: JSON.stringify({ email: username?.trim(), password }),
    });
    if (!response.ok) {
      throw new Error(
        response.status === 401
          ? await readMessage(response, 'Email or password not recognised')
          : await readMessage(response, 'Sign-in failed, please try again'),
      );
    }
    // /me adds the queues the person works, which the login answer leaves out.
    const signedIn = (await response.json()) as Me;
    me = (await loadMe()) ?? signedIn;
  },

  async logout() {
    forget();
    forgetMoveChoices();
    try {
      await request('logout', { method: 'POST' });
    } catch {
      // Signed out locally either way; the cookie expires on its own.
    }
  },

  async checkAuth() {
    // message false: opening the console signed out goes to the sign-in page without a warning.
    if (!(await loadMe())) throw { message: false };
  },

  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      forget();
      throw { message: 'Your session has ended, please sign in again' };
    }
    // 403 means "not for your role": stay signed in and let the page say so.
  },

  async getIdentity() {
    const current = await loadMe();
    if (!current) throw new Error('Not signed in');
    return {
      id: current.id, fullName: current.name, email: current.email, role: current.role, queueIds: current.queueIds ?? [],
      completableTypes: current.completableTypes ?? [], leave: current.leave ?? null,
    };
  },

  async getPermissions() {
    const current = await loadMe();
    return current?.role ?? null;
  },
};
