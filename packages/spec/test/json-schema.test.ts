import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import { checkSchema, closestKey, EDITOR_KEYWORDS, fromStandalone, SCHEMA_DIR, SCHEMA_NAMES, schemasDigest, standaloneFile, type SchemaName } from '../src/json-schema';
import { compileValidators, standaloneSource, VALIDATOR_KINDS } from '../src/json-schema-build';

const SPEC_PACKAGE = path.resolve(__dirname, '..');
const FIXTURE_SPEC = path.join(__dirname, 'fixtures', 'base', 'domains', 'orders', 'order-events-v1', 'data-product.yaml');
const schemaFile = (name: SchemaName) => path.join(SCHEMA_DIR, `${name}.schema.json`);
const schema = (name: SchemaName) => JSON.parse(fs.readFileSync(schemaFile(name), 'utf8')) as Record<string, unknown>;

/** Every subschema (an object under any keyword) of a schema. */
function subschemas(node: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) for (const item of node) subschemas(item, out);
  else if (node && typeof node === 'object') {
    out.push(node as Record<string, unknown>);
    for (const value of Object.values(node)) subschemas(value, out);
  }
  return out;
}

const badVersion = { apiVersion: 'data-mesh/v1', kind: 'DataProduct', metadata: { name: 'p', version: 'v1.2', owner: 't', domain: 'd' }, spec: {} };

describe('the JSON Schemas under a strict, independent validator', () => {
  it('a fresh strict Ajv2020 with only the declared editor keywords compiles every schema; without them it refuses', () => {
    for (const name of SCHEMA_NAMES) {
      const declared = new Ajv2020({ strict: true, allErrors: true });
      for (const keyword of EDITOR_KEYWORDS) declared.addKeyword({ keyword, schemaType: 'string' });
      expect(() => declared.compile(schema(name))).not.toThrow();
      expect(() => new Ajv2020({ strict: true }).compile(schema(name))).toThrow(/unknown keyword: "patternErrorMessage"/);
    }
  });

  it('ajv-cli --spec=draft2020 --strict=true accepts every schema (declaring patternErrorMessage only)', () => {
    const keywords = path.join(os.tmpdir(), `mesh-editor-keywords-${process.pid}.js`);
    fs.writeFileSync(keywords, "module.exports = (ajv) => ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });\n");
    try {
      const cli = path.join(path.dirname(require.resolve('ajv-cli/package.json')), 'dist', 'index.js');
      for (const name of SCHEMA_NAMES) {
        const run = spawnSync(process.execPath, [cli, 'compile', '--spec=draft2020', '--strict=true', '-c', keywords, '-s', schemaFile(name)], { encoding: 'utf8' });
        expect({ name, status: run.status, out: `${run.stdout}${run.stderr}`.trim() }).toEqual({ name, status: 0, out: `schema ${schemaFile(name)} is valid` });
      }
    } finally {
      fs.rmSync(keywords, { force: true });
    }
  });

  it('every pattern has a patternErrorMessage, and no schema uses a keyword no tool reads (patternHint)', () => {
    for (const name of SCHEMA_NAMES) {
      const nodes = subschemas(schema(name));
      expect(nodes.filter((n) => 'patternHint' in n)).toEqual([]);
      const patterns = nodes.filter((n) => typeof n.pattern === 'string');
      expect(patterns.length).toBeGreaterThan(0);
      expect(patterns.filter((n) => typeof n.patternErrorMessage !== 'string' || !/^expected /.test(n.patternErrorMessage))).toEqual([]);
    }
  });
});

