import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_LIMITS, formatDuration, formatUptime, productStatus, resolveInPorts, schemaFileFor, worstCaseStalenessMs, type DataProduct, type Domain, type Mesh, type OutputPort } from '@data-mesh/spec';
import { accessRequirements } from './access';
import type { HistoryResult, VersionEntry } from './history';
import { esc, escText, facts, linkFrom, page, table } from './html';
import { lineageSvg, type LineageNeighbour } from './lineage';
import { parseSchemaJson, schemaFieldRows, type FieldRow } from './schema-fields';
import { buildSearchIndex, type SearchDocument } from './search';
import { consumeInfo } from './snippets';

export interface CatalogOptions {
  /** The site's absolute URL (`--base-url`): used only for canonical links, never for navigation. */
  readonly baseUrl?: string;
  /** The products' version history (`versionHistory(root)`); without it the pages say there is none. */
  readonly history?: HistoryResult;
}

export interface CatalogSite {
  /**
   * Path in the site (forward slashes) and content, made as they are read: a product's page is
   * built when the iteration reaches it, so a caller that writes each file as it comes holds one
   * page at a time, not the whole site. Iterate once.
   */
  readonly files: Iterable<readonly [string, string | Buffer]>;
  /** Products with a page. */
  readonly products: number;
  /** What the site leaves out and why (invalid specs, missing history). */
  readonly notes: readonly string[];
}

const ASSETS = path.join(__dirname, '..', 'assets');

export const productPath = (id: string) => `products/${id}.html`;
export const domainPath = (name: string) => `domains/${name}.html`;

/** The longest description shown in a list; the product page shows all of it. */
const LIST_DESCRIPTION = 220;

const short = (text: string, max = LIST_DESCRIPTION) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
const code = (text: string) => `<code>${esc(text)}</code>`;
const list = (items: readonly string[], empty = 'none') => (items.length === 0 ? `<span class="muted">${esc(empty)}</span>` : items.map(code).join(' '));
const anchor = (name: string) => `port-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

/** Builds the catalog site of a loaded mesh: every valid product's page, the domain pages, the index, the search index and the assets. */
export function buildCatalog(mesh: Mesh, options: CatalogOptions = {}): CatalogSite {
  const notes: string[] = [...(options.history?.notes ?? [])];
  const products = [...mesh.validProducts()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const id of [...mesh.invalidProducts, ...mesh.unreadableProducts].sort()) notes.push(`${id} has no page: its spec does not validate (run mesh validate)`);
  return { files: siteFiles(mesh, products, options), products: products.length, notes };
}

/** A port's schema file, read and parsed here (a mesh loaded with readSchemas: false has not read it; one that has keeps only its field table). */
function readSchema(mesh: Mesh, port: OutputPort): PortSchema | undefined {
  const target = schemaFileFor(port.spec.schema);
  if (!target) return undefined;
  const bytes = mesh.source.read(target.file, DEFAULT_LIMITS.maxSchemaBytes);
  const text = bytes.kind === 'ok' ? bytes.bytes.toString('utf8') : undefined;
  const json = parseSchemaJson(text);
  return text !== undefined && json !== undefined ? { text, json } : undefined;
}

function* siteFiles(mesh: Mesh, products: readonly DataProduct[], options: CatalogOptions): Generator<readonly [string, string | Buffer]> {
  const known = new Set(products.map((p) => p.id));
  const documents: SearchDocument[] = [];
  for (const product of products) {
    const schemas = new Map(product.outputPorts.map((p) => [p.name, readSchema(mesh, p)]));
    const rowsByPort = new Map(product.outputPorts.map((p) => [p.name, schemaFieldRows(schemas.get(p.name)?.json) ?? []]));
    yield [productPath(product.id), productPage(mesh, product, { schemas, rows: rowsByPort }, known, options)];
    // A field several ports carry is indexed at the first of them: the hit names that port, and
    // the index does not hold the same field of one product twice.
    const indexed = new Set<string>();
    product.outputPorts.forEach((port, i) => {
      const names = (rowsByPort.get(port.name) ?? []).map((r) => r.name).filter((n) => !indexed.has(n) && indexed.add(n));
      documents.push({
        id: documents.length,
        product: product.id,
        port: port.name,
        description: i === 0 ? product.spec.spec.description : '',
        tags: i === 0 ? (product.spec.metadata.tags ?? []).join(' ') : '',
        owner: i === 0 ? product.spec.metadata.owner : '',
        fields: names.join(' '),
      });
    });
  }
  const byDomain = new Map<string, DataProduct[]>();
  for (const p of products) {
    let l = byDomain.get(p.domain);
    if (!l) byDomain.set(p.domain, (l = []));
    l.push(p);
  }
  for (const domain of [...mesh.domains.values()]) yield [domainPath(domain.name), domainPage(domain, byDomain.get(domain.name) ?? [], options)];
  yield ['index.html', indexPage(mesh, products, options)];
  yield ['assets/search-index.js', `window.MESH_CATALOG_INDEX = ${buildSearchIndex(documents)};\n`];
  yield ['assets/minisearch.js', fs.readFileSync(path.join(path.dirname(require.resolve('minisearch')), '..', 'umd', 'index.js'))];
  for (const asset of ['catalog.css', 'search.js']) yield [`assets/${asset}`, fs.readFileSync(path.join(ASSETS, asset))];
  yield ['.nojekyll', ''];
}

function indexPage(mesh: Mesh, products: readonly DataProduct[], options: CatalogOptions): string {
  const at = 'index.html';
  const domains = [...mesh.domains.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const count = (d: string) => products.filter((p) => p.domain === d).length;
  const body = `<h1>Data products</h1>
