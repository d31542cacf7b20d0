/**
 * The incremental check gives exactly the verdict of a full one. A synthetic mesh (valid by
 * construction) is committed as the base; each case applies one to three generated edits to
 * the work tree (specs, schemas, new and removed products, the domain map, policies), runs
 * `runCheck` once for what the change reaches and once validating every product, and
 * requires the same diagnostics. The cases are seeded, so a failure names a case that
 * replays.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as jsYaml from 'js-yaml';
import type { Diagnostic } from '@data-mesh/spec';
import { runCheck } from '../src';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generateMesh, makeRng } = require(path.join(REPO_ROOT, 'bench', 'mesh-gen', 'generate.js')) as {
  generateMesh: (options: { domains: number; products: number; seed: number; out: string }) => unknown;
  makeRng: (seed: string) => Rng;
};

interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

const CASES = 200;
const BATCH = 25;

type Spec = {
  metadata: { name: string; version: string; owner: string; domain: string; tags?: string[]; status?: string; sunset?: string; replaces?: { product: string }[] };
  spec: {
    description: string;
    outputPorts: { name: string; type: string; schema: string; topic?: string; location?: string; sla: { freshness: string; uptime: string } }[];
    inputPorts?: { sourceProduct: string; port?: string; fields: string[] }[];
    governance?: Record<string, unknown>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

interface Repo {
  readonly root: string;
  readonly cacheDir: string;
  git(...args: string[]): string;
}

function makeRepository(): Repo {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-equivalence-'));
  generateMesh({ domains: 5, products: 40, seed: 11, out: root });
  for (const entry of ['governance', 'platform.yaml', 'tools/versions.env']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  fs.mkdirSync(path.join(root, '.tools'));
  fs.symlinkSync(path.join(REPO_ROOT, '.tools', 'bin'), path.join(root, '.tools', 'bin'));
  fs.writeFileSync(path.join(root, '.gitignore'), '.tools/\n');
  const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.email=dev@example.com', '-c', 'user.name=dev', ...args], { encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return { root, cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-equivalence-cache-')), git };
}

/** The mesh as the edits see it: product ids, their spec files and parsed specs. */
class Work {
  constructor(
    readonly root: string,
    readonly rng: Rng,
  ) {}

  file(relative: string): string {
    return path.join(this.root, relative);
  }

  products(): string[] {
    const out: string[] = [];
    for (const domain of fs.readdirSync(this.file('domains')).sort()) {
      const dir = this.file(`domains/${domain}`);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const name of fs.readdirSync(dir).sort()) if (fs.existsSync(this.file(`domains/${domain}/${name}/data-product.yaml`))) out.push(`${domain}/${name}`);
    }
    return out;
  }

  spec(id: string): Spec | undefined {
    try {
      const data = jsYaml.load(fs.readFileSync(this.file(`domains/${id}/data-product.yaml`), 'utf8')) as Spec;
      return data && typeof data === 'object' && Array.isArray(data.spec?.outputPorts) ? data : undefined;
    } catch {
      return undefined;
    }
  }

  writeSpec(id: string, spec: Spec): void {
    fs.writeFileSync(this.file(`domains/${id}/data-product.yaml`), jsYaml.dump(spec, { lineWidth: 120 }));
  }

  editSpec(id: string, edit: (spec: Spec) => void): boolean {
    const spec = this.spec(id);
    if (!spec) return false;
    edit(spec);
    this.writeSpec(id, spec);
    return true;
  }

  /** A product with a readable spec, optionally one that has inputs or readers. */
  pick(filter: (id: string, spec: Spec) => boolean = () => true): { id: string; spec: Spec } | undefined {
    const candidates = this.products()
      .map((id) => ({ id, spec: this.spec(id) }))
      .filter((c): c is { id: string; spec: Spec } => c.spec !== undefined && filter(c.id, c.spec));
    return candidates.length === 0 ? undefined : this.rng.pick(candidates);
  }

  readersOf(id: string): string[] {
    return this.products().filter((p) => (this.spec(p)?.spec.inputPorts ?? []).some((i) => i.sourceProduct === id));
  }

  schemaFile(reference: string): string {
    const [, domain, subject] = /^schema-registry:\/\/([^/]+)\/(.+)$/.exec(reference) ?? [];
    return `domains/${domain}/schemas/${subject}.avsc`;
  }

  editMap(edit: (map: { domains: Record<string, { owner_team: string; source_products: string[]; consumer_products: string[] }> }) => void): void {
    const file = this.file('domains/domain-map.yaml');
    const map = jsYaml.load(fs.readFileSync(file, 'utf8')) as Parameters<typeof edit>[0];
    edit(map);
    fs.writeFileSync(file, jsYaml.dump(map, { lineWidth: 120 }));
  }
}

