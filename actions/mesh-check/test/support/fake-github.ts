import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export interface FakeGitHubOptions {
  readonly owner: string;
  readonly repo: string;
  readonly pr: number;
  readonly token: string;
  /** Comments already on the pull request (others' comments, to exercise pagination). */
  readonly comments?: readonly StoredComment[];
  readonly labels?: readonly string[];
  /** Answer 403 to every write, as for a fork's read-only token. */
  readonly readOnly?: boolean;
  readonly perPageCap?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body?: unknown;
}

/**
 * The REST endpoints the Action uses, on 127.0.0.1, and nothing else: any other route is
 * recorded in `unexpected` (a test asserts it stays empty) and answered 404.
 *   GET   /repos/{o}/{r}/issues/{n}/comments   paginated with a Link header
 *   POST  /repos/{o}/{r}/issues/{n}/comments
 *   PATCH /repos/{o}/{r}/issues/comments/{id}
 *   GET   /repos/{o}/{r}/issues/{n}/labels     paginated with a Link header
 */
export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly unexpected: string[] = [];
  readonly comments: StoredComment[];
  labels: string[];
  private nextId = 9000;
  private server?: http.Server;
  url = '';

  constructor(private readonly options: FakeGitHubOptions) {
    this.comments = (options.comments ?? []).map((c) => ({ ...c }));
    this.labels = [...(options.labels ?? [])];
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Requests other than the listed method+path shapes, e.g. `writes()` for POST/PATCH. */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const body = raw ? (JSON.parse(raw) as unknown) : undefined;
    const record = { method: req.method ?? '', path: url.pathname, query, body };
    this.requests.push(record);
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(data));
    };
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.options.token}` && auth !== `Bearer ${this.options.token}`) {
      this.unexpected.push(`${record.method} ${record.path} without the token (authorization: ${auth || 'none'})`);
      send(401, { message: 'Bad credentials' });
      return;
    }
    const { owner, repo, pr } = this.options;
    const base = `/repos/${owner}/${repo}`;
    const m = record.method;
    if (m === 'GET' && url.pathname === `${base}/issues/${pr}/comments`) {
      this.page(res, url, this.comments, send);
    } else if (m === 'POST' && url.pathname === `${base}/issues/${pr}/comments`) {
      if (this.options.readOnly) return send(403, { message: 'Resource not accessible by integration' });
      const comment = { id: this.nextId++, body: String((body as { body?: string }).body), user: { login: 'github-actions[bot]', type: 'Bot' } };
      this.comments.push(comment);
      send(201, comment);
    } else if (m === 'PATCH' && url.pathname.startsWith(`${base}/issues/comments/`)) {
      if (this.options.readOnly) return send(403, { message: 'Resource not accessible by integration' });
      const id = Number(url.pathname.slice(`${base}/issues/comments/`.length));
      const comment = this.comments.find((c) => c.id === id);
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = String((body as { body?: string }).body);
      send(200, comment);
    } else if (m === 'GET' && url.pathname === `${base}/issues/${pr}/labels`) {
      this.page(res, url, this.labels.map((name, i) => ({ id: i + 1, name })), send);
    } else {
      this.unexpected.push(`${m} ${url.pathname}${url.search}`);
      send(404, { message: 'Not Found (not an endpoint the Action should call)' });
    }
  }

  private page<T>(res: http.ServerResponse, url: URL, items: readonly T[], send: (s: number, d: unknown, h?: Record<string, string>) => void): void {
    void res;
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), this.options.perPageCap ?? 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(url.toString());
      u.searchParams.set('page', String(p));
      u.searchParams.set('per_page', String(perPage));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    send(200, items.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
  }
}
