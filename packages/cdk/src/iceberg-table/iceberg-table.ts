import { CustomResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeWildcard } from '../common/nag';
import { stackSingletonFunction } from '../common/lambda';
import { dataRemovalPolicy } from '../common/removal-policy';
import { buildIcebergSchema, buildPartitionSpec, IcebergPartitionSpec, IcebergJsonSchema } from './iceberg-schema';
import { IcebergTableProps } from './iceberg-table-props';

/** An Iceberg table as other constructs see it. */
export interface IIcebergTable {
  readonly databaseName: string;
  readonly tableName: string;
  readonly tableArn: string;
  readonly location: string;
  grantRead(grantee: iam.IGrantable): iam.Grant;
  grantWrite(grantee: iam.IGrantable): iam.Grant;
}

const TABLE_NAME = /^[a-z0-9_]{1,255}$/;

/** `s3://bucket/a/b/` -> { bucket, prefix: 'a/b/' } */
export function parseS3Location(location: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/?(.*)$/.exec(location);
  if (!m) throw new Error(`"${location}" is not an s3://bucket/prefix location`);
  const prefix = m[2] === '' || m[2].endsWith('/') ? m[2] : `${m[2]}/`;
  return { bucket: m[1], prefix };
}

/**
 * An Apache Iceberg table in the Glue Data Catalog, created and evolved by a custom resource
 * that calls Glue's CreateTable (OpenTableFormatInput.IcebergInput) and UpdateTable
 * (UpdateOpenTableFormatInput: schema, partition spec, properties).
 *
 * Why a custom resource rather than AWS::Glue::Table's OpenTableFormatInput or AWS::S3Tables::Table:
 * - AWS::Glue::Table's Iceberg support creates the table but updates through CloudFormation
 *   rewrite the table input and drop `table_type=ICEBERG`/the metadata pointer (public reports
 *   of rolled-back stacks), and it has no way to evolve the Iceberg schema with stable field ids;
 * - AWS::S3Tables::Table's IcebergMetadata is replacement-only: adding a column recreates
 *   (empties) the table;
 * - Glue's Iceberg API writes a new metadata.json with the evolved schema and keeps the table,
 *   its snapshots and its field ids: it survives create, update and schema evolution.
 * The Delete handler keeps the table unless DESTROY was allowed, and never touches S3 data.
 */
export class IcebergTable extends Construct implements IIcebergTable {
  readonly databaseName: string;
  readonly tableName: string;
  readonly tableArn: string;
  readonly location: string;
  readonly schema: IcebergJsonSchema;
  readonly partitionSpec: IcebergPartitionSpec;
  readonly properties: Readonly<Record<string, string>>;
  readonly resource: CustomResource;
  private readonly bucketName: string;
  private readonly prefix: string;
  private readonly props: IcebergTableProps;

  constructor(scope: Construct, id: string, props: IcebergTableProps) {
    super(scope, id);
    if (!TABLE_NAME.test(props.tableName)) throw new Error(`IcebergTable ${this.node.path}: table name "${props.tableName}" must match ${TABLE_NAME}`);
    if (props.columns.length === 0) throw new Error(`IcebergTable ${this.node.path}: a table needs at least one column`);
    const { bucket, prefix } = parseS3Location(props.location);
    this.props = props;
    this.bucketName = bucket;
    this.prefix = prefix;
    this.databaseName = props.database.databaseName;
    this.tableName = props.tableName;
    this.location = `s3://${bucket}/${prefix}`;

    try {
      this.schema = buildIcebergSchema([...(props.previousColumns ?? []), props.columns]).schema;
      this.partitionSpec = buildPartitionSpec(props.partitioning, this.schema, props.timeColumn);
    } catch (e) {
      throw new Error(`IcebergTable ${this.node.path}: ${(e as Error).message}`);
    }
    this.properties = {
      'format-version': '2',
      'write.format.default': 'parquet',
      'write.parquet.compression-codec': 'zstd',
      ...props.properties,
    };

    const stack = Stack.of(this);
    const catalogId = props.database.catalogId ?? stack.account;
    this.tableArn = stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${this.tableName}` });
    const fn = stackSingletonFunction(this, {
      handler: 'iceberg-table',
      description: 'Creates and evolves Iceberg tables in the Glue Data Catalog (data-mesh IcebergTable)',
      network: props.network,
    });
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable', 'glue:GetDatabase', ...(dataRemovalPolicy(this, props.removalPolicy) === RemovalPolicy.DESTROY ? ['glue:DeleteTable'] : [])],
      resources: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
        this.tableArn,
      ],
    }));
    // Glue writes the table's metadata.json under the location as the caller.
    const metadataObjects = `arn:${stack.partition}:s3:::${bucket}/${prefix}metadata/*`;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [metadataObjects] }));
    acknowledgeWildcard(fn.role!, metadataObjects, 'Glue writes metadata.json files with generated names; access is limited to the table\'s metadata/ prefix');
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [`arn:${stack.partition}:s3:::${bucket}`],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }));
    props.encryptionKey?.grant(fn, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::IcebergTable',
      properties: {
        CatalogId: catalogId,
        DatabaseName: this.databaseName,
        TableName: this.tableName,
        Location: this.location,
        Description: props.description ?? '',
        // JSON strings: CloudFormation hands custom resources every scalar as a string.
        Schema: JSON.stringify(this.schema),
        PartitionSpec: JSON.stringify(this.partitionSpec),
        TableProperties: JSON.stringify(this.properties),
        DeleteTableOnDelete: dataRemovalPolicy(this, props.removalPolicy) === RemovalPolicy.DESTROY ? 'true' : 'false',
      },
    });
    this.resource.applyRemovalPolicy(dataRemovalPolicy(this, props.removalPolicy));
  }

  private objectArns(): { objects: string; bucket: string } {
    const partition = Stack.of(this).partition;
    return { objects: `arn:${partition}:s3:::${this.bucketName}/${this.prefix}*`, bucket: `arn:${partition}:s3:::${this.bucketName}` };
  }

  private catalogArns(): string[] {
    const stack = Stack.of(this);
    return [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
      this.tableArn,
    ];
  }

  /** Read the table: catalog metadata, data and metadata files under the location, the bucket key. */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    const { objects, bucket } = this.objectArns();
    const grant = iam.Grant.addToPrincipal({ grantee, actions: ['glue:GetTable', 'glue:GetTables', 'glue:GetDatabase', 'glue:GetPartitions'], resourceArns: this.catalogArns() });
    grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [objects] }));
    acknowledgeObjects(grantee, objects);
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket], conditions: { StringLike: { 's3:prefix': [`${this.prefix}*`] } } }));
    this.props.encryptionKey?.grantDecrypt(grantee);
    return grant;
  }

  /** Commit to the table (a producing pipeline): read, plus UpdateTable and object writes under the location. */
  grantWrite(grantee: iam.IGrantable): iam.Grant {
    const { objects } = this.objectArns();
    const grant = this.grantRead(grantee);
    grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ['glue:UpdateTable'], resourceArns: this.catalogArns() }));
    grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], resourceArns: [objects] }));
    this.props.encryptionKey?.grant(grantee, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    return grant;
  }
}

function acknowledgeObjects(grantee: iam.IGrantable, objects: string): void {
  const principal = grantee.grantPrincipal as unknown as IConstruct;
  if (principal && typeof (principal as { node?: unknown }).node === 'object') {
    acknowledgeWildcard(principal, objects, 'data and metadata files of an Iceberg table have generated names; access is limited to the table location prefix');
  }
}
