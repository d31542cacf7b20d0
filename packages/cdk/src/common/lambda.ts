import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AssetHashType, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The folder holding the Lambda handlers shipped with this package (plain CommonJS, AWS SDK v3 from the runtime). */
export const HANDLERS_DIR = path.join(__dirname, '..', '..', 'lambda');

/** The runtime of every function this library creates. */
export const HANDLER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Network placement for functions that must reach private endpoints (MSK brokers, DataHub GMS). */
export interface FunctionNetwork {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Subnets; @default - the VPC's private subnets */
  readonly subnets?: ec2.SubnetSelection;
  /** Security groups; @default - one created by the function */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/** Options of {@link stackSingletonFunction}. */
export interface SharedFunctionOptions {
  /** Folder name under `lambda/`. */
  readonly handler: string;
  readonly description: string;
  /** @default 60 seconds */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** npm packages (resolved from this package) shipped next to the handler. @default - none */
  readonly bundledModules?: string[];
  /** @default - not in a VPC */
  readonly network?: FunctionNetwork;
  /**
   * Files added to the asset (name -> content), e.g. a compiled policy. A function with files is
   * one per construct, not per stack; give `id` then.
   * @default - none
   */
  readonly files?: Readonly<Record<string, Buffer | string>>;
  /** Construct id of the function (required with `files`). @default - derived from the handler, one per stack */
  readonly id?: string;
  /** Scope of the function. @default - the stack */
  readonly scope?: Construct;
  /** Key encrypting the log group. @default - CloudWatch Logs' own encryption */
  readonly logKey?: kms.IKey;
}

/**
 * A handler folder with the named node_modules copied beside it, staged once per package version
 * under the OS temp folder (content-addressed, written atomically), so synth needs no Docker,
 * no network and no bundling step, and every stack shares one asset.
 */
/** The folder of an installed package, also for packages whose `exports` hide package.json. */
export function moduleDir(mod: string): string {
  try {
    return path.dirname(require.resolve(`${mod}/package.json`));
  } catch {
    let dir = path.dirname(require.resolve(mod));
    for (;;) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === mod) return dir;
      const up = path.dirname(dir);
      if (up === dir) throw new Error(`cannot find the folder of package ${mod}`);
      dir = up;
    }
  }
}

const hashes = new Map<string, { key: string; versions: string[] }>();

/** A content key of a handler folder (its files) and the versions of the modules shipped with it. */
function handlerKey(source: string, modules: readonly string[]): { key: string; versions: string[] } {
  const id = `${source}\0${modules.join(',')}`;
  let k = hashes.get(id);
  if (!k) {
    const versions = modules.map((m) => {
      const pkg = path.join(moduleDir(m), 'package.json');
      return `${m}@${(JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version}`;
    });
    const text = fs.readdirSync(source).sort().map((f) => `${f}\0${fs.readFileSync(path.join(source, f), 'utf8')}`).join('\0');
    k = { key: createHash('sha256').update(`${text}\0${versions.join(',')}`).digest('hex'), versions };
    hashes.set(id, k);
  }
  return k;
}

function handlerHash(source: string, modules: readonly string[]): string {
  return handlerKey(source, modules).key;
}

function stagedHandler(source: string, modules: readonly string[]): string {
  const { key: fullKey, versions } = handlerKey(source, modules);
  const key = fullKey.slice(0, 16);
  const dir = path.join(os.tmpdir(), 'data-mesh-cdk-assets', `${path.basename(source)}-${key}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  const tmp = `${dir}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.cpSync(source, tmp, { recursive: true });
  for (const mod of modules) {
    const from = moduleDir(mod);
    fs.cpSync(from, path.join(tmp, 'node_modules', mod), { recursive: true, filter: (src) => !/\.(map|md|ts)$/.test(src) || src.endsWith('.js') });
  }
  fs.writeFileSync(path.join(tmp, '.complete'), versions.join('\n'));
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process staged it first
  }
  return dir;
}

/**
 * One function per stack and handler, shared by every construct of that stack that needs it
 * (schedules pass what to measure in their input; custom resources in their properties). It has
 * its own role (no managed policies), and a log group created beside it and retained.
 */
export function stackSingletonFunction(scope: Construct, options: SharedFunctionOptions): lambda.Function {
  const stack = Stack.of(scope);
  if (options.files && !options.id) throw new Error('a function with files needs an id');
  const id = options.id ?? `DataMesh${options.handler.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}Function`;
  const parent = options.scope ?? stack;
  const existing = parent.node.tryFindChild(id) as lambda.Function | undefined;
  if (existing) return existing;

  const source = path.join(HANDLERS_DIR, options.handler);
  const modules = options.bundledModules ?? [];
  // The hash is computed once per process from the handler text and module versions, so stacks
  // do not fingerprint the (large) folder again and again.
  let dir = modules.length === 0 ? source : stagedHandler(source, modules);
  let hash = handlerHash(source, modules);
  if (options.files) {
    const h = createHash('sha256').update(hash);
    for (const [name, content] of Object.entries(options.files).sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`\0${name}\0`).update(content);
    hash = h.digest('hex');
    const withFiles = path.join(os.tmpdir(), 'data-mesh-cdk-assets', `${options.handler}-files-${hash.slice(0, 16)}`);
    if (!fs.existsSync(path.join(withFiles, '.complete'))) {
      fs.cpSync(dir, withFiles, { recursive: true });
      for (const [name, content] of Object.entries(options.files)) fs.writeFileSync(path.join(withFiles, name), content);
      fs.writeFileSync(path.join(withFiles, '.complete'), hash);
    }
    dir = withFiles;
  }
  const code = lambda.Code.fromAsset(dir, { exclude: ['.complete'], assetHashType: AssetHashType.CUSTOM, assetHash: hash });

  const role = new iam.Role(parent, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Runs the data-mesh ${options.handler} function`,
  });
  const logGroup = new logs.LogGroup(parent, `${id}Logs`, {
    retention: logs.RetentionDays.ONE_YEAR,
    encryptionKey: options.logKey,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  logGroup.grantWrite(role);
  if (options.network) {
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
      resources: ['*'],
    }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ENI management for a VPC function: these EC2 actions do not support resource-level permissions',
    });
  }
  const fn = new lambda.Function(parent, id, {
    runtime: HANDLER_RUNTIME,
    handler: 'index.handler',
    code,
    description: options.description,
    timeout: options.timeout ?? Duration.seconds(60),
    memorySize: options.memorySize ?? 256,
    role,
    logGroup,
    vpc: options.network?.vpc,
    vpcSubnets: options.network?.subnets,
    securityGroups: options.network?.securityGroups,
    allowPublicSubnet: false,
  });
  return fn;
}
