import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, ILocalBundling, RemovalPolicy, Stack, DockerImage, Validations } from 'aws-cdk-lib';
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
  /** npm packages (resolved from this package) copied next to the handler at synth time. @default - none */
  readonly bundledModules?: string[];
  /** @default - not in a VPC */
  readonly network?: FunctionNetwork;
  /** Key encrypting the log group. @default - CloudWatch Logs' own encryption */
  readonly logKey?: kms.IKey;
}

/** Copies a handler folder and the named node_modules into the asset: no Docker, no network. */
class CopyBundling implements ILocalBundling {
  constructor(private readonly source: string, private readonly modules: string[]) {}
  tryBundle(outputDir: string): boolean {
    fs.cpSync(this.source, outputDir, { recursive: true });
    for (const mod of this.modules) {
      const dir = path.dirname(require.resolve(`${mod}/package.json`));
      fs.cpSync(dir, path.join(outputDir, 'node_modules', mod), { recursive: true, filter: (src) => !/\.(map|md|d\.ts)$/.test(src) && !src.includes(`${path.sep}types${path.sep}`) });
    }
    return true;
  }
}

/**
 * One function per stack and handler, shared by every construct of that stack that needs it
 * (schedules pass what to measure in their input; custom resources in their properties). It has
 * its own role (no managed policies), and a log group created beside it and retained.
 */
export function stackSingletonFunction(scope: Construct, options: SharedFunctionOptions): lambda.Function {
  const stack = Stack.of(scope);
  const id = `DataMesh${options.handler.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}Function`;
  const existing = stack.node.tryFindChild(id) as lambda.Function | undefined;
  if (existing) return existing;

  const source = path.join(HANDLERS_DIR, options.handler);
  const modules = options.bundledModules ?? [];
  const code = modules.length === 0
    ? lambda.Code.fromAsset(source)
    : lambda.Code.fromAsset(source, {
      bundling: { image: DockerImage.fromRegistry('unused-local-bundling'), local: new CopyBundling(source, modules) },
    });

  const role = new iam.Role(stack, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Runs the data-mesh ${options.handler} function`,
  });
  const logGroup = new logs.LogGroup(stack, `${id}Logs`, {
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
  const fn = new lambda.Function(stack, id, {
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
