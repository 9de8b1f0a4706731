// A small client of Access Desk's own HTTP API, signed in as one member of staff. The demo loader and
// the benchmark drive the system through it, exactly as the console does.
export class ApiError extends Error {
  constructor(readonly status: number, readonly body: any) {
    super(`${status} ${body?.message ?? ''}`.trim());
  }
}

/** A request body sent as it is, with its own content type. */
class RawBody {
  constructor(readonly text: string, readonly contentType: string) {}
}

export class AccessDeskClient {
  private cookie = '';
  private credentials?: { email: string; password: string };
  constructor(readonly baseUrl: string, private readonly fetchImpl: typeof fetch = fetch) {}

  /** The session cookie, for a test that must call the app another way as the same signed-in person. */
  get sessionCookie() { return this.cookie; }

  /** Another client on this client's session, as a console's parallel requests are: no second sign-in. */
  sharingSession(): AccessDeskClient {
    const other = new AccessDeskClient(this.baseUrl, this.fetchImpl);
    other.cookie = this.cookie;
    other.credentials = this.credentials;
    return other;
  }

  async signIn(email: string, password: string) {
    const res = await this.fetchImpl(`${this.baseUrl}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})));
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    this.credentials = { email, password };
    return res.json();
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; headers: Headers }> {
    let res = await this.send(method, path, body, headers);
    // Signing in elsewhere as the same person ends this session (one session per person): sign in again once.
    if (res.status === 401 && this.credentials && !path.startsWith('/api/auth/')) {
      await res.body?.cancel();
      await this.signIn(this.credentials.email, this.credentials.password);
      res = await this.send(method, path, body, headers);
    }
    const text = await res.text();
    // JSON unless the answer says otherwise (a CSV export comes back as its text).
    const isJson = !/^text\/(csv|plain|html)/.test(res.headers.get('content-type') ?? '');
    const parsed = text ? (isJson ? JSON.parse(text) : text) : null;
    if (res.status >= 400) throw new ApiError(res.status, parsed);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  private async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const raw = body instanceof RawBody;
    const once = () => this.fetchImpl(`${this.baseUrl}${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': raw ? body.contentType : 'application/json' }), ...headers },
      body: body === undefined ? undefined : raw ? body.text : JSON.stringify(body),
    });
    // A read that fails before any answer (a kept-alive connection the busy server closed as it was reused: "fetch
    // failed") is asked again, twice at most: one lost poll must not end a demo load. Writes are never repeated here.
    if (method !== 'GET') return once();
    for (let attempt = 0; ; attempt++) {
      try {
        return await once();
      } catch (err) {
        if (attempt >= 2 || !(err instanceof TypeError)) throw err;
        await new Promise((r) => setTimeout(r, 100 * 4 ** attempt));
      }
    }
  }

  /** A file sent as it is (an import's CSV), not as JSON. */
  postText<T = any>(path: string, text: string, contentType = 'text/csv') {
    return this.request<T>('POST', path, new RawBody(text, contentType)).then((r) => r.body);
  }

  get<T = any>(path: string) { return this.request<T>('GET', path).then((r) => r.body); }
  post<T = any>(path: string, body?: unknown) { return this.request<T>('POST', path, body ?? {}).then((r) => r.body); }

  list<T = any>(resource: string, opts: { filter?: object; sort?: [string, string]; range?: [number, number] } = {}) {
    const q = new URLSearchParams();
    if (opts.filter) q.set('filter', JSON.stringify(opts.filter));
    if (opts.sort) q.set('sort', JSON.stringify(opts.sort));
    if (opts.range) q.set('range', JSON.stringify(opts.range));
    return this.get<T[]>(`/api/${resource}?${q}`);
  }

  /** The open work item of a referral, waiting for the pathway to raise it. */
  async waitForOpenTask(referralId: string, type?: string, timeoutMs = 30_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      const open = await this.list('tasks', { filter: { referralId, status: ['open', 'claimed'], ...(type ? { type } : {}) } });
      const task = open.find((t: any) => !t.type.includes('escalation'));
      if (task) return task;
      if (Date.now() > deadline) throw new Error(`No open ${type ?? 'work item'} for ${referralId} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
