import { fullDiff, PropertyDifference, ResourceImpact, type ResourceDifference } from '@aws-cdk/cloudformation-diff';
import type { PermissionChange, PlannedResource, PlannedStack, ResourceAction } from '@data-mesh/spec';
import type { Owner, SynthesizedSide, Template } from './side';

/**
 * The resource types of this platform that hold data: what a replacement or removal affects
 * beyond the resource itself (Kafka topics, the schema registry and its schemas and versions,
 * Glue databases, Iceberg tables, buckets, and the keys the data is encrypted with).
 */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  'AWS::MSK::Topic',
  'AWS::Glue::Registry', 'AWS::Glue::Schema', 'AWS::Glue::SchemaVersion',
  'AWS::Glue::Database', 'AWS::Glue::Table',
  'Custom::IcebergTable', 'AWS::S3Tables::Table', 'AWS::S3Tables::TableBucket',
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
]);

/**
 * Properties that replace a custom resource of the constructs (the service specification the
 * CDK's diff reads knows nothing of them): the Iceberg table's handler creates a new table when
 * its catalog, database or name changes, and CloudFormation then deletes the old resource.
 */
const CUSTOM_REPLACING: Readonly<Record<string, readonly string[]>> = {
  'Custom::IcebergTable': ['CatalogId', 'DatabaseName', 'TableName'],
};

const LAKE_FORMATION_TYPES = new Set(['AWS::LakeFormation::PrincipalPermissions', 'AWS::LakeFormation::Permissions']);

const ACTION: Partial<Record<ResourceImpact, ResourceAction>> = {
  [ResourceImpact.WILL_CREATE]: 'add',
  [ResourceImpact.WILL_IMPORT]: 'add',
  [ResourceImpact.WILL_UPDATE]: 'modify',
  [ResourceImpact.WILL_REPLACE]: 'replace',
  [ResourceImpact.MAY_REPLACE]: 'may-replace',
  [ResourceImpact.WILL_DESTROY]: 'remove',
  [ResourceImpact.WILL_ORPHAN]: 'orphan',
};

/** A Kafka topic whose partition count goes down (Kafka can only add partitions). */
export interface PartitionDecrease {
  readonly stack: string;
  readonly logicalId: string;
  readonly topicName: string;
  readonly from: number;
  readonly to: number;
  readonly owner?: Owner;
}

export interface TemplateDiffResult {
  readonly stacks: PlannedStack[];
  readonly resources: PlannedResource[];
  readonly permissions: PermissionChange[];
  readonly partitionDecreases: PartitionDecrease[];
  /** IAM widened (the CDK diff's permissionsBroadened) or a Lake Formation grant widened. */
  readonly broadened: boolean;
  /** Added or widened Lake Formation grants. */
  readonly widenedGrants: PermissionChange[];
}

function fate(policy: string | undefined): 'retained-orphaned' | 'lost' {
  return policy === 'Retain' || policy === 'RetainExceptOnCreate' ? 'retained-orphaned' : 'lost';
}

