import {
  DataDomain, DataPlatform, DataProduct, DomainDashboard, ProductDefinition, SchemaSubject, TopicManifest, FunctionNetwork,
  archiveRetiredData, lifecycleStatus, mayGrant, measurementIntervalSeconds, measurementOffsets, needsPiiProjection, pipelineRoleArn, productDefinitionFromSpec, SpecAdaptError,
} from '@data-mesh/cdk';
import { piiGrant, readErasures, type PiiGrant } from '@data-mesh/policy';
import type { Diagnostic, Mesh } from '@data-mesh/spec';
import { constructName, PLATFORM_STACKS, splitS3Location } from '@data-mesh/spec';
import { Annotations, App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { InfraConfig } from './config';
import { addDecisionFunction, missingDecisionPolicy, type DecisionPolicy } from './decision';

/**
 * Template bytes a product adds to its stack, estimated from its definition: the Avro
 * definitions (Glue schemas), the Iceberg schemas, the jobs' state machines (the erasure job
 * writes each erased id into three statements per table), and a fixed share for the rest.
 * CloudFormation takes templates up to 1 MB; stacks are split well before (see MAX_TEMPLATE_BYTES).
 */
export function estimateBytes(p: ProductDefinition, erasedIds: readonly string[] = []): number {
  let n = 12_000;
  for (const o of p.outputPorts) {
    if (o.type === 'stream') n += o.schemaVersions.reduce((a, v) => a + v.length * 1.2, 0);
    else n += JSON.stringify(o.columns).length * 1.6 + 6_000; // + the retention job
    if (needsPiiProjection(o, p.piiFields)) n += o.schemaVersions.reduce((a, v) => a + v.length * 1.2, 0) + 8_000; // its schemas and projector
    n += o.catalogFields.length * 25; // the compressed catalog payload
    n += 7_000; // the burn-rate alarms
    if (o.maxStalenessSeconds < 120) n += 4_000 + measurementOffsets(measurementIntervalSeconds(o.maxStalenessSeconds)).length * 450; // the sub-minute workflow
  }
  if (erasureRuns(p, erasedIds)) n += p.outputPorts.filter((o) => o.type === 'batch').length * (8_000 + erasedIds.reduce((a, id) => a + 3 * (id.length + 4), 0));
  return Math.round(n);
}

/** True when the product gets an erasure job: subject to erasure, with tables and erased ids. */
function erasureRuns(p: ProductDefinition, erasedIds: readonly string[]): boolean {
  return p.subjectIdColumn !== undefined && erasedIds.length > 0 && p.outputPorts.some((o) => o.type === 'batch');
}

/** Split a stack before its template reaches this size (CloudFormation's limit is 1 MB). */
const MAX_TEMPLATE_BYTES = 700_000;

/** Resources a product adds to its stack, estimated from its definition (stacks are split on it). */
export function estimateResources(p: ProductDefinition, catalog: boolean, erasedIds: readonly string[] = []): number {
  let n = 2; // pipeline role + policy
  const batch = p.outputPorts.filter((o) => o.type === 'batch');
  for (const o of p.outputPorts) {
    n += o.type === 'stream' ? 4 + Math.max(0, o.schemaVersions.length - 1) : 3;
    // the PII-free projection: topic, subject (+ versions), projector function, role, policy, log group, event source mapping, alarm
    if (needsPiiProjection(o, p.piiFields)) n += 8 + Math.max(0, o.schemaVersions.length - 1);
    n += 6; // burn-rate alarms: 2 windows x 2 pairs, 2 composites
    if (o.maxStalenessSeconds < 120) n += 4; // the sub-minute workflow, its role, policy, log group
  }
  // retention: 2 roles with their policies; per table a state machine, schedule, alarm, LF grant
  if (batch.length > 0) n += 4 + 4 * batch.length;
  // erasure: 2 roles with their policies, state machine, schedule, alarm; an LF grant per table
  if (erasureRuns(p, erasedIds)) n += 7 + batch.length;
  if (p.qualityChecks.length > 0 && batch.length > 0) n += 6 * batch.length; // 2 rulesets, LF grant, trigger rule, invoke permission, alert-rule share
  if (catalog) n += 1;
  return n;
}

/** Resources every domain stack carries besides its products (shared functions, roles, log groups). */
const STACK_OVERHEAD = 40;

export interface BuiltApp {
  readonly app: App;
  readonly platformStack: Stack;
  readonly domainStacks: Map<string, Stack[]>;
  readonly accessStacks: Stack[];
  readonly products: Map<string, DataProduct>;
  /** `<prefix>-Dashboards` stacks (split by template size): one CloudWatch dashboard per domain. */
  readonly dashboardStacks: Stack[];
  /** `<prefix>-Governance`, the policy decision function's stack (absent without a decision policy: MESH517). */
  readonly governanceStack?: Stack;
  /** Topic manifest entries of this synth (what to record after a successful deploy). */
  readonly topicManifest: Record<string, TopicManifest[string]>;
}

export interface BuildOptions {
  readonly outdir?: string;
  readonly topicManifest?: TopicManifest;
  /** Every version of a schema file, oldest first. */
  readonly schemaVersions?: (file: string) => readonly string[] | undefined;
  /** Run CDK's built-in CloudFormation validation during synth. @default false */
  readonly cfnValidation?: boolean;
  /** Extra app context (e.g. `@data-mesh/cdk:allowDestroy`). */
  readonly context?: Record<string, unknown>;
  /**
   * Build only these products (`<domain>/<product>`), for a plan of the stacks a change reaches.
   * The platform stack stays whole (its buckets come from every product); grants to a consumer
   * left out are made as if it were built. @default every product
   */
  readonly include?: (productId: string) => boolean;
  /**
   * The compiled policy and its data, deployed as the policy decision function in
   * `<prefix>-Governance` (`startDecisionPolicy` compiles it). Without it the app has no
   * decision function and a MESH517 error says so. @default none: MESH517
   */
  readonly decisionPolicy?: DecisionPolicy;
  /** Told before each product is built (`done` of `total` built so far), for a progress display. */
  readonly onProduct?: (done: number, total: number) => void;
}

/**
 * Builds the CDK app for a validated mesh: `<prefix>-Platform` (platform key and buckets, and
 * per domain its key, schema registry, Glue database, Athena workgroup and alert topic),
 * `<prefix>-<domain>` stacks (split into `-2`, `-3` ... before the resource limit) holding the
 * products, `<prefix>-Access` stacks holding the Lake Formation grants of every lineage edge, and
 * `<prefix>-Governance` holding the policy decision function.
 * Errors specific to one product are pushed to `diagnostics` (MESH505) and the product is skipped.
 */
export function buildMeshApp(mesh: Mesh, config: InfraConfig, diagnostics: Diagnostic[], options: BuildOptions = {}): BuiltApp {
  const app = new App({
    outdir: options.outdir,
    context: {
      '@aws-cdk/aws-iam:minimizePolicies': true,
      // the environment is concrete: write the partition as a literal instead of a token in every ARN
      '@aws-cdk/core:enablePartitionLiterals': true,
      '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
      '@aws-cdk/core:stackResourceLimit': 500,
      // today's behaviour, stated (CDK warns when it is left to its default)
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      // creation stack traces cost ~5% of a large synth and are only read when debugging CDK
      'aws:cdk:disable-creation-stack-traces': true,
      ...options.context,
    },
    stackTraces: false,
    // tree.json (construct tree with every attribute) is for CDK tooling only and costs ~10% of synth
    treeMetadata: false,
    // CDK's built-in CloudFormation validation (a WASM engine) costs about 0.15 s per product;
    // cfn-lint (scripts/cfn-lint.sh) checks the same templates in CI. Opt in with cfnValidation.
    builtinCloudFormationValidation: options.cfnValidation ?? false,
  });
  const env = { account: config.account, region: config.region };
  const prefix = config.stackPrefix;
  const products = [...mesh.validProducts()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const platformStack = new Stack(app, `${prefix}-${PLATFORM_STACKS.platform}`, { env, description: 'data-mesh platform: keys, buckets, registries, databases, workgroups, alert topics' });
  const buckets = new Set<string>();
  for (const p of products) for (const port of p.outputPorts) if (port.spec.type === 'batch' && port.spec.location) buckets.add(splitS3Location(port.spec.location).bucket);
  const platform = new DataPlatform(platformStack, 'Platform', { dataBucketNames: [...buckets], lakeFormationAdmins: config.lakeFormationAdmins });
  // governance/erasures/ (its findings are MESH322): every GDPR-scoped product's erasure job applies them
  const erasureList = readErasures(mesh.root);
  diagnostics.push(...erasureList.diagnostics);
  const erasures = { subjectIds: Object.keys(erasureList.erasures).sort(), auditBucketName: platform.auditBucketName ?? platform.auditBucket.bucketName, auditKey: platform.key };

  const domains = new Map<string, DataDomain>();
  for (const d of [...mesh.domains.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const url = config.pagerduty[d.oncall];
    if (!url) {
      diagnostics.push({ severity: 'warning', code: 'MESH503', message: `no PagerDuty integration URL for on-call "${d.oncall}" of domain ${d.name}: alerts reach the topic but page no one`, file: 'domains/domain-map.yaml', ...(mesh.domainMap?.document.locate(['domains', d.name, 'oncall_pagerduty']) ?? { line: 1, column: 1 }), hint: 'add it under pagerduty: in the infra config' });
    }
    domains.set(d.name, new DataDomain(platformStack, `Domain${pascalCase(d.name)}`, {
      domain: d.name, ownerTeam: d.ownerTeam, oncall: d.oncall, pagerDutyUrl: url,
      queryResultsBucket: platform.queryResultsBucket, queryResultsBucketName: platform.queryResultsBucketName, bytesScannedCutoffPerQuery: config.bytesScannedCutoffPerQuery,
    }));
  }

  const network = (scope: Stack): FunctionNetwork | undefined => {
    if (!config.network) return undefined;
    const existing = scope.node.tryFindChild('Vpc') as ec2.IVpc | undefined;
    const vpc = existing ?? ec2.Vpc.fromVpcAttributes(scope, 'Vpc', { vpcId: config.network.vpcId, availabilityZones: config.network.availabilityZones, privateSubnetIds: config.network.privateSubnetIds });
    if (!existing) Annotations.of(vpc).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId', 'functions are only placed in these subnets; nothing reads their route tables');
    const securityGroups = config.network.securityGroupIds.map((id, i) => (scope.node.tryFindChild(`Sg${i}`) as ec2.ISecurityGroup | undefined) ?? ec2.SecurityGroup.fromSecurityGroupId(scope, `Sg${i}`, id, { mutable: false }));
    return { vpc, subnets: { subnets: vpc.privateSubnets }, securityGroups: securityGroups.length ? securityGroups : undefined };
  };

  const domainStacks = new Map<string, Stack[]>();
  const stackLoad = new Map<Stack, number>();
  const stackBytes = new Map<Stack, number>();
  const subjects = new Map<string, Map<string, SchemaSubject>>();
  const built = new Map<string, DataProduct>();
  const topicManifest: Record<string, TopicManifest[string]> = {};
  const tokenSecrets = new Map<Stack, secretsmanager.ISecret>();

  const include = options.include ?? (() => true);
  for (const [index, sp] of products.entries()) {
    options.onProduct?.(index, products.length);
    if (!include(sp.id)) continue;
    const domainRef = mesh.domains.get(sp.domain);
    const domain = domains.get(sp.domain);
    if (!domainRef || !domain) continue;
    let def: ProductDefinition;
    try {
      def = productDefinitionFromSpec(sp, domainRef, { schemaVersions: options.schemaVersions, piiGrant: (consumer, source) => piiGrant(config.piiAccess, consumer, source), products: mesh.products });
    } catch (e) {
      const at = e instanceof SpecAdaptError ? sp.document.locate(e.path) : { line: 1, column: 1 };
      diagnostics.push({ severity: 'error', code: 'MESH505', message: `${sp.id} cannot be synthesized: ${(e as Error).message}`, file: sp.file, ...at });
      continue;
    }
    const cost = estimateResources(def, !!config.catalog, erasures.subjectIds);
    const bytes = estimateBytes(def, erasures.subjectIds);
    const stacks = domainStacks.get(sp.domain) ?? [];
    let stack = stacks[stacks.length - 1];
    if (!stack || (stackLoad.get(stack) ?? 0) + cost > config.maxResourcesPerStack || (stackBytes.get(stack) ?? 0) + bytes > MAX_TEMPLATE_BYTES) {
      const n = stacks.length + 1;
      stack = new Stack(app, `${prefix}-${pascalCase(sp.domain)}${n > 1 ? `-${n}` : ''}`, { env, description: `data-mesh domain ${sp.domain}: data products${n > 1 ? ` (part ${n})` : ''}` });
      stack.addStackDependency(platformStack);
      stacks.push(stack);
      domainStacks.set(sp.domain, stacks);
      stackLoad.set(stack, STACK_OVERHEAD);
      stackBytes.set(stack, 60_000);
      if (n > 1) diagnostics.push({ severity: 'info', code: 'MESH506', message: `domain ${sp.domain} is split: ${stack.stackName} starts at ${sp.id} (stacks hold at most ${config.maxResourcesPerStack} resources and about ${MAX_TEMPLATE_BYTES / 1000} KB of template)`, file: sp.file, line: 1, column: 1 });
    }
    stackLoad.set(stack, (stackLoad.get(stack) ?? 0) + cost);
    stackBytes.set(stack, (stackBytes.get(stack) ?? 0) + bytes);
    let tokenSecret: secretsmanager.ISecret | undefined;
    if (config.catalog?.tokenSecretArn) {
      tokenSecret = tokenSecrets.get(stack) ?? secretsmanager.Secret.fromSecretCompleteArn(stack, 'DataHubToken', config.catalog.tokenSecretArn);
      tokenSecrets.set(stack, tokenSecret);
    }
    const domainSubjects = subjects.get(sp.domain) ?? new Map<string, SchemaSubject>();
    subjects.set(sp.domain, domainSubjects);
    try {
      const dp = new DataProduct(stack, pascalCase(sp.name), {
        product: def, domain, dataKey: platform.key,
        streaming: config.streaming,
        topicManifest: options.topicManifest,
        subjects: domainSubjects,
        catalogServerUrl: config.catalog?.datahubUrl,
        catalogTokenSecret: tokenSecret,
        network: network(stack),
        erasures,
      });
      built.set(sp.id, dp);
      if (lifecycleStatus(def) === 'retired') archiveRetiredData(platform.dataBuckets, def);
      for (const t of dp.topics.values()) topicManifest[t.manifestKey] = t.manifestEntry;
      for (const { topic } of dp.piiProjections.values()) topicManifest[topic.manifestKey] = topic.manifestEntry;
    } catch (e) {
      const message = (e as Error).message;
      const portIndex = def.outputPorts.findIndex((o) => message.includes(o.name) || (o.topic && message.includes(o.topic)));
      const replacing = (e as Error).name === 'TopicReplacementError';
      const at = portIndex >= 0 ? sp.document.locate(['spec', 'outputPorts', portIndex, replacing ? 'topic' : 'name']) : { line: 1, column: 1 };
      diagnostics.push({ severity: 'error', code: replacing ? 'MESH502' : 'MESH505', message: `${sp.id}: ${message}`, file: sp.file, ...at });
      stack.node.tryRemoveChild(pascalCase(sp.name));
    }
  }

  // Lake Formation grants: one access stack (split like the domains), deployed after every domain stack.
  const accessStacks: Stack[] = [];
  let access: Stack | undefined;
  let accessLoad = 0;
  for (const [id, dp] of built) {
    // A retired product grants no one, a shadow one only its own domain (the spec's MESH124, MESH125 say so at the reader).
    const edges = mesh.consumersOf(id).filter((e) => built.has(e.consumer.id) || (!include(e.consumer.id) && mesh.products.has(e.consumer.id) && !mesh.invalidProducts.has(e.consumer.id)))
      .filter((e) => mayGrant(dp.definition, e.consumer.id));
    if (edges.length === 0 || dp.tables.size === 0) continue;
    const cost = dp.tables.size * edges.length;
    if (!access || accessLoad + cost > config.maxResourcesPerStack) {
      const n = accessStacks.length + 1;
      access = new Stack(app, `${prefix}-${PLATFORM_STACKS.access}${n > 1 ? `-${n}` : ''}`, { env, description: 'data-mesh Lake Formation grants of every lineage edge' });
      for (const stacks of domainStacks.values()) for (const s of stacks) access.addStackDependency(s);
      accessStacks.push(access);
      accessLoad = 0;
    }
    accessLoad += cost;
    dp.grantConsumers(access, pascalCase(id), edges.map((e) => ({
      consumer: e.consumer.id,
      principalArn: pipelineRoleArn(access!, e.consumer.domain, e.consumer.name),
      fields: e.spec.fields,
      piiAuthorized: lakeFormationPii(piiGrant(config.piiAccess, e.consumer.id, id)),
      ports: e.spec.port === undefined ? undefined : [e.spec.port],
    })));
  }

  // A dashboard per domain; its metrics are named by literal dimensions, so it needs no reference to the domain stacks.
  const dashboardStacks: Stack[] = [];
  const readers = [...built.values()].map((dp) => dp.definition);
  let dashboardBytes = 0;
  for (const domain of [...mesh.domains.keys()].sort()) {
    const products = readers.filter((r) => r.domain === domain);
    const bytes = products.reduce((a, r) => a + r.outputPorts.length * 4 * 900, 2_000);
    if (products.length === 0) continue;
    if (dashboardStacks.length === 0 || dashboardBytes + bytes > MAX_TEMPLATE_BYTES) {
      const n = dashboardStacks.length + 1;
      dashboardStacks.push(new Stack(app, `${prefix}-${PLATFORM_STACKS.dashboards}${n > 1 ? `-${n}` : ''}`, { env, description: 'data-mesh CloudWatch dashboards: consumer lag, throughput, error rate, freshness, quality, availability per domain' }));
      dashboardBytes = 0;
    }
    dashboardBytes += bytes;
    new DomainDashboard(dashboardStacks[dashboardStacks.length - 1], `Dashboard${pascalCase(domain)}`, { domain, products, readers, clusterArn: config.streaming.clusterArn });
  }

  // The policy decision function, in a stack of its own (see addDecisionFunction).
  const governanceStack = options.decisionPolicy ? addDecisionFunction(app, config, options.decisionPolicy).stack : undefined;
  if (!governanceStack) diagnostics.push(missingDecisionPolicy());

  return { app, platformStack, domainStacks, accessStacks, dashboardStacks, products: built, governanceStack, topicManifest };
}

/** A consumer's PII columns as Lake Formation grants them: all, the authorized fields' only, or none. */
function lakeFormationPii(grant: PiiGrant | undefined): boolean | readonly string[] {
  return grant === undefined ? false : grant.fields ?? true;
}

/** The construct-id form of a name (`@data-mesh/spec`'s, which the validator checks for collisions). */
export const pascalCase = constructName;