type Edit = (work: Work) => string | undefined;

/** Each edit changes the work tree and says what it did, or returns undefined when it does not apply. */
const EDITS: Record<string, Edit> = {
  reword(w) {
    const p = w.pick();
    return p && w.editSpec(p.id, (s) => (s.spec.description = `${s.spec.description} Reworded.`)) ? `reword ${p.id}` : undefined;
  },
  'read a missing field'(w) {
    const p = w.pick((_, s) => (s.spec.inputPorts ?? []).length > 0);
    return p && w.editSpec(p.id, (s) => s.spec.inputPorts![0]!.fields.push('no_such_field')) ? `${p.id} reads no_such_field` : undefined;
  },
  'loosen a source freshness'(w) {
    const p = w.pick((id) => w.readersOf(id).length > 0);
    return p && w.editSpec(p.id, (s) => s.spec.outputPorts.forEach((o) => (o.sla.freshness = '< 30 days'))) ? `${p.id} promises < 30 days` : undefined;
  },
  'tighten a consumer freshness'(w) {
    const p = w.pick((_, s) => (s.spec.inputPorts ?? []).length > 0);
    return p && w.editSpec(p.id, (s) => (s.spec.outputPorts[0]!.sla.freshness = '< 1 seconds')) ? `${p.id} promises < 1 seconds` : undefined;
  },
  'lower a source uptime'(w) {
    const p = w.pick((id) => w.readersOf(id).length > 0);
    return p && w.editSpec(p.id, (s) => s.spec.outputPorts.forEach((o) => (o.sla.uptime = '90%'))) ? `${p.id} promises 90%` : undefined;
  },
  'collide a topic'(w) {
    const streams = w.products().filter((id) => w.spec(id)?.spec.outputPorts.some((o) => o.type === 'stream'));
    if (streams.length < 2) return undefined;
    const [a, b] = [w.rng.pick(streams), w.rng.pick(streams)];
    if (a === b) return undefined;
    const topic = w.spec(b)!.spec.outputPorts.find((o) => o.type === 'stream')!.topic!;
    return w.editSpec(a, (s) => (s.spec.outputPorts.find((o) => o.type === 'stream')!.topic = topic)) ? `${a} publishes to ${b}'s topic` : undefined;
  },
  'nest a location'(w) {
    const batches = w.products().filter((id) => w.spec(id)?.spec.outputPorts.some((o) => o.type === 'batch'));
    if (batches.length < 2) return undefined;
    const [a, b] = [w.rng.pick(batches), w.rng.pick(batches)];
    if (a === b) return undefined;
    const location = w.spec(b)!.spec.outputPorts.find((o) => o.type === 'batch')!.location!;
    const parent = w.rng.next() < 0.5;
    return w.editSpec(a, (s) => {
      const port = s.spec.outputPorts.find((o) => o.type === 'batch')!;
      const major = s.metadata.version.split('.')[0];
      // Inside b's location, or b's location's parent folder (which then holds b's data).
      port.location = parent ? `${location.replace(/[^/]+\/$/, '')}v${major}/` : `${location}nested/v${major}/`;
    })
      ? `${a} writes ${parent ? 'around' : 'inside'} ${b}'s location`
      : undefined;
  },
  'close a lineage cycle'(w) {
    const p = w.pick((id) => w.readersOf(id).length > 0);
    if (!p) return undefined;
    const reader = w.rng.pick(w.readersOf(p.id));
    const port = w.spec(reader)?.spec.outputPorts[0];
    const file = port && w.file(w.schemaFile(port.schema));
    if (!port || !file || !fs.existsSync(file)) return undefined;
    const field = (JSON.parse(fs.readFileSync(file, 'utf8')) as { fields: { name: string }[] }).fields[0]!.name;
    const input = { sourceProduct: reader, port: port.name, fields: [field] };
    return w.editSpec(p.id, (s) => (s.spec.inputPorts = [...(s.spec.inputPorts ?? []), input])) ? `${p.id} reads its reader ${reader}` : undefined;
  },
  'change an owner'(w) {
    const p = w.pick();
    return p && w.editSpec(p.id, (s) => (s.metadata.owner = 'someone-else')) ? `${p.id} owned by someone-else` : undefined;
  },
  'bump a major without new ports'(w) {
    const p = w.pick();
    return p && w.editSpec(p.id, (s) => (s.metadata.version = `${Number(s.metadata.version.split('.')[0]) + 1}.0.0`)) ? `${p.id} bumps its major` : undefined;
  },
  'add an unknown key'(w) {
    const p = w.pick();
    return p && w.editSpec(p.id, (s) => (s.spec['tagz'] = ['x'])) ? `${p.id} has an unknown key` : undefined;
  },
  'break the YAML'(w) {
    const p = w.pick();
    if (!p) return undefined;
    fs.appendFileSync(w.file(`domains/${p.id}/data-product.yaml`), 'spec: [unclosed\n');
    return `${p.id} is not YAML`;
  },
  'remove a field readers read'(w) {
    const p = w.pick((id) => w.readersOf(id).length > 0);
    if (!p) return undefined;
    const reader = w.spec(w.rng.pick(w.readersOf(p.id)))!;
    const edge = reader.spec.inputPorts!.find((i) => i.sourceProduct === p.id)!;
    const field = edge.fields[0];
    if (!field) return undefined;
    const leaf = field.split('.').pop()!;
    let removed = false;
    for (const port of p.spec.spec.outputPorts) {
      const file = w.file(w.schemaFile(port.schema));
      if (!fs.existsSync(file)) continue;
      const text = fs.readFileSync(file, 'utf8');
      const schema = JSON.parse(text) as unknown;
      const strip = (node: unknown): unknown => {
        if (Array.isArray(node)) return node.map(strip);
        if (node && typeof node === 'object') {
          const record = node as { fields?: { name: string }[] };
          if (Array.isArray(record.fields)) {
            const before = record.fields.length;
            record.fields = record.fields.filter((f) => f.name !== leaf);
            removed ||= record.fields.length !== before;
          }
          for (const value of Object.values(node)) strip(value);
        }
        return node;
      };
      fs.writeFileSync(file, JSON.stringify(strip(schema), null, 2));
    }
    return removed ? `${p.id} drops ${leaf}` : undefined;
  },
  'add an optional field'(w) {
    const p = w.pick();
    if (!p) return undefined;
    const file = w.file(w.schemaFile(p.spec.spec.outputPorts[0]!.schema));
    if (!fs.existsSync(file)) return undefined;
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { fields: unknown[] };
    schema.fields.push({ name: 'zz_added_note', type: ['null', 'string'], default: null });
    fs.writeFileSync(file, JSON.stringify(schema, null, 2));
    return `${p.id} adds an optional field`;
  },
  'retype a field'(w) {
    const p = w.pick();
    if (!p) return undefined;
    const file = w.file(w.schemaFile(p.spec.spec.outputPorts[0]!.schema));
    if (!fs.existsSync(file)) return undefined;
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { fields: { name: string; type: unknown }[] };
    const field = w.rng.pick(schema.fields);
    field.type = 'boolean';
    delete (field as { default?: unknown }).default;
    fs.writeFileSync(file, JSON.stringify(schema, null, 2));
    return `${p.id} retypes ${field.name}`;
  },
  'break a schema'(w) {
    const p = w.pick();
    if (!p) return undefined;
    const file = w.file(w.schemaFile(p.spec.spec.outputPorts[0]!.schema));
    if (!fs.existsSync(file)) return undefined;
    fs.writeFileSync(file, JSON.stringify({ type: 'record', name: 'Broken', fields: [{ name: 'x', type: 'no_such_type' }] }));
    return `${p.id}'s schema is not Avro`;
  },
  'add a product'(w) {
    const p = w.pick();
    if (!p) return undefined;
    const [domain] = p.id.split('/') as [string];
    const name = `${p.spec.metadata.name.replace(/-v\d+$/, '')}-copy`;
    if (fs.existsSync(w.file(`domains/${domain}/${name}`))) return undefined;
    fs.mkdirSync(w.file(`domains/${domain}/${name}`));
    const spec = p.spec;
    spec.metadata.name = name;
    for (const port of spec.spec.outputPorts) {
      if (port.topic) port.topic = port.topic.replace(/\.v(\d+)$/, '.copy.v$1');
      if (port.location) port.location = port.location.replace(/\/(v\d+\/)$/, '-copy/$1');
      port.name = `${port.name}_copy`;
    }
    delete spec.spec.governance?.access_policy;
    w.writeSpec(`${domain}/${name}`, spec);
    const listed = w.rng.next() < 0.8;
    if (listed) w.editMap((m) => m.domains[domain]!.consumer_products.push(name));
    return `add ${domain}/${name}${listed ? '' : ' (not in the map)'}`;
  },
  'remove a product'(w) {
    const p = w.pick((id) => w.rng.next() < 0.6 || w.readersOf(id).length > 0);
    if (!p) return undefined;
    const [domain, name] = p.id.split('/') as [string, string];
    fs.rmSync(w.file(`domains/${p.id}`), { recursive: true });
    const unlist = w.rng.next() < 0.7;
    if (unlist) {
      w.editMap((m) => {
        const entry = m.domains[domain]!;
        entry.source_products = entry.source_products.filter((x) => x !== name);
        entry.consumer_products = entry.consumer_products.filter((x) => x !== name);
      });
    }
    return `remove ${p.id}${unlist ? '' : ' (still in the map)'}`;
  },
  'deprecate a product others read'(w) {
    const p = w.pick((id) => w.readersOf(id).length > 0);
    const sunset = w.rng.next() < 0.5 ? '2026-11-30' : '2027-06-30';
    return p && w.editSpec(p.id, (s) => Object.assign(s.metadata, { status: 'deprecated', sunset })) ? `deprecate ${p.id} until ${sunset}` : undefined;
  },
  'retire or shadow a product others read'(w) {
    const p = w.pick((id) => w.readersOf(id).length > 0);
    const status = w.rng.next() < 0.5 ? 'retired' : 'shadow';
    return p && w.editSpec(p.id, (s) => (s.metadata.status = status)) ? `${status} ${p.id}` : undefined;
  },
  'cut over to a replacement'(w) {
    const old = w.pick();
    const successor = old && w.pick((id) => id !== old.id);
    if (!old || !successor) return undefined;
    w.editSpec(old.id, (s) => Object.assign(s.metadata, { status: 'deprecated', sunset: '2027-06-30' }));
    w.editSpec(successor.id, (s) => (s.metadata.replaces = [{ product: old.id }]));
    return `${successor.id} replaces ${old.id}, which does not name it back`;
  },
  'change a domain owner'(w) {
    const domains = w.products().map((id) => id.split('/')[0]!);
    const domain = w.rng.pick(domains);
    w.editMap((m) => (m.domains[domain]!.owner_team = 'new-owners'));
    return `${domain} owned by new-owners in the map`;
  },
  'unlist a product'(w) {
    const p = w.pick();
    if (!p) return undefined;
    const [domain, name] = p.id.split('/') as [string, string];
    w.editMap((m) => {
      const entry = m.domains[domain]!;
      entry.source_products = entry.source_products.filter((x) => x !== name);
      entry.consumer_products = entry.consumer_products.filter((x) => x !== name);
    });
    return `${p.id} unlisted`;
  },
  'lower a retention limit'(w) {
    const file = w.file('governance/standards.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/max_retention_days: \d+/g, 'max_retention_days: 30'));
    return 'standards allow 30 days of retention';
  },
  'drop a policy_ref'(w) {
    const files = w.products().flatMap((id) => {
      const dir = w.file(`domains/${id.split('/')[0]}/policies`);
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.rego') && !f.endsWith('_test.rego')).map((f) => path.join(dir, f)) : [];
    });
    if (files.length === 0) return undefined;
    const file = w.rng.pick([...new Set(files)].sort());
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^policy_ref\s*:=.*$/m, ''));
    return `${path.relative(w.root, file)} declares no policy_ref`;
  },
  'drop the PII role check'(w) {
    const file = w.file('governance/policies/access.rego');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('has_pii_role if "pii_authorized" in input.subject.roles', 'has_pii_role := true'));
    return 'the access policy no longer checks the PII role';
  },
};

