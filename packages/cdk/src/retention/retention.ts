import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcard } from '../common/nag';
import { literalBucketName } from '../common/names';
import { parseS3Location } from '../iceberg-table/iceberg-table';
import { RetentionProps } from './retention-props';

/**
 * Retention by the mechanism that is safe for each kind of storage:
 *
 * - Iceberg tables: Glue Data Catalog table optimizers (`AWS::Glue::TableOptimizer`) of type
 *   `retention` (snapshot expiration, deleting the files only expired snapshots reference) and
 *   `orphan_file_deletion`. Never an S3 lifecycle expiration under a table location: Iceberg
 *   metadata would still reference the expired data files and every read would fail with NoSuchKey.
 * - Plain prefixes: an S3 lifecycle expiration rule. A prefix that overlaps a table location is
 *   rejected at synth.
 */
export class Retention extends Construct {
  /** The optimizers created, by table name. */
  readonly optimizers: glue.CfnTableOptimizer[] = [];
  /** The role Glue assumes to run the optimizers (when there is a table). */
  readonly optimizerRole?: iam.IRole;

  constructor(scope: Construct, id: string, props: RetentionProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) throw new Error(`Retention ${this.node.path}: retentionDays must be a positive integer`);
    const tables = props.tables ?? [];

    for (const p of props.plainPrefixes ?? []) {
      for (const t of tables) {
        const loc = parseS3Location(t.table.location);
        const name = literalBucketName(p.bucket);
        // an unnamed bucket might be the table's: judge by the prefixes alone
        if ((name === undefined || name === loc.bucket) && (loc.prefix.startsWith(p.prefix) || p.prefix.startsWith(loc.prefix))) {
          throw new Error(`Retention ${this.node.path}: lifecycle prefix "${p.prefix}" overlaps Iceberg table ${t.table.tableName} at ${t.table.location}; S3 expiration would delete files the table metadata still references`);
        }
      }
      p.bucket.addLifecycleRule({ id: `retention-${p.prefix.replace(/[^A-Za-z0-9]/g, '-')}`, prefix: p.prefix, expiration: Duration.days(props.retentionDays) });
    }

    if (tables.length === 0) return;
    const stack = Stack.of(this);
    const role = props.optimizerRole ?? sharedOptimizerRole(stack);
    this.optimizerRole = role;
    for (const [i, t] of tables.entries()) {
      t.table.grantWrite(role);
      const snapshotDays = Math.min(t.snapshotRetentionDays ?? 7, props.retentionDays);
      const retention = new glue.CfnTableOptimizer(this, `SnapshotExpiry${i}`, {
        catalogId: stack.account,
        databaseName: t.table.databaseName,
        tableName: t.table.tableName,
        type: 'retention',
        tableOptimizerConfiguration: {
          roleArn: role.roleArn,
          enabled: true,
          retentionConfiguration: {
            icebergConfiguration: {
              snapshotRetentionPeriodInDays: snapshotDays,
              numberOfSnapshotsToRetain: t.snapshotsToRetain ?? 1,
              cleanExpiredFiles: true,
            },
          },
        },
      });
      const orphans = new glue.CfnTableOptimizer(this, `OrphanFiles${i}`, {
        catalogId: stack.account,
        databaseName: t.table.databaseName,
        tableName: t.table.tableName,
        type: 'orphan_file_deletion',
        tableOptimizerConfiguration: {
          roleArn: role.roleArn,
          enabled: true,
          orphanFileDeletionConfiguration: { icebergConfiguration: { orphanFileRetentionPeriodInDays: Math.max(3, snapshotDays) } },
        },
      });
      for (const o of [retention, orphans]) {
        o.node.addDependency(t.table);
        o.node.addDependency(role);
        this.optimizers.push(o);
      }
    }
  }
}

function sharedOptimizerRole(stack: Stack): iam.IRole {
  const id = 'DataMeshTableOptimizerRole';
  const existing = stack.node.tryFindChild(id) as iam.Role | undefined;
  if (existing) return existing;
  const role = new iam.Role(stack, id, {
    assumedBy: new iam.ServicePrincipal('glue.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
    description: 'Glue table optimizers of the data-mesh tables in this stack: Iceberg snapshot expiration and orphan-file deletion',
  });
  const glueLogs = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws-glue/iceberg*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], resources: [glueLogs] }));
  acknowledgeWildcard(role, glueLogs, 'Glue table optimizers write to log groups it names under /aws-glue/iceberg');
  return role;
}
