import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMesh, splitS3Location } from '@data-mesh/spec';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  buildCatalogProposals, DataDomain, dataProductUrn, DataPlatform, DataProduct, freshnessSchedule, productDefinitionFromSpec, type ProductDefinition, type SerializedProposal,
} from '../src';
import { datahubCli, REPO } from './catalog-registration-datahub';
import { CLUSTER_ARN, ENV } from './fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lambda = require('../lambda/catalog/index.js') as { ingestBodies: (gzip: string) => { proposal: SerializedProposal }[] };

const mesh = loadMesh(REPO);
const specs = [...mesh.validProducts()].sort((a, b) => (a.id < b.id ? -1 : 1));
const pascal = (s: string) => s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');

/** Every example product built as the infra app builds it: its DataProduct with catalog registration, one stack per domain. */
function synthExamples(override: (def: ProductDefinition) => ProductDefinition = (d) => d) {
  const app = new App();
  const platformStack = new Stack(app, 'Mesh-Platform', { env: ENV });
  const buckets = new Set<string>();
  for (const p of specs) for (const o of p.outputPorts) if (o.spec.type === 'batch' && o.spec.location) buckets.add(splitS3Location(o.spec.location).bucket);
  const platform = new DataPlatform(platformStack, 'Platform', { dataBucketNames: [...buckets] });
  const stacks = new Map<string, Stack>();
  const domains = new Map<string, DataDomain>();
  const definitions = new Map<string, ProductDefinition>();
  for (const sp of specs) {
    const d = mesh.domains.get(sp.domain)!;
    let domain = domains.get(sp.domain);
    if (!domain) {
      domain = new DataDomain(platformStack, `Domain${pascal(sp.domain)}`, { domain: sp.domain, ownerTeam: d.ownerTeam, oncall: d.oncall, queryResultsBucket: platform.queryResultsBucket });
      domains.set(sp.domain, domain);
      stacks.set(sp.domain, new Stack(app, `Mesh-${pascal(sp.domain)}`, { env: ENV }));
    }
    const def = override(productDefinitionFromSpec(sp, d, { products: mesh.products }));
    definitions.set(sp.id, def);
    new DataProduct(stacks.get(sp.domain)!, pascal(sp.name), {
      product: def, domain, dataKey: platform.key, streaming: { clusterArn: CLUSTER_ARN, bootstrapBrokers: 'b-1.mesh:9098' }, catalogServerUrl: 'https://datahub-gms.internal:8080',
    });
  }
  // What each registration resource posts, decoded by the function itself, by product id.
  const posted = new Map<string, { proposals: SerializedProposal[]; removals: SerializedProposal[] }>();
  for (const stack of stacks.values()) {
    for (const r of Object.values(Template.fromStack(stack).findResources('Custom::DataHubRegistration'))) {
      const p = (r as { Properties: { ProductUrn: string; ProposalsGzip: string; RemovalsGzip: string } }).Properties;
      const id = specs.find((s) => dataProductUrn(s.domain, s.name) === p.ProductUrn)?.id ?? p.ProductUrn;
      posted.set(id, { proposals: lambda.ingestBodies(p.ProposalsGzip).map((b) => b.proposal), removals: lambda.ingestBodies(p.RemovalsGzip).map((b) => b.proposal) });
    }
  }
  return { posted, definitions };
}

const { posted, definitions } = synthExamples();
const aspect = (p: SerializedProposal) => JSON.parse(p.aspect.value) as Record<string, unknown>;
const ofProduct = (id: string) => posted.get(id)!.proposals;