/** Diffs the templates of the two sides, stack by stack, with the AWS CDK's diff. */
export function diffSides(base: SynthesizedSide, head: SynthesizedSide): TemplateDiffResult {
  const stacks: PlannedStack[] = [];
  const resources: PlannedResource[] = [];
  const permissions: PermissionChange[] = [];
  const partitionDecreases: PartitionDecrease[] = [];
  const widenedGrants: PermissionChange[] = [];
  let broadened = false;
  const names = [...new Set([...base.templates.keys(), ...head.templates.keys()])].sort();
  for (const stack of names) {
    const oldT = base.templates.get(stack);
    const newT = head.templates.get(stack);
    const diff = fullDiff(oldT ?? {}, newT ?? {});
    const count = Object.keys((newT ?? oldT)?.Resources ?? {}).length;
    const owner = (id: string): Owner | undefined => head.owners.get(`${stack}/${id}`) ?? base.owners.get(`${stack}/${id}`);
    let changed = false;
    const removedGrants: Grant[] = [];
    const addedGrants: Grant[] = [];
    diff.resources.forEachDifference((logicalId, change) => {
      if (!change.isDifferent) return;
      changed = true;
      markCustomReplacements(change);
      const action = ACTION[change.changeImpact] ?? (change.isUpdate ? 'modify' : undefined);
      if (!action) return;
      const type = change.newResourceType ?? change.oldResourceType ?? 'unknown';
      const stateful = STATEFUL_TYPES.has(type) || STATEFUL_TYPES.has(change.oldResourceType ?? '');
      const properties = Object.keys(change.propertyUpdates).sort();
      const replacing = properties.filter((p) => {
        const impact = change.propertyUpdates[p]?.changeImpact;
        return impact === ResourceImpact.WILL_REPLACE || impact === ResourceImpact.MAY_REPLACE;
      });
      if (change.resourceTypeChanged && !change.isAddition && !change.isRemoval) replacing.push('Type');
      const old = change.oldValue;
      const dataFate = !stateful ? undefined
        : action === 'remove' || action === 'orphan' ? fate(old?.DeletionPolicy)
          : action === 'replace' || action === 'may-replace' ? fate(old?.UpdateReplacePolicy)
            : undefined;
      resources.push({
        stack, logicalId, type, action, stateful, ...owner(logicalId), properties,
        ...(replacing.length ? { replacing } : {}),
        ...(dataFate ? { dataFate } : {}),
      });
      if (type === 'AWS::MSK::Topic' && change.isUpdate) {
        const from = Number(change.oldProperties?.PartitionCount);
        const to = Number(change.newProperties?.PartitionCount);
        if (from > to) partitionDecreases.push({ stack, logicalId, topicName: String(change.newProperties?.TopicName ?? ''), from, to, owner: owner(logicalId) });
      }
      if (LAKE_FORMATION_TYPES.has(type)) {
        const removed = change.isAddition ? undefined : grant(stack, logicalId, change.oldProperties, 'removed', owner(logicalId));
        const added = change.isRemoval ? undefined : grant(stack, logicalId, change.newProperties, 'added', owner(logicalId));
        if (removed) removedGrants.push(removed);
        if (added) addedGrants.push(added);
      }
    });
    // A grant replaced by one that gives no more (e.g. a renamed consumer's) is not a widening.
    for (const g of [...removedGrants, ...addedGrants]) permissions.push(g.change);
    for (const g of addedGrants) if (!removedGrants.some((r) => covers(r, g))) widenedGrants.push(g.change);
    for (const [change, list] of [['added', diff.iamChanges.statements.additions], ['removed', diff.iamChanges.statements.removals]] as const) {
      for (const statement of list) {
        const r = statement.render();
        permissions.push({ stack, kind: 'iam', change, principal: r.principal, actions: r.action.split(/,\s*|\n/).filter(Boolean), resource: r.resource, effect: r.effect, ...(r.condition ? { condition: r.condition.replace(/\s+/g, ' ') } : {}) });
      }
    }
    if (diff.iamChanges.permissionsBroadened) broadened = true;
    stacks.push({ name: stack, status: !oldT ? 'added' : !newT ? 'removed' : changed ? 'changed' : 'unchanged', resources: count });
  }
  if (widenedGrants.length > 0) broadened = true;
  return { stacks, resources, permissions, partitionDecreases, broadened, widenedGrants };
}

function markCustomReplacements(change: ResourceDifference): void {
  const replacing = CUSTOM_REPLACING[change.newResourceType ?? ''];
  if (!replacing || !change.isUpdate || change.resourceTypeChanged) return;
  for (const [name, property] of Object.entries(change.propertyUpdates)) {
    if (replacing.includes(name) && property.isDifferent) {
      change.setPropertyChange(name, new PropertyDifference(property.oldValue, property.newValue, { changeImpact: ResourceImpact.WILL_REPLACE }));
    }
  }
}