describe('checkSchema messages', () => {
  it('a bad version string: the schema patternErrorMessage, not the regex', () => {
    const [violation] = checkSchema('data-product', badVersion);
    expect(violation?.message).toBe('metadata.version is "v1.2": expected a semantic version such as "2.1.0" (quote it in YAML)');
    expect(violation?.message).not.toMatch(/\\d|\^\(/);
  });

  it('an unknown key close to a known one: did you mean it?', () => {
    const [violation] = checkSchema('data-product', { ...badVersion, metadata: { name: 'p', version: '1.0.0', owner: 't', domain: 'd', tagz: [] } });
    expect(violation).toMatchObject({ message: 'unknown key "tagz" in metadata: did you mean "tags"?', path: ['metadata', 'tagz'], atKey: true, hint: 'expected one of: name, version, owner, domain, tags, status, sunset, replaces, replacedBy, migration' });
    const [far] = checkSchema('data-product', { ...badVersion, metadata: { name: 'p', version: '1.0.0', owner: 't', domain: 'd', colour: 'red' } });
    expect(far?.message).toBe('unknown key "colour" in metadata');
  });

  it.each([
    ['tagz', 'tags'],
    ['tgas', 'tags'],
    ['Tags', 'tags'],
    ['outputport', 'outputPorts'],
    ['descripton', 'description'],
    ['ownr', 'owner'],
    ['colour', undefined],
    ['x', undefined],
  ])('closestKey(%s) is %s', (key, expected) => {
    expect(closestKey(key, ['name', 'version', 'owner', 'domain', 'tags', 'description', 'outputPorts'])).toBe(expected);
  });
});

describe('the validators precompiled at build time (ajv standalone code)', () => {
  const documents: [SchemaName, unknown][] = [
    ['data-product', badVersion],
    ['data-product', { ...badVersion, metadata: { name: 'Bad Name', version: '1.0.0', owner: '', domain: 'd', tagz: 1 }, extra: true }],
    ['data-product', { apiVersion: 'data-mesh/v1', kind: 'DataProduct', metadata: { name: 'p', version: '1.0.0', owner: 't', domain: 'd', tags: ['a', 'a', 'B'] }, spec: { description: 'x', outputPorts: [{ name: 'p', type: 'stream' }] } }],
    ['domain-map', { domains: { 'Bad-Name': { owner_team: 'x' }, ok: { owner_team: 'Not A Slug' } } }],
    ['platform', { github: { organization: '-bad-', platform_team: 'x' } }],
    ['platform', 42],
  ];

  it.each(VALIDATOR_KINDS.map((k) => [k]))('%s: the generated code judges as the schemas compiled by ajv do', (kind) => {
    // Inside the package, so that the code resolves ajv's runtime helpers as it does from dist/.
    const dir = fs.mkdtempSync(path.join(SPEC_PACKAGE, '.standalone-test-'));
    try {
      const file = path.join(dir, 'validators.js');
      fs.writeFileSync(file, standaloneSource(kind));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const standalone = fromStandalone(require(file) as Record<string, unknown>, schemasDigest());
      expect(standalone).toBeDefined();
      const compiled = compileValidators(kind);
      for (const [name, data] of documents) {
        const a = standalone![name];
        const b = compiled[name];
        expect(a(data)).toBe(b(data));
        expect(a.errors).toEqual(b.errors);
        expect(b(data)).toBe(false);
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect(fromStandalone(require(file) as Record<string, unknown>, 'another digest')).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(VALIDATOR_KINDS.map((k) => [k]))("%s: dist/ holds the code the schemas generate now (the package's build writes it)", (kind) => {
    const built = path.join(SPEC_PACKAGE, 'dist', standaloneFile(kind));
    expect({ built, exists: fs.existsSync(built) }).toEqual({ built, exists: true }); // npm run build -w packages/spec
    expect(fs.readFileSync(built, 'utf8') === standaloneSource(kind)).toBe(true);
  });
});

/** A minimal LSP client over stdio: sends requests and notifications, answers the server's requests, collects what it publishes. */
function languageServer(): { send: (method: string, params: unknown) => void; request: (method: string, params: unknown) => Promise<unknown>; diagnostics: (uri: string) => Promise<{ message: string; range: { start: { line: number } } }[]>; kill: () => void } {
  const bin = path.join(path.dirname(require.resolve('yaml-language-server/package.json')), 'bin', 'yaml-language-server');
  const server = spawn(process.execPath, [bin, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let buffer = Buffer.alloc(0);
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  const published = new Map<string, (diagnostics: never[]) => void>();
  const write = (message: object) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    server.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  };
  server.stdout.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())?.[1]);
      if (buffer.length < end + 4 + length) return;
      const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString()) as { id?: number; method?: string; params?: { uri: string; diagnostics: never[]; items?: unknown[] }; result?: unknown };
      buffer = buffer.subarray(end + 4 + length);
      if (message.method && message.id !== undefined) {
        // A request of the server's: the workspace configuration (yaml.validate on), or nothing.
        write({ id: message.id, result: message.method === 'workspace/configuration' ? (message.params?.items ?? []).map(() => ({ validate: true, schemaStore: { enable: false } })) : null });
      } else if (message.id !== undefined) {
        pending.get(message.id)?.(message.result);
      } else if (message.method === 'textDocument/publishDiagnostics' && message.params) {
        published.get(message.params.uri)?.(message.params.diagnostics);
      }
    }
  });
  return {
    send: (method, params) => write({ method, params }),
    request: (method, params) => new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      write({ id, method, params });
    }),
    diagnostics: (uri) => new Promise((resolve) => published.set(uri, resolve as never)),
    kill: () => server.kill('SIGKILL'),
  };
}

describe('yaml-language-server (what editors run) over stdio', () => {
  it('shows the patternErrorMessage for a bad version string, not the raw regex', async () => {
    const server = languageServer();
    try {
      await server.request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
      server.send('initialized', {});
      server.send('workspace/didChangeConfiguration', { settings: { yaml: { validate: true, schemaStore: { enable: false } } } });
      const text = `# yaml-language-server: $schema=${pathToFileURL(schemaFile('data-product')).href}\n${fs.readFileSync(FIXTURE_SPEC, 'utf8').replace('version: "1.2.0"', 'version: "v1.2"')}`;
      expect(text).toContain('version: "v1.2"');
      const uri = pathToFileURL(path.join(os.tmpdir(), 'data-product.yaml')).href;
      const published = server.diagnostics(uri);
      server.send('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      const diagnostics = await published;
      const versionLine = text.split('\n').findIndex((l) => l.includes('version: "v1.2"'));
      expect(diagnostics.map((d) => ({ line: d.range.start.line, message: d.message }))).toEqual([{ line: versionLine, message: 'expected a semantic version such as "2.1.0" (quote it in YAML)' }]);
      expect(diagnostics.map((d) => d.message).join('\n')).not.toMatch(/pattern|\\d|\^\(/);
    } finally {
      server.kill();
    }
  }, 30_000);
});
