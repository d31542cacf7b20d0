import { gzipSync } from 'node:zlib';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { stackSingletonFunction } from '../common/lambda';
import { deprecationAspect, describeReplacement, PLATFORM_ACTOR } from '../data-product/lifecycle';
import { parseFreshness } from '@data-mesh/spec';
import { CatalogPort, CatalogRegistrationProps } from './catalog-registration-props';
import { dataHubTypeJson, dataHubTypeOfNative } from './datahub-types';

/** The DataHub entity types the registration writes. */
export type CatalogEntityType = 'dataset' | 'dataProduct' | 'assertion' | 'glossaryTerm' | 'domain';

/** A DataHub metadata change proposal (UPSERT of one aspect), as GMS `/aspects?action=ingestProposal` takes it. */
export interface MetadataChangeProposal {
  readonly entityType: CatalogEntityType;
  readonly entityUrn: string;
  readonly changeType: 'UPSERT';
  readonly aspectName: string;
  readonly aspect: Record<string, unknown>;
}

/**
 * A proposal as GMS `/aspects?action=ingestProposal` takes it (inside `{ proposal }`) and as a
 * DataHub metadata file holds it: the aspect serialized as JSON text (a GenericAspect).
 */
export interface SerializedProposal extends Omit<MetadataChangeProposal, 'aspect'> {
  readonly aspect: { readonly contentType: 'application/json'; readonly value: string };
}

export function serializeProposal(mcp: MetadataChangeProposal): SerializedProposal {
  return { ...mcp, aspect: { contentType: 'application/json', value: JSON.stringify(mcp.aspect) } };
}

/**
 * The proposals as a DataHub metadata file (a JSON list of MCPs), what `datahub check metadata-file`
 * and the CLI's file source read; its entries are the proposals the registration posts to GMS.
 */
export function catalogMetadataFile(proposals: readonly MetadataChangeProposal[]): string {
  return `${JSON.stringify(proposals.map(serializeProposal), null, 2)}\n`;
}