<p class="lede">${esc(`${products.length} products in ${domains.length} domains. Search by name, description, tag, owner team or field name.`)}</p>
<section id="search-results" aria-live="polite" aria-labelledby="results-title" hidden>
<h2 id="results-title">Results</h2>
<p id="results-summary"></p>
<ol id="results" class="results"></ol>
</section>
<section aria-labelledby="domains-title">
<h2 id="domains-title">Domains</h2>
${table('Domains, their owner teams and on-call', ['domain', 'owner team', 'on-call', 'products'], domains.map((d) => [`<a href="${esc(linkFrom(at, domainPath(d.name)))}">${esc(d.name)}</a>`, esc(d.ownerTeam), esc(d.oncall), String(count(d.name))]))}
</section>`;
  return page({ path: at, title: 'Data products', body, scripts: ['assets/minisearch.js', 'assets/search-index.js', 'assets/search.js'], ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
}

function productRow(at: string, p: DataProduct): string[] {
  return [
    `<a href="${esc(linkFrom(at, productPath(p.id)))}">${esc(p.name)}</a>`,
    esc(productStatus(p)),
    esc(p.spec.metadata.version),
    esc(p.outputPorts.map((o) => `${o.name} (${o.spec.type})`).join(', ')),
    esc(short(p.spec.spec.description)),
    list(p.spec.metadata.tags ?? []),
  ];
}

function domainPage(domain: Domain, products: readonly DataProduct[], options: CatalogOptions): string {
  const at = domainPath(domain.name);
  const body = `<h1>Domain ${esc(domain.name)}</h1>
${facts([
    ['owner team', esc(domain.ownerTeam)],
    ['on-call', esc(domain.oncall)],
    ['source products', list(domain.sourceProducts)],
    ['consumer products', list(domain.consumerProducts)],
  ])}
