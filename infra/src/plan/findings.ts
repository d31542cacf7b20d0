import type { Diagnostic, Mesh, PermissionChange, PlannedResource } from '@data-mesh/spec';
import { DOMAIN_MAP_FILE } from '@data-mesh/spec';
import type { Owner } from './side';
import type { PartitionDecrease, TemplateDiffResult } from './template-diff';

/** Codes of the deploy plan (the MESH5xx table in packages/cdk/README.md). */
export const PLAN_CODES = {
  /** A stateful resource would be replaced or removed (its data orphaned or lost). */
  statefulReplaced: 'MESH511',
  /** A stateful resource may be replaced (CloudFormation decides at deploy time). */
  statefulMayReplace: 'MESH512',
  /** A Kafka topic's partition count would go down. */
  partitionsDecrease: 'MESH513',
  /** IAM or Lake Formation access widens. */
  permissionsWidened: 'MESH514',
  /** The plan could not be made (a side does not validate, load or synthesize). */
  planFailed: 'MESH515',
} as const;

type At = Pick<Diagnostic, 'file' | 'line' | 'column'>;

const KIND: Record<string, string> = {
  'AWS::MSK::Topic': 'Kafka topic',
  'AWS::Glue::Registry': 'schema registry',
  'AWS::Glue::Schema': 'schema registry schema',
  'AWS::Glue::SchemaVersion': 'schema version',
  'AWS::Glue::Database': 'Glue database',
  'AWS::Glue::Table': 'Glue table',
  'Custom::IcebergTable': 'Iceberg table',
  'AWS::S3Tables::Table': 'S3 table',
  'AWS::S3Tables::TableBucket': 'S3 table bucket',
  'AWS::S3::Bucket': 'S3 bucket',
  'AWS::KMS::Key': 'KMS key',
};

/**
 * Where a finding about a resource goes: the port's name (or the product's metadata.name) in the
 * head's spec; for a product that is gone, its domain's entry in the head's domain map; for a
 * domain's shared resources, that entry; else the domain map's first line.
 */
export function locateOwner(owner: Owner | undefined, head: Mesh, base: Mesh): At {
  const product = owner?.product ? head.products.get(owner.product) : undefined;
  if (product) {
    const index = owner?.port ? product.outputPorts.findIndex((p) => p.name === owner.port) : -1;
    return { file: product.file, ...product.document.locate(index >= 0 ? ['spec', 'outputPorts', index, 'name'] : ['metadata', 'name']) };
  }
  const domain = owner?.domain;
  const map = head.domainMap ?? base.domainMap;
  if (domain && map) return { file: DOMAIN_MAP_FILE, ...map.document.locate(['domains', domain], 'key') };
  return { file: DOMAIN_MAP_FILE, line: 1, column: 1 };
}

function whose(r: { product?: string; port?: string; domain?: string }): string {
  if (r.product) return `${r.product}${r.port ? ` (port ${r.port})` : ''}`;
  if (r.domain) return `domain ${r.domain}`;
  return 'the platform';
}

function statefulFinding(r: PlannedResource, at: At): Diagnostic {
  const kind = KIND[r.type] ?? r.type;
  const what = r.action === 'replace' ? `would be replaced (${(r.replacing ?? []).join(', ') || 'type'} changes)` : 'would be removed';
  const data = r.dataFate === 'retained-orphaned'
    ? (r.action === 'replace'
      ? 'CloudFormation creates a new, empty one; the old one and its data are retained (UpdateReplacePolicy: Retain) but orphaned, managed by no stack'
      : 'its data is retained (DeletionPolicy: Retain) but the resource is orphaned: managed by no stack, no longer written to, and nothing moves its data to a replacement')
    : 'its data is lost (no Retain policy)';
  return {
    severity: 'error', code: PLAN_CODES.statefulReplaced, ...at,
    message: `${whose(r)}: ${kind} ${r.logicalId} in ${r.stack} ${what}: ${data}`,
    hint: r.product
      ? 'keep the product\'s name and the resource\'s names; to move or rename, add a new product (or port version) beside the old one and migrate consumers, or import the retained resource'
      : 'keep the names of the platform\'s data resources; move data explicitly before removing a domain or bucket',
  };
}

function partitionFinding(p: PartitionDecrease, at: At): Diagnostic {
  return {
    severity: 'error', code: PLAN_CODES.partitionsDecrease, ...at,
    message: `${whose(p.owner ?? {})}: Kafka topic ${p.topicName || p.logicalId} (${p.logicalId} in ${p.stack}) would go from ${p.from} to ${p.to} partitions; Kafka can only add partitions`,
    hint: 'keep streaming.partitions at or above the deployed count in the infra config',
  };
}

function widenedFinding(g: PermissionChange, at: At): Diagnostic {
  return {
    severity: 'warning', code: PLAN_CODES.permissionsWidened, ...at,
    message: `${g.product ? `${g.product}: ` : ''}Lake Formation grant ${g.logicalId ?? ''} in ${g.stack} gives ${g.principal} ${g.actions.join(', ')} on ${g.resource}`,
    hint: 'check that the consumer should read these columns (PII columns need a piiAccess authorization in the infra config)',
  };
}

/** The plan's findings, at the spec nodes they are about. */
export function planFindings(diff: TemplateDiffResult, base: Mesh, head: Mesh): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of diff.resources) {
    if (!r.stateful) continue;
    const at = locateOwner(r, head, base);
    if (r.action === 'may-replace') {
      out.push({
        severity: 'warning', code: PLAN_CODES.statefulMayReplace, ...at,
        message: `${whose(r)}: ${KIND[r.type] ?? r.type} ${r.logicalId} in ${r.stack} may be replaced (${(r.replacing ?? []).join(', ')} change): if CloudFormation replaces it, the old one is ${r.dataFate === 'lost' ? 'deleted with its data' : 'retained but orphaned'}`,
      });
    } else if (r.dataFate) out.push(statefulFinding(r, at));
  }
  for (const p of diff.partitionDecreases) out.push(partitionFinding(p, locateOwner(p.owner, head, base)));
  for (const g of diff.widenedGrants) out.push(widenedFinding(g, locateOwner(g.product ? { product: g.product } : undefined, head, base)));
  const iamWidened = diff.permissions.filter((p) => p.kind === 'iam' && p.change === 'added' && p.effect !== 'Deny');
  if (iamWidened.length > 0) {
    out.push({
      severity: 'info', code: PLAN_CODES.permissionsWidened, file: DOMAIN_MAP_FILE, line: 1, column: 1,
      message: `${iamWidened.length} IAM statement(s) added in ${[...new Set(iamWidened.map((p) => p.stack))].join(', ')} (listed in the plan)`,
    });
  }
  return out;
}