describe('the registration of every example product', () => {
  it('every valid example product registers once, as its dataProduct', () => {
    expect(specs.length).toBeGreaterThanOrEqual(9);
    expect([...posted.keys()].sort()).toEqual(specs.map((s) => s.id));
  });

  it.each(specs.map((s) => [s.id]))('%s: a dataProduct with its output ports\' datasets as assets, domain, the team as TECHNICAL_OWNER corpGroup, glossary terms from its tags', (id) => {
    const sp = specs.find((s) => s.id === id)!;
    const proposals = ofProduct(id);
    const datasets = [...new Set(proposals.filter((p) => p.entityType === 'dataset').map((p) => p.entityUrn))];
    expect(datasets).toHaveLength(sp.outputPorts.length);
    const product = proposals.filter((p) => p.entityType === 'dataProduct');
    expect(new Set(product.map((p) => p.entityUrn))).toEqual(new Set([`urn:li:dataProduct:${sp.domain}.${sp.name}`]));
    const properties = aspect(product.find((p) => p.aspectName === 'dataProductProperties')!) as { assets: { destinationUrn: string; outputPort: boolean }[] };
    expect(properties.assets).toEqual(datasets.map((d) => ({ destinationUrn: d, outputPort: true })));
    expect(aspect(product.find((p) => p.aspectName === 'domains')!)).toEqual({ domains: [`urn:li:domain:${sp.domain}`] });
    expect(aspect(product.find((p) => p.aspectName === 'ownership')!)).toEqual({ owners: [{ owner: `urn:li:corpGroup:${mesh.domains.get(sp.domain)!.ownerTeam}`, type: 'TECHNICAL_OWNER' }] });
    const terms = (aspect(product.find((p) => p.aspectName === 'glossaryTerms')!) as { terms: { urn: string }[] }).terms.map((t) => t.urn);
    expect(terms).toEqual([...(sp.spec.metadata.tags ?? []), `classification-${sp.spec.spec.governance?.data_classification ?? 'internal'}`].map((t) => `urn:li:glossaryTerm:${t}`));
    // every term it names is a glossaryTerm entity it writes
    expect(proposals.filter((p) => p.entityType === 'glossaryTerm').map((p) => p.entityUrn)).toEqual(terms);
  });

  it.each(specs.map((s) => [s.id]))('%s: a FRESHNESS assertion per SLA, on the port\'s dataset, scheduled from the SLA', (id) => {
    const sp = specs.find((s) => s.id === id)!;
    const infos = ofProduct(id).filter((p) => p.aspectName === 'assertionInfo').map(aspect) as { type: string; freshnessAssertion: { type: string; entity: string; schedule: unknown } }[];
    const datasets = [...new Set(ofProduct(id).filter((p) => p.entityType === 'dataset').map((p) => p.entityUrn))];
    expect(infos.map((i) => [i.type, i.freshnessAssertion.type, i.freshnessAssertion.entity, i.freshnessAssertion.schedule]))
      .toEqual(sp.outputPorts.map((o, i) => ['FRESHNESS', 'DATASET_CHANGE', datasets[i], freshnessSchedule(o.spec.sla.freshness)]));
  });

  it('field-level lineage: customer-360 reads customer_id from customer-events-v1, an edge into its own customer_id (payload.customer_id: the one field of that name)', () => {
    const lineage = ofProduct('customer/customer-360').filter((p) => p.aspectName === 'upstreamLineage').map(aspect) as {
      upstreams: { dataset: string }[]; fineGrainedLineages: { upstreams: string[]; downstreamType: string; downstreams: string[]; confidenceScore: number }[];
    }[];
    expect(lineage.length).toBeGreaterThan(0);
    const events = 'urn:li:dataset:(urn:li:dataPlatform:kafka,customer-domain.customer-events-v1,PROD)';
    for (const l of lineage) {
      expect(l.upstreams.map((u) => u.dataset)).toContain(events);
      const edge = l.fineGrainedLineages.find((f) => f.downstreamType === 'FIELD' && f.upstreams.includes(`urn:li:schemaField:(${events},customer_id)`));
      expect(edge?.downstreams).toEqual([expect.stringMatching(/^urn:li:schemaField:\(urn:li:dataset:\(urn:li:dataPlatform:(kafka|iceberg),[^)]+\),(?:[a-z_]+\.)*customer_id\)$/)]);
      expect(edge?.confidenceScore).toBe(1);
      // every upstream field lives in a dataset of `upstreams`
      const upstreamDatasets = new Set(l.upstreams.map((u) => u.dataset));
      for (const f of l.fineGrainedLineages.flatMap((x) => x.upstreams)) expect(upstreamDatasets.has(/^urn:li:schemaField:\((.*),[^,]+\)$/.exec(f)![1]!)).toBe(true);
    }
  });

  it('a product without inputs has an empty lineage aspect, so an input removed from a spec leaves the catalog', () => {
    expect(ofProduct('customer/customer-events-v1').filter((p) => p.aspectName === 'upstreamLineage').map(aspect)).toEqual([{ upstreams: [] }]);
  });

  it('a retired product stays registered, deprecated with the retired note, its assertions soft-deleted; Delete soft-deletes its datasets, assertions and dataProduct', () => {
    const retired = synthExamples((d) => (d.name === 'fulfillment-kpis' ? { ...d, lifecycle: { status: 'retired', sunset: '2026-11-01' } } : d)).posted.get('logistics/fulfillment-kpis')!;
    const product = retired.proposals.filter((p) => p.entityType === 'dataProduct');
    expect(aspect(product.find((p) => p.aspectName === 'deprecation')!)).toEqual({
      deprecated: true, decommissionTime: Date.UTC(2026, 10, 1), note: 'Retired since its sunset 2026-11-01: no longer served.', actor: 'urn:li:corpuser:data-mesh-platform',
    });
    expect(aspect(product.find((p) => p.aspectName === 'status')!)).toEqual({ removed: false });
    expect(retired.proposals.filter((p) => p.entityType === 'assertion' && p.aspectName === 'status').map(aspect)).toEqual([{ removed: true }]);
    // an active product's assertions are live
    expect(ofProduct('logistics/fulfillment-kpis').filter((p) => p.entityType === 'assertion' && p.aspectName === 'status').map(aspect)).toEqual([{ removed: false }]);
    // what a Delete sends: status removed=true per entity; the shared domain and glossary terms stay
    expect(retired.removals.map((r) => [r.entityType, r.aspectName, aspect(r)])).toEqual([
      ['dataset', 'status', { removed: true }], ['assertion', 'status', { removed: true }], ['dataProduct', 'status', { removed: true }],
    ]);
  });

  it('freshness schedules: rolling bounds are fixed look-back intervals, daily deadlines a UTC cron at deadline + bound', () => {
    expect(freshnessSchedule('< 30 seconds')).toEqual({ type: 'FIXED_INTERVAL', fixedInterval: { unit: 'SECOND', multiple: 30 } });
    expect(freshnessSchedule('< 5 minutes')).toEqual({ type: 'FIXED_INTERVAL', fixedInterval: { unit: 'MINUTE', multiple: 5 } });
    expect(freshnessSchedule('< 120 minutes')).toEqual({ type: 'FIXED_INTERVAL', fixedInterval: { unit: 'HOUR', multiple: 2 } });
    expect(freshnessSchedule('< 1.5 seconds')).toEqual({ type: 'FIXED_INTERVAL', fixedInterval: { unit: 'SECOND', multiple: 2 } });
    expect(freshnessSchedule('< 2 hours after midnight UTC')).toEqual({ type: 'CRON', cron: { cron: '0 2 * * *', timezone: 'UTC' } });
    expect(freshnessSchedule('< 90 minutes after 23:15 UTC')).toEqual({ type: 'CRON', cron: { cron: '45 0 * * *', timezone: 'UTC' } });
    expect(() => freshnessSchedule('soon')).toThrow(/freshness "soon" is not understood/);
  });

  it('an SLA that does not parse fails the synth with the product and port named', () => {
    const def = definitions.get('customer/customer-events-v1')!;
    expect(() => buildCatalogProposals({
      domain: def.domain, product: def.name, version: def.version, ownerTeam: def.ownerTeam, classification: def.classification, tags: [], description: '',
      ports: [{ name: 'p', platform: 'kafka', datasetName: 't.v1', freshness: 'eventually', uptime: '99%', schemaName: 's', fields: [] }],
    })).toThrow('catalog registration of customer/customer-events-v1 port p: freshness "eventually" is not understood');
  });
});