<h2>Products</h2>
${table(`Products of ${domain.name}`, ['product', 'status', 'version', 'output ports', 'description', 'tags'], products.map((p) => productRow(at, p)))}`;
  return page({ path: at, title: `Domain ${domain.name}`, body, breadcrumbs: [{ label: 'catalog', href: 'index.html' }, { label: domain.name }], ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
}

function freshnessText(port: OutputPort): string {
  const worst = port.freshness ? ` (worst-case staleness ${formatDuration(worstCaseStalenessMs(port.freshness))})` : '';
  return `${port.spec.sla.freshness}${worst}`;
}

function fieldTable(port: OutputPort, rows: readonly FieldRow[], pii: ReadonlySet<string>): string {
  if (rows.length === 0) return `<p class="warning">${esc(`The schema ${port.spec.schema} could not be read.`)}</p>`;
  const isPii = (r: FieldRow) => pii.has(r.path) || pii.has(r.name);
  return table(
    `Schema of ${port.name}: ${rows.length} fields (${port.spec.schema})`,
    ['field', 'type', 'required', 'PII', 'description'],
    rows.map((r) => [
      `<code class="depth-${Math.min(r.depth, 6)}">${esc(r.path)}</code>`,
      esc(r.type),
      r.optional ? 'optional' : 'required',
      isPii(r) ? '<strong class="pii">PII</strong>' : '',
      escText(r.doc ?? ''),
    ]),
    'schema',
  );
}

function portSection(port: OutputPort, rows: readonly FieldRow[], pii: ReadonlySet<string>): string {
  const s = port.spec;
  const lifecycle: string[] = [];
  if (s.deprecated) lifecycle.push('deprecated');
  if (s.sunset) lifecycle.push(`sunset ${s.sunset}`);
  if (s.replacedBy) lifecycle.push(`replaced by ${s.replacedBy.product ?? port.product.id} port ${s.replacedBy.port}`);
  const pairs: [string, string][] = [
    ['type', esc(s.type)],
    [s.type === 'stream' ? 'topic' : 'location', code(s.topic ?? s.location ?? 'none')],
    ['format', esc(s.format)],
    ['partitioning', esc(s.partitioning ?? 'not declared')],
    ['freshness SLA', esc(freshnessText(port))],
    ['uptime SLA', esc(port.uptime !== undefined ? formatUptime(port.uptime) : s.sla.uptime)],
    ['compatibility', esc(port.compatibility)],
    ['lifecycle', esc(lifecycle.length ? lifecycle.join(', ') : 'active')],
    ['schema', code(s.schema)],
  ];
  if (s.recordTimeField) pairs.push(['record time field', code(s.recordTimeField)]);
  return `<section class="port" id="${anchor(port.name)}" aria-labelledby="${anchor(port.name)}-title">
<h3 id="${anchor(port.name)}-title">Port ${esc(port.name)}${s.deprecated ? ' <span class="badge deprecated">deprecated</span>' : ''}</h3>
${s.description ? `<p class="description">${esc(s.description)}</p>` : ''}
${facts(pairs)}
${fieldTable(port, rows, pii)}
</section>`;
}

function neighboursUp(product: DataProduct, known: ReadonlySet<string>): LineageNeighbour[] {
  return product.inputs.map((e) => ({ id: e.spec.sourceProduct, ...(known.has(e.spec.sourceProduct) ? { href: productPath(e.spec.sourceProduct) } : {}), ...(e.spec.port ? { port: e.spec.port } : {}), fields: e.spec.fields }));
}

function neighboursDown(mesh: Mesh, product: DataProduct, known: ReadonlySet<string>): (LineageNeighbour & { team: string; oncall: string })[] {
  return mesh.consumersOf(product.id).map((e) => {
    const port = e.spec.port ?? (e.source ? [...new Set(e.spec.fields.map((f) => { const r = resolveInPorts(e.source!.outputPorts, f); return r.ok ? r.port.name : undefined; }).filter((n): n is string => n !== undefined))].join(', ') : '');
    const domain = mesh.domains.get(e.consumer.domain);
    return { id: e.consumer.id, ...(known.has(e.consumer.id) ? { href: productPath(e.consumer.id) } : {}), ...(port ? { port } : {}), fields: e.spec.fields, team: domain?.ownerTeam ?? e.consumer.spec.metadata.owner, oncall: domain?.oncall ?? 'unknown' };
  });
}

function historySection(entries: readonly VersionEntry[] | undefined, history: HistoryResult | undefined): string {
  if (!history) return '<p class="muted">No version history: the catalog was built without git history.</p>';
  if (!entries || entries.length === 0) return `<p class="muted">No commit in the history read changed this product${history.notes.length ? ` (${esc(history.notes.join('; '))})` : ''}.</p>`;
  return table(
    'Versions, newest first, with the breaking changes mesh diff found in each commit',
    ['date', 'version', 'change', 'bump needed / made', 'breaking changes', 'commit'],
    [...entries].reverse().map((e) => [
      esc(e.date.slice(0, 10)),
      esc(e.version ?? ''),
      esc(e.change),
      esc(e.required && e.change === 'modified' ? `${e.required} / ${e.made}` : ''),
      e.breaking.length ? `<ul>${e.breaking.map((b) => `<li>${esc(b)}</li>`).join('')}</ul>` : '<span class="muted">none</span>',
      `${code(e.commit.slice(0, 12))} ${esc(e.subject.length > 90 ? `${e.subject.slice(0, 89)}…` : e.subject)}`,
    ]),
  );
}

/** A port's schema file: its text and its JSON. */
interface PortSchema {
  readonly text: string;
  readonly json: unknown;
}

/** A product's port schemas and their field rows, by port name. */
interface PortSchemas {
  readonly schemas: ReadonlyMap<string, PortSchema | undefined>;
  readonly rows: ReadonlyMap<string, readonly FieldRow[]>;
}

function consumeSection(mesh: Mesh, product: DataProduct, ports: PortSchemas): string {
  const pii = product.spec.spec.governance?.pii_fields ?? [];
  const parts: string[] = [];
  for (const port of product.outputPorts) {
    const info = consumeInfo(port, ports.schemas.get(port.name)?.text, ports.rows.get(port.name) ?? [], pii);
    if (!info) {
      parts.push(`<p class="warning">${esc(`Port ${port.name}: no snippet, its schema could not be read.`)}</p>`);
      continue;
    }
    const where =
      info.address.kind === 'topic'
        ? facts([
            ['Kafka topic', code(info.address.topic)],
            ...(info.address.piiFree ? ([['PII-free topic', `${code(info.address.piiFree)} (the PII fields removed, for callers without pii_authorized)`]] as [string, string][]) : []),
            ['schema registry', `${code(info.registry)} (AWS Glue), subject ${code(info.subject)}`],
          ])
        : facts([
            ['Athena table', code(`${info.address.database}.${info.address.table}`)],
            ['Athena workgroup', code(info.address.workgroup)],
            ...(info.address.location ? ([['S3 location', code(info.address.location)]] as [string, string][]) : []),
            ['schema registry', `${code(info.registry)} (AWS Glue), subject ${code(info.subject)}`],
          ]);
    parts.push(`<section class="consume" aria-labelledby="consume-${anchor(port.name)}">
