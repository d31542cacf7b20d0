import { compileSql, parseUptime, referencesIn } from '@data-mesh/spec';
import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CatalogRegistration, datasetUrn } from '../catalog-registration/catalog-registration';
import { boundedName, glueName, pascal } from '../common/names';
import { acknowledgeWildcard } from '../common/nag';
import { FreshnessMonitor } from '../freshness-monitor/freshness-monitor';
import { IcebergTable } from '../iceberg-table/iceberg-table';
import { KafkaTopic } from '../kafka-topic/kafka-topic';
import { ConsumerGrant } from '../lake-formation-grants/lake-formation-grants-props';
import { LakeFormationGrants } from '../lake-formation-grants/lake-formation-grants';
import { needsPiiProjection, PII_FREE_SUFFIX, PiiProjection } from '../pii-projection/pii-projection';
import { QualityRuleset } from '../quality-ruleset/quality-ruleset';
import { Erasure } from '../erasure/erasure';
import { Retention, snapshotRetentionProperties } from '../retention/retention';
import { SchemaSubject } from '../schema-subject/schema-subject';
import { DataProductProps, PortDefinition, ProductDefinition, ProductQualityCheck, QualityPlacement } from './data-product-props';

/**
 * The Kafka consumer group of a consumer product (`<domain>.<product>`): its pipeline role may
 * use every group with this prefix, and the domain dashboards show the lag of exactly this group.
 */
export function consumerGroupName(domain: string, product: string): string {
  return `${domain}.${product}`;
}

/** `row`: every record must satisfy the rule (the SDK can judge it at publish time); `aggregate`: a verdict on the whole data. */
export function qualityRuleLevel(check: ProductQualityCheck): 'row' | 'aggregate' | undefined {
  if (!check.expression) return undefined;
  // where a REFERENCES target lives does not change the level
  return compileSql(check.expression, 'athena', { relation: ['t'], referenceRelation: () => ['r'] }).level;
}
import { grantableConsumers, lifecycleStatus, portDeprecation } from './lifecycle';

/** The pipeline role name of a product: deterministic, so other stacks can name it without a reference. */
export function pipelineRoleName(domain: string, product: string): string {
  return boundedName(`dm-${domain}-${product}-pipeline`, 64);
}

