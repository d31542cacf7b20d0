import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePiiAccess, type PiiAccess } from '@data-mesh/policy';
import { parseYaml, type Diagnostic } from '@data-mesh/spec';

/** Environment settings of the app, from `infra/config.yaml` (or the example). */
export interface InfraConfig {
  readonly account: string;
  readonly region: string;
  readonly stackPrefix: string;
  readonly streaming: { readonly clusterArn: string; readonly bootstrapBrokers: string; readonly partitions?: number; readonly replicationFactor?: number };
  readonly network?: { readonly vpcId: string; readonly availabilityZones: string[]; readonly privateSubnetIds: string[]; readonly securityGroupIds: string[] };
  readonly catalog?: { readonly datahubUrl: string; readonly tokenSecretArn?: string };
  readonly pagerduty: Readonly<Record<string, string>>;
  readonly lakeFormationAdmins: string[];
  /** Who may read which products' PII: `piiAccess` pairs, and the older consumer-wide list. */
  readonly piiAccess: PiiAccess;
  readonly bytesScannedCutoffPerQuery?: number;
  readonly maxResourcesPerStack: number;
  /** IAM roles that may ask the policy decision function for decisions (its URL, IAM-authenticated). */
  readonly decisionCallers: string[];
}

export const CONFIG_FILE = 'infra/config.yaml';
export const EXAMPLE_CONFIG_FILE = 'infra/config.example.yaml';

type Raw = Record<string, unknown>;

/**
 * Reads the app's config: `configFile` when given, else `infra/config.yaml`, else the example
 * (MESH501 warning). Problems are MESH501 errors at the offending key; the config is undefined then.
 */