<h3 id="consume-${anchor(port.name)}">${esc(`Port ${port.name}`)}</h3>
${where}
${info.athena ? `<h4>Athena query</h4>\n<pre class="code" id="athena-${anchor(port.name)}" tabindex="0"><code>${esc(info.athena)}</code></pre>` : ''}
<h4>${esc(info.address.kind === 'topic' ? 'Kafka consumer (Python)' : 'Reader (Python)')}</h4>
<p>${esc(`Decodes every record with the port's Avro schema. Save it as ${info.snippetFile}.`)}</p>
<pre class="code snippet" id="snippet-${anchor(port.name)}" data-port="${esc(port.name)}" tabindex="0"><code>${escText(info.snippet)}</code></pre>
</section>`);
  }
  const access = accessRequirements(mesh, product);
  parts.push(`<h3>What access asks of you</h3>
<ul>${access.requirements.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
${
  access.policy
    ? `<p>${esc('The product\'s own policy ')}${code(access.policy.ref)}${access.policy.file ? ` (${code(access.policy.file)})` : ' (not found in the repository)'}${access.policy.description ? `: ${esc(access.policy.description)}` : ''}</p>
${access.policy.denials.length ? `<p>It refuses a request with:</p><ul>${access.policy.denials.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>` : ''}`
    : '<p>The product names no access policy of its own.</p>'
}`);
  return parts.join('\n');
}

function productPage(mesh: Mesh, product: DataProduct, ports: PortSchemas, known: ReadonlySet<string>, options: CatalogOptions): string {
  const at = productPath(product.id);
  const { metadata, spec } = product.spec;
  const domain = mesh.domains.get(product.domain);
  const governance = spec.governance;
  const pii = new Set(governance?.pii_fields ?? []);
  const status = productStatus(product);
  const lifecycle: string[] = [status];
  if (metadata.sunset) lifecycle.push(`sunset ${metadata.sunset}`);
  if (metadata.replacedBy) lifecycle.push(`replaced by ${metadata.replacedBy.product}${metadata.replacedBy.port ? ` port ${metadata.replacedBy.port}` : ''}`);
  if (metadata.replaces?.length) lifecycle.push(`replaces ${metadata.replaces.map((r) => r.product).join(', ')}`);
  const up = neighboursUp(product, known);
  const down = neighboursDown(mesh, product, known);
  const link = (n: LineageNeighbour) => (n.href ? `<a href="${esc(linkFrom(at, n.href))}">${esc(n.id)}</a>` : esc(n.id));
  const fieldsCell = (fields: readonly string[]) => (fields.length ? fields.map(code).join(' ') : '<span class="muted">every field</span>');
  const rules = spec.qualityChecks ?? [];
  const body = `<h1>${esc(product.id)} <span class="badge ${esc(status)}">${esc(status)}</span></h1>
<p class="description">${esc(spec.description)}</p>
${facts([
    ['domain', `<a href="${esc(linkFrom(at, domainPath(product.domain)))}">${esc(product.domain)}</a>`],
    ['owner team', esc(metadata.owner)],
    ['on-call', esc(domain?.oncall ?? 'unknown')],
    ['version', esc(metadata.version)],
    ['lifecycle', esc(lifecycle.join(', '))],
    ['tags', list(metadata.tags ?? [])],
    ['classification', esc(governance?.data_classification ?? 'not declared')],
    ['retention', esc(governance ? `${governance.retention_days} days` : 'not declared')],
    ['PII fields', list(governance?.pii_fields ?? [])],
    ['GDPR erasure', esc(governance?.gdpr_subject_to_erasure ? `yes, by ${governance.subject_id_field ?? 'subject id'}` : 'no')],
  ])}
<nav class="toc" aria-label="On this page"><ul>
<li><a href="#ports">Output ports</a></li><li><a href="#quality">Quality rules</a></li><li><a href="#lineage">Lineage</a></li><li><a href="#consumers">Consumers</a></li><li><a href="#history">Version history</a></li><li><a href="#consume">How to consume it</a></li>
</ul></nav>
<section id="ports" aria-labelledby="ports-title"><h2 id="ports-title">Output ports</h2>
${product.outputPorts.map((p) => portSection(p, ports.rows.get(p.name) ?? [], pii)).join('\n')}
</section>
<section id="quality" aria-labelledby="quality-title"><h2 id="quality-title">Quality rules</h2>
${rules.length ? table('Quality rules and their severity (an error blocks, a warning does not)', ['rule', 'severity', 'description'], rules.map((r) => [code(r.rule), esc(r.severity ?? 'error'), esc(r.description ?? '')])) : '<p class="muted">No quality rules.</p>'}
</section>
<section id="lineage" aria-labelledby="lineage-title-h"><h2 id="lineage-title-h">Lineage</h2>
${lineageSvg(at, product.id, up, down)}
<h3>Upstream: what it reads</h3>
${up.length ? table('Input ports: the source product, its port and the fields read', ['source product', 'port', 'fields'], up.map((n) => [link(n), esc(n.port ?? 'any'), fieldsCell(n.fields)])) : '<p class="muted">No inputs: a source product.</p>'}
</section>
<section id="consumers" aria-labelledby="consumers-title"><h2 id="consumers-title">Consumers</h2>
${down.length ? table(`${down.length} consumer(s) and what they read`, ['consumer', 'team', 'on-call', 'port', 'fields read'], down.map((n) => [link(n), esc(n.team), esc(n.oncall), esc(n.port ?? ''), fieldsCell(n.fields)])) : '<p class="muted">No product reads it yet.</p>'}
</section>
<section id="history" aria-labelledby="history-title"><h2 id="history-title">Version history</h2>
${historySection(options.history?.byProduct.get(product.id), options.history)}
</section>
<section id="consume" aria-labelledby="consume-title"><h2 id="consume-title">How to consume it</h2>
${consumeSection(mesh, product, ports)}
</section>`;
  return page({
    path: at,
    title: product.id,
    body,
    breadcrumbs: [{ label: 'catalog', href: 'index.html' }, { label: product.domain, href: domainPath(product.domain) }, { label: product.name }],
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
}
