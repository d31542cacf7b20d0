import { Annotations, Stack } from 'aws-cdk-lib';
import * as lf from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { TableColumn, parseGlueType } from '../iceberg-table/iceberg-schema';
import { LakeFormationGrantsProps } from './lake-formation-grants-props';

/** What one consumer was granted, and what was withheld. */
export interface ResolvedGrant {
  readonly consumer: string;
  readonly principalArn: string;
  /** Columns granted SELECT. */
  readonly columns: string[];
  /** Columns the consumer declared but that carry PII it is not authorized for. */
  readonly excludedPiiColumns: string[];
}

type Leaf = { path: string; top: string };

function leavesOf(columns: readonly TableColumn[]): Leaf[] {
  const out: Leaf[] = [];
  const walk = (t: ReturnType<typeof parseGlueType>, path: string, top: string) => {
    if (t.kind === 'struct') for (const f of t.fields) walk(f.type, `${path}.${f.name}`, top);
    else if (t.kind === 'array') walk(t.element, path, top);
    else if (t.kind === 'map') walk(t.value, path, top);
    else out.push({ path, top });
  };
  for (const c of columns) walk(parseGlueType(c.type), c.name, c.name);
  return out;
}

/** The top-level column a field reference lands in, or undefined when the table does not have it. */
function topColumn(field: string, columns: readonly TableColumn[], leaves: Leaf[]): string | undefined {
  if (columns.some((c) => c.name === field)) return field;
  if (field.includes('.')) {
    const top = field.split('.')[0];
    return columns.some((c) => c.name === top) && leaves.some((l) => l.path === field || l.path.startsWith(`${field}.`)) ? top : undefined;
  }
  const matches = leaves.filter((l) => l.path.endsWith(`.${field}`));
  return matches.length === 1 ? matches[0].top : undefined;
}

/** Columns that hold a PII field, directly or nested in a struct. */
function piiColumns(piiFields: readonly string[], columns: readonly TableColumn[], leaves: Leaf[]): Set<string> {
  const pii = new Set<string>();
  for (const field of piiFields) {
    if (columns.some((c) => c.name === field)) { pii.add(field); continue; }
    for (const l of leaves) if (l.path === field || l.path.endsWith(`.${field}`) || l.path.startsWith(`${field}.`)) pii.add(l.top);
  }
  return pii;
}

/**
 * Lake Formation column grants for the consumers of a table: each consumer (a product whose
 * input port names this product) gets SELECT on the top-level columns holding the fields it
 * declared, minus every column carrying a PII field it is not authorized for. Lake Formation
 * grants whole top-level columns, so a struct column with a PII leaf inside counts as PII.
 * Nothing is granted with grant option.
 */
export class LakeFormationGrants extends Construct {
  readonly grants: ResolvedGrant[] = [];
  readonly resources: lf.CfnPrincipalPermissions[] = [];

  constructor(scope: Construct, id: string, props: LakeFormationGrantsProps) {
    super(scope, id);
    const leaves = leavesOf(props.columns);
    const catalogId = props.catalogId ?? Stack.of(this).account;
    for (const [i, c] of props.consumers.entries()) {
      const declared = new Set<string>();
      for (const f of c.fields) {
        const top = topColumn(f, props.columns, leaves);
        if (top) declared.add(top);
      }
      const ordered = props.columns.map((col) => col.name).filter((n) => declared.has(n));
      const authorized = c.piiAuthorized ?? false;
      const withheld = piiColumns(authorized === true ? [] : props.piiFields.filter((f) => authorized === false || !authorized.includes(f)), props.columns, leaves);
      const excluded = ordered.filter((n) => withheld.has(n));
      const columns = ordered.filter((n) => !excluded.includes(n));
      this.grants.push({ consumer: c.consumer, principalArn: c.principalArn, columns, excludedPiiColumns: excluded });
      if (excluded.length > 0) {
        Annotations.of(this).addInfo(`${c.consumer}: PII columns ${excluded.join(', ')} of ${props.databaseName}.${props.tableName} withheld (no piiAccess authorization covers them)`);
      }
      if (columns.length === 0) continue;
      this.resources.push(new lf.CfnPrincipalPermissions(this, `Select${i}`, {
        catalog: catalogId,
        principal: { dataLakePrincipalIdentifier: c.principalArn },
        resource: { tableWithColumns: { catalogId, databaseName: props.databaseName, name: props.tableName, columnNames: columns } },
        permissions: ['SELECT'],
        permissionsWithGrantOption: [],
      }));
    }
  }
}