/** The proposals of one product without their bulk (schemaMetadata: the field types have golden tests of their own). */
const goldenView = (proposals: readonly SerializedProposal[]) => proposals.filter((p) => p.aspectName !== 'schemaMetadata').map((p) => ({ entityType: p.entityType, entityUrn: p.entityUrn, aspectName: p.aspectName, aspect: aspect(p) }));
const GOLDEN_DIR = join(__dirname, 'catalog-registration-golden');

describe('golden proposals per example product (UPDATE_GOLDEN=1 rewrites them)', () => {
  it.each(specs.map((s) => [s.id]))('%s', (id) => {
    const file = join(GOLDEN_DIR, `${id.replace('/', '.')}.json`);
    const actual = `${JSON.stringify(goldenView(ofProduct(id)), null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1' || (!existsSync(file) && process.env.CI !== 'true')) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(file, actual);
      console.warn(`golden written: ${file}`);
    }
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});

const DATAHUB = datahubCli('the registration payload of the example products');

(DATAHUB ? describe : describe.skip)('checked by DataHub\'s own tooling', () => {
  const dir = mkdtempSync(join(tmpdir(), 'datahub-examples-'));
  const files = new Map<string, string>();
  for (const [id, { proposals }] of posted) {
    const file = join(dir, `${id.replace('/', '.')}.json`);
    writeFileSync(file, JSON.stringify(proposals));
    files.set(id, file);
  }
  const removals = join(dir, 'removals.json');
  writeFileSync(removals, JSON.stringify([...posted.values()].flatMap((p) => p.removals)));

  it.each(specs.map((s) => [s.id]))('datahub check metadata-file accepts what %s posts', (id) => {
    const run = spawnSync(DATAHUB!, ['check', 'metadata-file', files.get(id)!], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toContain(`${ofProduct(id).length} MCEs found - all valid`);
    expect(run.status).toBe(0);
  });

  it('datahub check metadata-file accepts the soft deletes of every product', () => {
    const run = spawnSync(DATAHUB!, ['check', 'metadata-file', removals], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toContain(`${[...posted.values()].reduce((n, p) => n + p.removals.length, 0)} MCEs found - all valid`);
    expect(run.status).toBe(0);
  });

  // The check parses each aspect against its schema, but does not ask whether the entity has the aspect
  // or whether the URNs are well formed: DataHub's entity registry (the key aspects' entityAspects in its
  // schema files) and its URN classes answer that.
  const registryScript = [
    'import json, sys, glob, os',
    'import datahub.metadata as m',
    'from datahub.emitter.mcp import MetadataChangeProposalWrapper',
    'from datahub.utilities.urns.urn import Urn',
    'registry = {}',
    'for f in glob.glob(os.path.join(os.path.dirname(m.__file__), "schemas", "*Key.avsc")):',
    '    a = json.load(open(f)).get("Aspect", {})',
    '    if "keyForEntity" in a: registry[a["keyForEntity"]] = set(a.get("entityAspects", []))',
    'problems = []',
    'count = 0',
    'for path in sys.argv[1:]:',
    '    for obj in json.load(open(path)):',
    '        count += 1',
    '        where = f"{os.path.basename(path)}: {obj[\'entityType\']} {obj[\'entityUrn\']} {obj[\'aspectName\']}"',
    '        if obj["aspectName"] not in registry.get(obj["entityType"], set()): problems.append(f"{where}: the entity has no such aspect")',
    '        if Urn.from_string(obj["entityUrn"]).entity_type != obj["entityType"]: problems.append(f"{where}: URN of another entity type")',
    '        w = MetadataChangeProposalWrapper.from_obj(obj)',
    '        if not isinstance(w, MetadataChangeProposalWrapper) or not w.validate(): problems.append(f"{where}: does not validate")',
    '        a = json.loads(obj["aspect"]["value"])',
    '        urns = [x["destinationUrn"] for x in a.get("assets", [])] + [u for f in a.get("fineGrainedLineages", []) for u in f.get("upstreams", []) + f.get("downstreams", [])]',
    '        urns += [u["dataset"] for u in a.get("upstreams", [])] + ([a["freshnessAssertion"]["entity"]] if "freshnessAssertion" in a else [])',
    '        for u in urns:',
    '            try: Urn.from_string(u)',
    '            except Exception as e: problems.append(f"{where}: {u}: {e}")',
    'print(json.dumps({"count": count, "problems": problems}))',
  ].join('\n');
  const python = () => join(DATAHUB!, '..', 'python');

  it('every aspect belongs to its entity in DataHub\'s registry, every URN parses with DataHub\'s classes', () => {
    const out = JSON.parse(execFileSync(python(), ['-c', registryScript, ...files.values(), removals], { encoding: 'utf8' })) as { count: number; problems: string[] };
    expect(out.problems).toEqual([]);
    expect(out.count).toBe([...posted.values()].reduce((n, p) => n + p.proposals.length + p.removals.length, 0));
  });

  it('and names an aspect the entity does not have, and a malformed URN (the registry check can fail)', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([
      { entityType: 'domain', entityUrn: 'urn:li:domain:customer', changeType: 'UPSERT', aspectName: 'status', aspect: { contentType: 'application/json', value: '{"removed":true}' } },
      { entityType: 'dataProduct', entityUrn: 'urn:li:dataProduct:x', changeType: 'UPSERT', aspectName: 'dataProductProperties', aspect: { contentType: 'application/json', value: '{"assets":[{"destinationUrn":"urn:li:dataset:(broken"}]}' } },
    ]));
    const out = JSON.parse(execFileSync(python(), ['-c', registryScript, bad], { encoding: 'utf8' })) as { problems: string[] };
    expect(out.problems).toEqual([
      'bad.json: domain urn:li:domain:customer status: the entity has no such aspect',
      expect.stringMatching(/^bad\.json: dataProduct urn:li:dataProduct:x dataProductProperties: urn:li:dataset:\(broken: /),
    ]);
  });
});