interface Grant {
  readonly change: PermissionChange;
  readonly principal: string;
  readonly table: string;
  readonly permissions: ReadonlySet<string>;
  /** Column names granted; undefined for every column (a wildcard or a table grant). */
  readonly columns?: ReadonlySet<string>;
  readonly excluded: ReadonlySet<string>;
}

/** A template value as text, with CloudFormation intrinsics written the way the CDK's diff writes them (`${Role.Arn}`). */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const [key, arg] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    if (key === 'Ref') return `\${${text(arg)}}`;
    if (key === 'Fn::GetAtt' && Array.isArray(arg)) return `\${${arg.map(text).join('.')}}`;
    if (key === 'Fn::Join' && Array.isArray(arg) && Array.isArray(arg[1])) return (arg[1] as unknown[]).map(text).join(text(arg[0]));
    if (key === 'Fn::Sub') return text(Array.isArray(arg) ? arg[0] : arg);
    if (key === 'Fn::ImportValue') return `\${Import:${text(arg)}}`;
  }
  return JSON.stringify(value);
}

/** A Lake Formation grant of PrincipalPermissions (or the older Permissions) properties. */
function grant(stack: string, logicalId: string, props: Record<string, unknown> | undefined, change: 'added' | 'removed', owner: Owner | undefined): Grant | undefined {
  if (!props) return undefined;
  const principalValue = (props.Principal as { DataLakePrincipalIdentifier?: unknown } | undefined)?.DataLakePrincipalIdentifier
    ?? (props.DataLakePrincipal as { DataLakePrincipalIdentifier?: unknown } | undefined)?.DataLakePrincipalIdentifier;
  const principal = text(principalValue ?? '?');
  const resource = (props.Resource ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const twc = resource.TableWithColumns ?? resource.TableWithColumnsResource;
  const table = resource.Table ?? resource.TableResource;
  const db = resource.Database ?? resource.DatabaseResource;
  let where: string;
  let columns: Set<string> | undefined;
  let excluded = new Set<string>();
  let tableKey: string;
  if (twc) {
    tableKey = `${text(twc.DatabaseName)}.${text(twc.Name)}`;
    const names = twc.ColumnNames as unknown[] | undefined;
    const wildcard = twc.ColumnWildcard as { ExcludedColumnNames?: unknown[] } | undefined;
    if (names) columns = new Set(names.map(text));
    if (wildcard) excluded = new Set((wildcard.ExcludedColumnNames ?? []).map(text));
    where = `table ${tableKey} ${columns ? `columns ${[...columns].join(', ')}` : `all columns${excluded.size ? ` except ${[...excluded].join(', ')}` : ''}`}`;
  } else if (table) {
    tableKey = `${text(table.DatabaseName)}.${text(table.Name ?? (table.TableWildcard ? '*' : '?'))}`;
    where = `table ${tableKey}`;
  } else if (db) {
    tableKey = `${text(db.Name)}`;
    where = `database ${tableKey}`;
  } else {
    tableKey = text(resource);
    where = tableKey;
  }
  const permissions = new Set(((props.Permissions as unknown[] | undefined) ?? []).map(text));
  const grantable = ((props.PermissionsWithGrantOption as unknown[] | undefined) ?? []).map(text);
  for (const g of grantable) permissions.add(`${g} (grantable)`);
  return {
    change: { stack, kind: 'lake-formation', change, logicalId, principal, actions: [...permissions], resource: where, ...(owner?.product ? { product: owner.product } : {}) },
    principal, table: tableKey, permissions, columns, excluded,
  };
}

/** Whether the removed grant already gave everything the added one gives (the same or narrower access). */
function covers(removed: Grant, added: Grant): boolean {
  if (removed.principal !== added.principal || removed.table !== added.table) return false;
  for (const p of added.permissions) if (!removed.permissions.has(p)) return false;
  if (removed.columns) return !!added.columns && [...added.columns].every((c) => removed.columns!.has(c));
  // The removed grant had every column but its exclusions: the added one must not include an excluded column.
  if (added.columns) return [...added.columns].every((c) => !removed.excluded.has(c));
  return [...removed.excluded].every((c) => added.excluded.has(c));
}

export type { Template };