const POLICY_EDITS = new Set(['lower a retention limit', 'drop a policy_ref', 'drop the PII role check']);
const NAMES = Object.keys(EDITS);

function comparable(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`);
}

describe('an incremental check equals a full one', () => {
  let repo: Repo;
  const rng = makeRng('mesh-check-equivalence');
  const seen = { cases: 0, withErrors: 0, codes: new Set<string>(), edits: new Map<string, number>() };

  beforeAll(() => {
    repo = makeRepository();
  });

  afterAll(() => {
    fs.rmSync(repo.root, { recursive: true, force: true });
    fs.rmSync(repo.cacheDir, { recursive: true, force: true });
  });

  for (let batch = 0; batch < CASES / BATCH; batch++) {
    it(`cases ${batch * BATCH + 1}-${(batch + 1) * BATCH}`, async () => {
      for (let n = 0; n < BATCH; n++) {
        const work = new Work(repo.root, rng);
        const applied: string[] = [];
        const count = rng.int(1, 3);
        for (let attempts = 0; applied.length < count && attempts < 10; attempts++) {
          // Policy edits are rare: each recompiles the policy.
          let name = rng.pick(NAMES);
          if (POLICY_EDITS.has(name) && rng.next() < 0.6) name = 'reword';
          const done = EDITS[name]!(work);
          if (done) {
            applied.push(done);
            seen.edits.set(name, (seen.edits.get(name) ?? 0) + 1);
          }
        }
        const label = `case ${batch * BATCH + n + 1}: ${applied.join('; ')}`;
        const options = { root: repo.root, base: 'HEAD', policyTests: 'never' as const, now: new Date('2026-12-01T00:00:00Z') };
        const incremental = await runCheck({ ...options, scope: 'change', cacheDir: repo.cacheDir });
        const full = await runCheck({ ...options, scope: 'full' });
        expect(incremental.scope.mode).toBe('change');
        expect({ label, diagnostics: comparable(incremental.diagnostics) }).toEqual({ label, diagnostics: comparable(full.diagnostics) });
        expect(incremental.summary).toEqual(full.summary);
        seen.cases++;
        if (full.summary.errors > 0) seen.withErrors++;
        for (const d of full.diagnostics) seen.codes.add(d.code);
        repo.git('checkout', '-q', '--', '.');
        repo.git('clean', '-fdq');
      }
    });
  }

  it('covered the kinds of change and of finding it claims to', () => {
    expect(seen.cases).toBe(CASES);
    // Most cases break something, so equal findings are not equal emptiness.
    expect(seen.withErrors).toBeGreaterThan(CASES * 0.6);
    for (const name of NAMES) expect({ name, applied: (seen.edits.get(name) ?? 0) > 0 }).toEqual({ name, applied: true });
    for (const code of ['MESH100', 'MESH101', 'MESH102', 'MESH103', 'MESH106', 'MESH107', 'MESH108', 'MESH109', 'MESH111', 'MESH114', 'MESH115', 'MESH116', 'MESH123', 'MESH124', 'MESH126', 'MESH201', 'MESH215', 'MESH330']) {
      expect({ code, seen: seen.codes.has(code) }).toEqual({ code, seen: true });
    }
  });
});