/** ARN of {@link pipelineRoleName} in the stack's account. */
export function pipelineRoleArn(scope: Construct, domain: string, product: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:iam::${stack.account}:role/${pipelineRoleName(domain, product)}`;
}

/** Glue table name of a batch port (`glueTableName` of `@data-mesh/spec`: `<product_snake>_<port>`). */
export function portTableName(product: string, port: string): string {
  return glueName(product, port);
}

/** DataHub URN of a port. */
export function portUrn(domain: string, product: string, port: Pick<PortDefinition, 'type' | 'topic' | 'name'>, databaseName?: string): string {
  return port.type === 'stream'
    ? datasetUrn('kafka', port.topic!)
    : datasetUrn('iceberg', `${databaseName ?? `${domain.replace(/-/g, '_')}_domain`}.${portTableName(product, port.name)}`);
}

/**
 * A data product's infrastructure, composed from its definition:
 * - stream ports: {@link SchemaSubject} (Glue registry of the domain), {@link KafkaTopic}
 *   (retention from `retention_days`), {@link FreshnessMonitor} on the newest record, and a
 *   {@link PiiProjection} (`<topic>.pii-free`) when the port's schema holds PII fields;
 * - batch ports: {@link IcebergTable} (columns from the Avro schema, partition spec from
 *   `partitioning`), {@link Retention} (a daily job deleting rows older than `retention_days`,
 *   then VACUUM), {@link QualityRuleset} for the checks whose columns the table has,
 *   {@link FreshnessMonitor} on the current snapshot;
 * - with a `subjectIdColumn` and an erasure list: {@link Erasure} (a daily job deleting the
 *   erased subjects' rows from every table, with an audit record);
 * - a pipeline role (produce to its topics, commit to its tables, read its inputs' topics);
 * - {@link CatalogRegistration} of every port.
 * Its lifecycle (`definition.lifecycle`) changes what it gets: a shadow product grants nothing
 * outside its domain and is catalogued as not authoritative; a deprecated one's ports carry
 * DataHub's deprecation; a retired one keeps its topics, tables and subjects (retained), but
 * grants nothing and has no freshness monitors, quality rulesets, retention or erasure jobs
 * (its data is archived by `archiveRetiredData`).
 * Consumers' Lake Formation grants are made by {@link DataProduct.grantConsumers}, since they
 * need the other products.
 */
export class DataProduct extends Construct {
  readonly definition: ProductDefinition;
  readonly pipelineRole: iam.Role;
  readonly topics = new Map<string, KafkaTopic>();
  readonly tables = new Map<string, IcebergTable>();
  readonly subjects = new Map<string, SchemaSubject>();
  readonly monitors = new Map<string, FreshnessMonitor>();
  readonly qualityRulesets = new Map<string, QualityRuleset>();
  /**
   * Where each quality check runs (in `qualityChecks` order); a check that runs nowhere is also a
   * `qualityNotRun` warning. Empty for a retired product.
   */
  readonly qualityPlacements: readonly QualityPlacement[];
  /** The PII-free projection of each stream port whose schema holds PII fields, by port name. */
  readonly piiProjections = new Map<string, PiiProjection>();
  readonly retention?: Retention;
  readonly erasure?: Erasure;
  readonly catalog?: CatalogRegistration;

  constructor(scope: Construct, id: string, props: DataProductProps) {
    super(scope, id);
    const p = props.product;
    const d = props.domain;
    this.definition = p;
    const key = `${p.domain}/${p.name}`;
    const retired = lifecycleStatus(p) === 'retired';

    this.pipelineRole = new iam.Role(this, 'PipelineRole', {
      roleName: pipelineRoleName(p.domain, p.name),
      assumedBy: props.pipelinePrincipal ?? new iam.ServicePrincipal('glue.amazonaws.com'),
      description: `Pipeline of data product ${key}`,
    });
    d.workgroup.grantRunQueries(this.pipelineRole);

    const subjects = props.subjects ?? new Map<string, SchemaSubject>();
    for (const port of p.outputPorts) {
      const portId = pascal(port.name);
      if (port.type === 'stream') {
        if (!port.topic) throw new Error(`DataProduct ${key}: stream port ${port.name} has no topic`);
        let subject = subjects.get(port.subject);
        if (!subject) {
          subject = new SchemaSubject(this, `${portId}Schema`, {
            registry: d.registry, schemaName: port.subject, versions: port.schemaVersions, compatibility: port.compatibility,
            description: `${key} ${port.name}`,
          });
          subjects.set(port.subject, subject);
        }
        this.subjects.set(port.name, subject);
        subject.grantRead(this.pipelineRole);
        const topic = new KafkaTopic(this, `${portId}Topic`, {
          clusterArn: props.streaming.clusterArn,
          topicName: port.topic,
          partitions: props.streaming.partitions,
          replicationFactor: props.streaming.replicationFactor,
          retentionDays: p.retentionDays,
          manifest: props.topicManifest,
          manifestKey: `${key}/${port.name}`,
        });
        topic.grantProduce(this.pipelineRole);
        this.topics.set(port.name, topic);
        if (needsPiiProjection(port, p.piiFields)) {
          this.piiProjections.set(port.name, new PiiProjection(this, `${portId}PiiFree`, {
            sourceTopic: topic, sourceSubject: subject, schemaVersions: port.schemaVersions, piiFields: p.piiFields,
            registry: d.registry, compatibility: port.compatibility, bootstrapBrokers: props.streaming.bootstrapBrokers,
            network: props.network, alertTopic: d.alertTopic, subjects,
            topicManifest: props.topicManifest, manifestKey: `${key}/${port.name}${PII_FREE_SUFFIX}`,
          }));
        }
        if (!retired) this.monitors.set(port.name, new FreshnessMonitor(this, `${portId}Freshness`, {
          domain: p.domain, product: p.name, port: port.name,
          target: { kind: 'topic', topic, bootstrapBrokers: props.streaming.bootstrapBrokers },
          maxStalenessSeconds: port.maxStalenessSeconds, uptime: uptimeOf(key, port), alertTopic: d.alertTopic, network: props.network,
        }));
      } else {
        if (!port.location) throw new Error(`DataProduct ${key}: batch port ${port.name} has no location`);
        if (!port.timeColumn) throw new Error(`DataProduct ${key}: batch port ${port.name} has no record-time column; its rows could never expire after ${p.retentionDays} days`);
        const table = new IcebergTable(this, `${portId}Table`, {
          database: { databaseName: d.databaseName },
          tableName: portTableName(p.name, port.name),
          location: port.location,
          columns: port.columns,
          previousColumns: port.previousColumns,
          partitioning: port.partitioning,
          // snapshots (time travel) are kept a week, never longer than the records themselves
          properties: snapshotRetentionProperties(Math.min(7, p.retentionDays)),
          encryptionKey: props.dataKey,
          description: port.description ?? `${key} ${port.name}`,
          network: props.network,
        });
        table.grantWrite(this.pipelineRole);
        this.tables.set(port.name, table);
        if (!retired) this.monitors.set(port.name, new FreshnessMonitor(this, `${portId}Freshness`, {
          domain: p.domain, product: p.name, port: port.name,
          target: { kind: 'table', databaseName: d.databaseName, tableName: table.tableName, location: table.location, encryptionKey: props.dataKey },
          maxStalenessSeconds: port.maxStalenessSeconds, uptime: uptimeOf(key, port), alertTopic: d.alertTopic, network: props.network,
        }));
      }
    }

    if (retired && p.subjectIdColumn) {
      Annotations.of(this).addWarningV2('@data-mesh/cdk:retiredNotErased', `${key} is retired: its archived data is not erased (no erasure job runs on Glacier objects); erased subjects' rows stay until the files expire after ${p.retentionDays} days`);
    }
    if (this.tables.size > 0 && !retired) {
      this.retention = new Retention(this, 'Retention', {
        retentionDays: p.retentionDays,
        tables: p.outputPorts.filter((o) => o.type === 'batch').map((o) => ({ table: this.tables.get(o.name)!, timeColumn: o.timeColumn! })),
        workgroup: d.workgroup,
        alertTopic: d.alertTopic,
      });
      if (p.subjectIdColumn && !props.erasures) {
        Annotations.of(this).addWarningV2('@data-mesh/cdk:erasureNotRun', `${key} is subject to erasure but no erasure list was given: erased subjects' rows stay in its tables`);
      } else if (p.subjectIdColumn && props.erasures && props.erasures.subjectIds.length > 0) {
        this.erasure = new Erasure(this, 'Erasure', {
          tables: [...this.tables.values()],
          subjectIdColumn: p.subjectIdColumn,
          subjectIds: props.erasures.subjectIds,
          workgroup: d.workgroup,
          auditBucketName: props.erasures.auditBucketName,
          auditKey: props.erasures.auditKey,
          alertTopic: d.alertTopic,
          description: key,
        });
      }
    }

    // Quality checks run on the batch port whose table has every column they name; row-level
    // checks also run in the SDK at publish time, on every stream port carrying their columns.
    // A retired product receives no data: nothing runs.
    const byPort = new Map<string, typeof p.qualityChecks[number][]>();
    const placements = (retired ? [] : p.qualityChecks).map((check) => {
      // REFERENCES reads another product's data: neither a Glue ruleset nor a record at publish has it
      if (check.expression && referencesIn(check.expression).length > 0) return { check, port: undefined, level: 'row' as const, streams: [], reason: "it REFERENCES another product's port, whose data neither Glue Data Quality nor the SDK is given: it runs in mesh quality run and in Athena" };
      const port = p.outputPorts.find((o) => o.type === 'batch' && check.columns.every((c) => hasColumn(o, c)));
      if (port) byPort.set(port.name, [...(byPort.get(port.name) ?? []), check]);
      const level = qualityRuleLevel(check);
      const streams = level === 'row' ? p.outputPorts.filter((o) => o.type === 'stream' && check.columns.every((c) => hasColumn(o, c))) : [];
      return { check, port, level, streams, reason: undefined };
    });
    const rulesetName = (portName: string) => boundedName(`${p.domain}-${p.name}-${portName}`, 255);
    for (const [portName, checks] of byPort) {
      const table = this.tables.get(portName)!;
      this.qualityRulesets.set(portName, new QualityRuleset(this, `${pascal(portName)}Quality`, {
        rulesetName: rulesetName(portName),
        databaseName: d.databaseName,
        tableName: table.tableName,
        checks,
        description: `${key} ${portName}`,
        alertTopic: d.alertTopic,
        network: props.network,
      }));
    }
    this.qualityPlacements = placements.map(({ check, port, level, streams, reason }): QualityPlacement => {
      const severity = check.severity ?? 'error';
      return {
        rule: check.rule,
        severity,
        level: level ?? 'aggregate',
        runs: [
          ...(port ? [{ engine: 'glue-data-quality' as const, port: port.name, table: `${d.databaseName}.${this.tables.get(port.name)!.tableName}`, ruleset: `${rulesetName(port.name)}${severity === 'warning' ? '-warnings' : ''}` }] : []),
          ...streams.map((o) => ({ engine: 'sdk-publish' as const, port: o.name, topic: o.topic! })),
        ],
        ...(port || streams.length > 0 ? {} : { notRunReason: reason ?? (level === 'row' ? 'no output port carries every column it names' : 'an aggregate rule judges a whole data set: it needs a batch port (a table) with every column it names, and the SDK judges records one at a time') }),
      };
    });
    const unrun = this.qualityPlacements.filter((q) => q.runs.length === 0);
    if (unrun.length > 0) {
      Annotations.of(this).addWarningV2('@data-mesh/cdk:qualityNotRun', `${key}: ${unrun.length} quality rule(s) run nowhere: ${unrun.map((q) => `"${q.rule}" (${q.notRunReason})`).join('; ')}`);
    }
    const sdkOnly = this.qualityPlacements.filter((q) => q.runs.length > 0 && q.runs.every((r) => r.engine === 'sdk-publish'));
    if (sdkOnly.length > 0) {
      Annotations.of(this).addInfo(`${key}: ${sdkOnly.length} quality rule(s) run only in the SDK at publish time (no batch port has their columns): ${sdkOnly.map((q) => `"${q.rule}" on ${q.runs.map((r) => r.port).join(', ')}`).join('; ')}`);
    }

    // Read access to the topics of the inputs (tables are granted by Lake Formation, on the source side).
    const stack = Stack.of(this);
    const readTopics = [...new Set(p.inputs.flatMap((i) => i.topics))];
    if (readTopics.length > 0) {
      const m = /^arn:[^:]+:kafka:[^:]*:[^:]*:cluster\/([^/]+)\/([^/]+)$/.exec(props.streaming.clusterArn);
      if (!m) throw new Error(`DataProduct ${key}: "${props.streaming.clusterArn}" is not an MSK cluster ARN`);
      const cluster = `${m[1]}/${m[2]}`;
      const groups = stack.formatArn({ service: 'kafka', resource: 'group', resourceName: `${cluster}/${consumerGroupName(p.domain, p.name)}*` });
      acknowledgeWildcard(this.pipelineRole, groups, 'the pipeline names its consumer groups at run time; they are limited to the <domain>.<product> prefix');
      this.pipelineRole.addToPolicy(new iam.PolicyStatement({
        actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData', 'kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'],
        resources: [
          stack.formatArn({ service: 'kafka', resource: 'cluster', resourceName: cluster }),
          ...readTopics.map((t) => stack.formatArn({ service: 'kafka', resource: 'topic', resourceName: `${cluster}/${t}` })),
          groups,
        ],
      }));
    }

    if (props.catalogServerUrl) {
      this.catalog = new CatalogRegistration(this, 'Catalog', {
        serverUrl: props.catalogServerUrl,
        tokenSecret: props.catalogTokenSecret,
        domain: p.domain, product: p.name, version: p.version, ownerTeam: p.ownerTeam,
        classification: p.classification, tags: p.tags, description: p.description,
        network: props.network,
        ports: p.outputPorts.map((o) => ({
          name: o.name,
          platform: o.type === 'stream' ? 'kafka' : 'iceberg',
          datasetName: o.type === 'stream' ? o.topic! : `${d.databaseName}.${portTableName(p.name, o.name)}`,
          description: o.description,
          freshness: o.freshness, uptime: o.uptime, schemaName: o.subject,
          fields: o.catalogFields,
          upstreamUrns: [...new Set(p.inputs.flatMap((i) => i.upstreamUrns))],
          upstreamFields: p.inputs.flatMap((i) => i.upstreamFields ?? []),
          deprecated: o.deprecated,
          deprecation: portDeprecation(p, o),
        })),
        lifecycle: p.lifecycle?.status,
        productDeprecation: portDeprecation(p, {}),
        replaces: p.lifecycle?.replaces,
      });
    }
  }

  /**
   * Lake Formation SELECT grants on this product's tables for its consumers, created in `scope`
   * (an access stack deployed after the products). PII columns are withheld unless the
   * consumer is PII-authorized. A retired product grants nothing, a shadow one only to the
   * consumers of its own domain (a warning names each withheld consumer).
   */
  grantConsumers(scope: Construct, id: string, consumers: readonly ConsumerGrant[]): LakeFormationGrants[] {
    const out: LakeFormationGrants[] = [];
    const grantable = grantableConsumers(this, this.definition, consumers);
    for (const port of this.definition.outputPorts) {
      const table = this.tables.get(port.name);
      const readers = grantable.filter((c) => !c.ports || c.ports.includes(port.name));
      if (!table || readers.length === 0) continue;
      out.push(new LakeFormationGrants(scope, `${id}${pascal(port.name)}`, {
        databaseName: table.databaseName,
        tableName: table.tableName,
        columns: port.columns,
        piiFields: this.definition.piiFields,
        consumers: readers,
      }));
    }
    return out;
  }
}

function uptimeOf(key: string, port: PortDefinition): number {
  const parsed = parseUptime(port.uptime);
  if (!parsed.ok) throw new Error(`DataProduct ${key}: port ${port.name}: ${parsed.message}`);
  return parsed.value;
}

function hasColumn(port: PortDefinition, column: string): boolean {
  return port.columns.some((c) => c.name === column) || port.catalogFields.some((f) => f.path === column || f.path.endsWith(`.${column}`));
}