/** `urn:li:dataset:(urn:li:dataPlatform:kafka,<name>,PROD)` */
export function datasetUrn(platform: string, name: string, env = 'PROD'): string {
  return `urn:li:dataset:(urn:li:dataPlatform:${platform},${name},${env})`;
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/** `urn:li:dataProduct:<domain>.<product>`: the product as a DataHub data product. */
export function dataProductUrn(domain: string, product: string): string {
  return `urn:li:dataProduct:${slug(domain)}.${slug(product)}`;
}

/** `urn:li:schemaField:(<dataset urn>,<field path>)` */
export function schemaFieldUrn(dataset: string, path: string): string {
  return `urn:li:schemaField:(${dataset},${path})`;
}

/** The URN of a port's freshness assertion: `urn:li:assertion:data-mesh.freshness.<platform>.<dataset name>`. */
export function freshnessAssertionUrn(platform: string, name: string, env = 'PROD'): string {
  return `urn:li:assertion:data-mesh.freshness.${platform}.${slug(name)}${env === 'PROD' ? '' : `.${slug(env)}`}`;
}

/** The platform the freshness assertions are evaluated on (the FreshnessMonitor's CloudWatch alarm), their `dataPlatformInstance`. */
export const ASSERTION_PLATFORM = 'urn:li:dataPlatform:cloudwatch';

/** DataHub's `FreshnessAssertionSchedule` (com.linkedin.assertion). */
export type FreshnessSchedule =
  | { readonly type: 'FIXED_INTERVAL'; readonly fixedInterval: { readonly unit: 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY'; readonly multiple: number } }
  | { readonly type: 'CRON'; readonly cron: { readonly cron: string; readonly timezone: 'UTC' } };

const INTERVAL_UNITS: readonly ['DAY' | 'HOUR' | 'MINUTE', number][] = [['DAY', 86_400_000], ['HOUR', 3_600_000], ['MINUTE', 60_000]];

/**
 * The schedule of a freshness SLA: a rolling bound (`< 5 minutes`) is a FIXED_INTERVAL look-back
 * of that length in the largest unit that holds it whole (seconds rounded up: DataHub counts
 * whole units); a daily deadline (`< 2 hours after 06:00 UTC`) is a CRON schedule at the
 * deadline plus the bound (`0 8 * * *`, UTC, to the minute rounded up): the data of each day
 * must have changed between one such time and the next.
 */
export function freshnessSchedule(freshness: string): FreshnessSchedule {
  const parsed = parseFreshness(freshness);
  if (!parsed.ok) throw new Error(parsed.message);
  const f = parsed.value;
  if (f.kind === 'rolling') {
    const whole = INTERVAL_UNITS.find(([, ms]) => f.boundMs % ms === 0);
    return { type: 'FIXED_INTERVAL', fixedInterval: whole ? { unit: whole[0], multiple: f.boundMs / whole[1] } : { unit: 'SECOND', multiple: Math.ceil(f.boundMs / 1000) } };
  }
  const [hh, mm] = f.deadline.split(':').map(Number) as [number, number];
  const at = (hh * 60 + mm + Math.ceil(f.boundMs / 60_000)) % 1440;
  return { type: 'CRON', cron: { cron: `${at % 60} ${Math.floor(at / 60)} * * *`, timezone: 'UTC' } };
}

/** What `buildCatalogProposals` reads: the registration's props without the deployment's. */
export type CatalogProposalInput = Omit<CatalogRegistrationProps, 'serverUrl' | 'tokenSecret' | 'network' | 'retryBudget' | 'alarmTopic'>;

/**
 * The proposals registering one product: pure, so tests and `mesh` can inspect them. In order:
 * per output port its dataset (properties with the SLA, ownership, domain, glossary terms,
 * schema, deprecation, status, upstream lineage with field-level edges), per port its freshness
 * assertion, then the `dataProduct` with the ports' datasets as its assets, then the domain and
 * the glossary terms it names.
 */
export function buildCatalogProposals(props: CatalogProposalInput): MetadataChangeProposal[] {
  const env = props.environment ?? 'PROD';
  const out: MetadataChangeProposal[] = [];
  const push = (entityType: CatalogEntityType, entityUrn: string, aspectName: string, aspect: Record<string, unknown>) =>
    out.push({ entityType, entityUrn, changeType: 'UPSERT', aspectName, aspect });
  const stamp = { time: 0, actor: PLATFORM_ACTOR };
  const ownership = { owners: [{ owner: `urn:li:corpGroup:${slug(props.ownerTeam)}`, type: 'TECHNICAL_OWNER' }] };
  const domains = { domains: [`urn:li:domain:${slug(props.domain)}`] };
  const terms = [...props.tags.map((t) => ({ name: t, definition: `Products tagged "${t}" in their data-product spec (metadata.tags).` })),
    { name: `classification-${props.classification}`, definition: `Data classified ${props.classification} (governance.data_classification of the data-product spec).` }];
  const glossaryTerms = { terms: terms.map((t) => ({ urn: `urn:li:glossaryTerm:${slug(t.name)}` })), auditStamp: stamp };
  const lifecycle = props.lifecycle ?? 'active';
  const replaces = props.replaces && props.replaces.length > 0 ? { replaces: props.replaces.map(describeReplacement).join(', ') } : {};
  const urns = props.ports.map((port) => datasetUrn(port.platform, port.datasetName, env));

  for (const [i, port] of props.ports.entries()) {
    const urn = urns[i]!;
    const dataset = (aspectName: string, aspect: Record<string, unknown>) => push('dataset', urn, aspectName, aspect);
    dataset('datasetProperties', {
      name: `${props.product}/${port.name}`,
      description: port.description ?? props.description,
      customProperties: {
        domain: props.domain, product: props.product, version: props.version, port: port.name,
        freshness_sla: port.freshness, uptime_sla: port.uptime, data_classification: props.classification,
        lifecycle, ...replaces,
        ...(port.deprecated || port.deprecation ? { deprecated: 'true' } : {}),
      },
    });
    dataset('ownership', ownership);
    dataset('domains', domains);
    dataset('glossaryTerms', glossaryTerms);
    dataset('schemaMetadata', schemaAspect(port));
    dataset('deprecation', { ...deprecationAspect(port.deprecation) });
    dataset('status', { removed: false });
    // Always written, empty for a product without inputs: an input removed from the spec leaves the catalog too.
    const fine = fineGrainedLineages(urn, port);
    dataset('upstreamLineage', {
      upstreams: (port.upstreamUrns ?? []).map((u) => ({ dataset: u, type: 'TRANSFORMED', auditStamp: stamp })),
      ...(fine.length > 0 ? { fineGrainedLineages: fine } : {}),
    });
  }

  // A retired product is measured no more (no freshness monitors): its assertions are soft-deleted.
  const retired = props.productDeprecation?.status === 'retired' || lifecycle === 'retired';
  for (const [i, port] of props.ports.entries()) {
    const urn = freshnessAssertionUrn(port.platform, port.datasetName, env);
    let schedule: FreshnessSchedule;
    try {
      schedule = freshnessSchedule(port.freshness);
    } catch (e) {
      throw new Error(`catalog registration of ${props.domain}/${props.product} port ${port.name}: ${(e as Error).message}`);
    }
    push('assertion', urn, 'assertionInfo', {
      type: 'FRESHNESS',
      freshnessAssertion: { type: 'DATASET_CHANGE', entity: urns[i], schedule },
      source: { type: 'EXTERNAL' },
      description: `${props.product}/${port.name} is fresher than its SLA "${port.freshness}" (measured by the data-mesh FreshnessMonitor, alarm in CloudWatch namespace DataMesh/Freshness)`,
      customProperties: { freshness_sla: port.freshness, uptime_sla: port.uptime, product: `${props.domain}/${props.product}`, port: port.name },
    });
    push('assertion', urn, 'dataPlatformInstance', { platform: ASSERTION_PLATFORM });
    push('assertion', urn, 'status', { removed: retired });
  }

  const product = dataProductUrn(props.domain, props.product);
  push('dataProduct', product, 'dataProductProperties', {
    name: props.product,
    description: props.description,
    customProperties: {
      domain: props.domain, version: props.version, data_classification: props.classification, lifecycle, ...replaces,
      ...(props.registrant ? { registered_by: props.registrant } : {}),
    },
    assets: urns.map((u) => ({ destinationUrn: u, outputPort: true })),
  });
  push('dataProduct', product, 'domains', domains);
  push('dataProduct', product, 'ownership', ownership);
  push('dataProduct', product, 'glossaryTerms', glossaryTerms);
  push('dataProduct', product, 'deprecation', { ...deprecationAspect(props.productDeprecation) });
  push('dataProduct', product, 'status', { removed: false });

  push('domain', domains.domains[0]!, 'domainProperties', { name: props.domain });
  for (const t of terms) {
    push('glossaryTerm', `urn:li:glossaryTerm:${slug(t.name)}`, 'glossaryTermInfo', { name: t.name, definition: t.definition, termSource: 'INTERNAL' });
  }
  return out;
}

/**
 * The proposals a Delete sends: `status` removed=true (a soft delete: DataHub hides the entity
 * and keeps its history) for every dataset, assertion and data product the registration
 * wrote. The domain and the glossary terms are shared with other products and stay.
 */
export function buildCatalogRemovals(proposals: readonly MetadataChangeProposal[]): MetadataChangeProposal[] {
  const seen = new Map<string, CatalogEntityType>();
  for (const p of proposals) if (p.entityType === 'dataset' || p.entityType === 'assertion' || p.entityType === 'dataProduct') seen.set(p.entityUrn, p.entityType);
  return [...seen].map(([entityUrn, entityType]) => ({ entityType, entityUrn, changeType: 'UPSERT', aspectName: 'status', aspect: { removed: true } }));
}

/**
 * A port's field-level lineage: a consumed field is an edge to the port's field of the same path
 * (or the one field with its leaf name), confidence 1; the consumed fields the port does not
 * carry by name feed its other fields as a set (the spec names no mapping), confidence 0.5.
 */
function fineGrainedLineages(urn: string, port: CatalogPort): Record<string, unknown>[] {
  const upstream = [...new Map((port.upstreamFields ?? []).map((f) => [schemaFieldUrn(f.datasetUrn, f.path), f])).values()];
  const leaf = (path: string) => path.slice(path.lastIndexOf('.') + 1);
  const edges = new Map<string, string[]>();
  const unmatched: string[] = [];
  for (const f of upstream) {
    const byLeaf = port.fields.filter((d) => leaf(d.path) === leaf(f.path));
    const target = port.fields.find((d) => d.path === f.path) ?? (byLeaf.length === 1 ? byLeaf[0] : undefined);
    const from = schemaFieldUrn(f.datasetUrn, f.path);
    if (target) edges.set(target.path, [...(edges.get(target.path) ?? []), from]);
    else unmatched.push(from);
  }
  const out: Record<string, unknown>[] = [...edges].map(([path, from]) => ({
    upstreamType: 'FIELD_SET', upstreams: from, downstreamType: 'FIELD', downstreams: [schemaFieldUrn(urn, path)], confidenceScore: 1,
  }));
  const rest = port.fields.filter((d) => !edges.has(d.path) && !port.fields.some((c) => c.path.startsWith(`${d.path}.`)));
  if (unmatched.length > 0 && rest.length > 0) {
    out.push({ upstreamType: 'FIELD_SET', upstreams: unmatched, downstreamType: 'FIELD_SET', downstreams: rest.map((d) => schemaFieldUrn(urn, d.path)), transformOperation: 'DERIVED', confidenceScore: 0.5 });
  }
  return out;
}

function schemaAspect(port: CatalogPort): Record<string, unknown> {
  return {
    schemaName: port.schemaName,
    platform: `urn:li:dataPlatform:${port.platform}`,
    version: 0,
    hash: '',
    platformSchema: { 'com.linkedin.schema.OtherSchema': { rawSchema: '' } },
    fields: port.fields.map((f) => ({
      fieldPath: f.path,
      nativeDataType: f.nativeType,
      type: dataHubTypeJson(f.type ?? dataHubTypeOfNative(f.nativeType)),
      nullable: f.nullable ?? false,
      ...(f.description ? { description: f.description } : {}),
    })),
  };
}

/** The CloudWatch namespace and metric the registration function reports failures to (dimension `Stack`). */
export const CATALOG_METRIC_NAMESPACE = 'DataMesh/Catalog';
export const CATALOG_FAILURE_METRIC = 'RegistrationFailures';

/** App context key: any new value re-sends every registration on the next deploy (after a catalog outage). */
export const CATALOG_RESYNC_CONTEXT = '@data-mesh/cdk:catalogResync';

const gzipProposals = (proposals: readonly MetadataChangeProposal[]) =>
  gzipSync(Buffer.from(JSON.stringify(proposals.map(serializeProposal)), 'utf8'), { level: 9 }).toString('base64');

/**
 * Registers a product in DataHub on every deploy: a custom resource whose function posts the
 * proposals of {@link buildCatalogProposals} (the product as a `dataProduct` with its ports'
 * datasets as assets, each dataset with its schema, ownership, domain, glossary terms,
 * deprecation and field-level lineage, a freshness assertion per SLA) to GMS over HTTPS.
 *
 * A catalog outage never fails or rolls back the deploy: the function retries each proposal
 * with exponential backoff within `retryBudget`, then answers CloudFormation SUCCESS anyway and
 * reports the failure: the `DataMesh/Catalog RegistrationFailures` metric (dimension `Stack`,
 * written as an embedded-metric log line) and the stack's alarm on it. The catalog is then behind
 * the spec until the next registration: a change to the product, or a deploy with the
 * `@data-mesh/cdk:catalogResync` context set to a new value.
 *
 * Delete (the product's spec was removed, so its resource left the template, or the stack is
 * deleted) soft-deletes the product's datasets, assertions and data product (`status`
 * removed=true, {@link buildCatalogRemovals}), unless DataHub says the product is registered by
 * another resource now (it moved to another stack). A retired product stays registered,
 * deprecated with the retired note, its assertions soft-deleted.
 */
export class CatalogRegistration extends Construct {
  readonly proposals: MetadataChangeProposal[];
  /** What a Delete sends (soft deletes). */
  readonly removals: MetadataChangeProposal[];
  readonly resource: CustomResource;
  /** The stack's alarm on registration failures (shared by every registration of the stack). */
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: CatalogRegistrationProps) {
    super(scope, id);
    if (!/^https:\/\//.test(props.serverUrl)) throw new Error(`CatalogRegistration ${this.node.path}: serverUrl must be https:// (TLS in transit), got "${props.serverUrl}"`);
    const stack = Stack.of(this);
    const registrant = props.registrant ?? `${stack.stackName}/${this.node.path}`;
    this.proposals = buildCatalogProposals({ ...props, registrant });
    this.removals = buildCatalogRemovals(this.proposals);
    const budget = props.retryBudget ?? Duration.minutes(2);
    if (budget.toSeconds() > 600) throw new Error(`CatalogRegistration ${this.node.path}: retryBudget must be at most 10 minutes (the function has 15), got ${budget.toHumanString()}`);
    const fn = stackSingletonFunction(this, {
      handler: 'catalog',
      description: 'Registers data-mesh products in DataHub (data-mesh CatalogRegistration)',
      network: props.network,
      // the retry budget, then the CloudFormation response
      timeout: Duration.minutes(15),
    });
    props.tokenSecret?.grantRead(fn);
    const resync: unknown = this.node.tryGetContext(CATALOG_RESYNC_CONTEXT);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::DataHubRegistration',
      properties: {
        ServerUrl: props.serverUrl,
        TokenSecretArn: props.tokenSecret?.secretArn ?? '',
        // gzip + base64: schema metadata is the bulk of a product's template otherwise
        // (CloudFormation templates are limited to 1 MB), and a smaller string is cheaper to synthesize.
        ProposalsGzip: gzipProposals(this.proposals),
        RemovalsGzip: gzipProposals(this.removals),
        ProductUrn: dataProductUrn(props.domain, props.product),
        Registrant: registrant,
        RetryBudgetMs: String(budget.toMilliseconds()),
        ...(resync === undefined ? {} : { Resync: String(resync) }),
      },
    });
    this.alarm = registrationAlarm(stack, props.alarmTopic);
  }
}

function registrationAlarm(stack: Stack, topic: sns.ITopic | undefined): cloudwatch.Alarm {
  const id = 'DataMeshCatalogRegistrationAlarm';
  const existing = stack.node.tryFindChild(id) as cloudwatch.Alarm | undefined;
  if (existing) return existing;
  const alarm = new cloudwatch.Alarm(stack, id, {
    alarmDescription: `DataHub registration failed in ${stack.stackName}: the catalog is behind the deployed specs (the deploy went on). Re-send with -c ${CATALOG_RESYNC_CONTEXT}=<new value> once DataHub is reachable; the function's log names each proposal.`,
    metric: new cloudwatch.Metric({ namespace: CATALOG_METRIC_NAMESPACE, metricName: CATALOG_FAILURE_METRIC, dimensionsMap: { Stack: stack.stackName }, statistic: 'Sum', period: Duration.minutes(5) }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    // missing data keeps the state: the alarm stays in ALARM until a registration of the stack succeeds (it reports 0)
    treatMissingData: cloudwatch.TreatMissingData.IGNORE,
  });
  if (topic) alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
  return alarm;
}