export function loadInfraConfig(root: string, configFile?: string): { config?: InfraConfig; diagnostics: Diagnostic[]; file: string } {
  const diagnostics: Diagnostic[] = [];
  let rel = configFile ?? CONFIG_FILE;
  if (!configFile && !fs.existsSync(path.join(root, CONFIG_FILE))) {
    // the example beside the mesh, else the one shipped with this app
    rel = fs.existsSync(path.join(root, EXAMPLE_CONFIG_FILE)) ? EXAMPLE_CONFIG_FILE : path.join(__dirname, '..', 'config.example.yaml');
    diagnostics.push({ severity: 'warning', code: 'MESH501', message: `${CONFIG_FILE} not found: synthesizing with the example settings (placeholder account, cluster and endpoints)`, file: EXAMPLE_CONFIG_FILE, line: 1, column: 1, hint: `copy ${EXAMPLE_CONFIG_FILE} to ${CONFIG_FILE} and set your environment` });
  }
  const abs = path.resolve(root, rel);
  const file = path.relative(root, abs).split(path.sep).join('/');
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    diagnostics.push({ severity: 'error', code: 'MESH501', message: `cannot read the infra config: ${(e as Error).message}`, file, line: 1, column: 1 });
    return { diagnostics, file };
  }
  const parsed = parseYaml(file, text);
  if ('failure' in parsed) {
    const { message, position } = parsed.failure;
    diagnostics.push({ severity: 'error', code: 'MESH501', message: `infra config is not valid YAML: ${message}`, file, line: position.line, column: position.column });
    return { diagnostics, file };
  }
  const { document } = parsed;
  const at = (keys: string[]): { line: number; column: number } => {
    const { line, column } = document.locate(keys, 'key');
    return { line, column };
  };
  const data = (document.data ?? {}) as Raw;
  const errors: Diagnostic[] = [];
  const err = (keys: string[], message: string) => errors.push({ severity: 'error', code: 'MESH501', message: `infra config ${keys.join('.')}: ${message}`, file, ...at(keys) });
  const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
  const str = (keys: string[], required: boolean, pattern?: RegExp): string | undefined => {
    let v: unknown = data;
    for (const k of keys) v = obj(v)[k];
    if (v === undefined || v === null) { if (required) err(keys, 'is required'); return undefined; }
    if (typeof v !== 'string') { err(keys, 'must be a string'); return undefined; }
    if (pattern && !pattern.test(v)) { err(keys, `"${v}" does not match ${pattern}`); return undefined; }
    return v;
  };
  const num = (keys: string[], min: number): number | undefined => {
    let v: unknown = data;
    for (const k of keys) v = obj(v)[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) { err(keys, `must be an integer >= ${min}`); return undefined; }
    return v;
  };
  const list = (keys: string[], pattern?: RegExp): string[] => {
    let v: unknown = data;
    for (const k of keys) v = obj(v)[k];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || (pattern && !pattern.test(x)))) { err(keys, `must be a list of strings${pattern ? ` matching ${pattern}` : ''}`); return []; }
    return v as string[];
  };
  const known = ['environment', 'streaming', 'network', 'catalog', 'pagerduty', 'lakeFormation', 'piiAccess', 'athena', 'limits', 'governance'];
  for (const k of Object.keys(data)) if (!known.includes(k)) err([k], `unknown key; expected one of ${known.join(', ')}`);

  const account = str(['environment', 'account'], true, /^\d{12}$/);
  const region = str(['environment', 'region'], true, /^[a-z]{2}(-[a-z]+)+-\d$/);
  const stackPrefix = str(['environment', 'stackPrefix'], false, /^[A-Za-z][A-Za-z0-9-]{0,40}$/) ?? 'DataMesh';
  const clusterArn = str(['streaming', 'clusterArn'], true, /^arn:aws[a-z-]*:kafka:[^:]+:\d{12}:cluster\/[^/]+\/[^/]+$/);
  const bootstrapBrokers = str(['streaming', 'bootstrapBrokers'], true);
  const partitions = num(['streaming', 'partitions'], 1);
  const replicationFactor = num(['streaming', 'replicationFactor'], 1);
  let network: InfraConfig['network'];
  if (data.network !== undefined) {
    const vpcId = str(['network', 'vpcId'], true, /^vpc-[0-9a-f]+$/);
    const availabilityZones = list(['network', 'availabilityZones']);
    const privateSubnetIds = list(['network', 'privateSubnetIds'], /^subnet-[0-9a-f]+$/);
    const securityGroupIds = list(['network', 'securityGroupIds'], /^sg-[0-9a-f]+$/);
    if (privateSubnetIds.length === 0) err(['network', 'privateSubnetIds'], 'needs at least one subnet');
    if (availabilityZones.length !== privateSubnetIds.length) err(['network', 'availabilityZones'], 'needs one zone per private subnet');
    if (vpcId) network = { vpcId, availabilityZones, privateSubnetIds, securityGroupIds };
  }
  let catalog: InfraConfig['catalog'];
  if (data.catalog !== undefined) {
    const datahubUrl = str(['catalog', 'datahubUrl'], true, /^https:\/\//);
    const tokenSecretArn = str(['catalog', 'tokenSecretArn'], false, /^arn:aws[a-z-]*:secretsmanager:/);
    if (datahubUrl) catalog = { datahubUrl, tokenSecretArn };
  }
  const pagerduty: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(data.pagerduty))) {
    if (typeof v !== 'string' || !v.startsWith('https://')) err(['pagerduty', k], 'must be an https:// integration URL');
    else pagerduty[k] = v;
  }
  const pii = parsePiiAccess(document, file);
  errors.push(...pii.diagnostics);
  for (const c of pii.access.consumerWide) {
    diagnostics.push({ severity: 'warning', code: 'MESH501', message: `infra config lakeFormation.piiAuthorizedConsumers is deprecated: ${c.consumer} is authorized for every PII field of every product it consumes`, file, ...c.at, hint: `move it to piiAccess: one entry per source it needs PII of, with the fields and a reason (see ${EXAMPLE_CONFIG_FILE})` });
  }
  const config: InfraConfig = {
    account: account ?? '', region: region ?? '', stackPrefix,
    streaming: { clusterArn: clusterArn ?? '', bootstrapBrokers: bootstrapBrokers ?? '', partitions, replicationFactor },
    network, catalog, pagerduty,
    lakeFormationAdmins: list(['lakeFormation', 'admins'], /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\//),
    piiAccess: pii.access,
    bytesScannedCutoffPerQuery: num(['athena', 'bytesScannedCutoffPerQuery'], 10_000_000),
    maxResourcesPerStack: Math.min(num(['limits', 'maxResourcesPerStack'], 50) ?? 450, 490),
    decisionCallers: list(['governance', 'decisionCallers'], /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/),
  };
  diagnostics.push(...errors);
  return { config: errors.length === 0 ? config : undefined, diagnostics, file };
}
