import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { dataRemovalPolicy } from '../common/removal-policy';
import { CompatibilityMode, GlueCompatibility, SchemaSubjectProps } from './schema-subject-props';

const GLUE_COMPATIBILITY: Record<CompatibilityMode, GlueCompatibility> = {
  NONE: 'NONE',
  BACKWARD: 'BACKWARD',
  BACKWARD_TRANSITIVE: 'BACKWARD_ALL',
  FORWARD: 'FORWARD',
  FORWARD_TRANSITIVE: 'FORWARD_ALL',
  FULL: 'FULL',
  FULL_TRANSITIVE: 'FULL_ALL',
};

/** Maps a port's compatibility mode to Glue's (BACKWARD_TRANSITIVE -> BACKWARD_ALL, ...). */
export function glueCompatibility(mode: CompatibilityMode): GlueCompatibility {
  const mapped = GLUE_COMPATIBILITY[mode];
  if (!mapped) throw new Error(`unknown compatibility mode "${mode}"; expected one of ${Object.keys(GLUE_COMPATIBILITY).join(', ')}`);
  return mapped;
}

/** A schema subject as other constructs see it. */
export interface ISchemaSubject {
  readonly schemaArn: string;
  readonly schemaName: string;
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

const SCHEMA_NAME = /^[a-zA-Z0-9-_$#.]{1,255}$/;

/**
 * A subject in a Glue Schema Registry: `AWS::Glue::Schema` plus one `AWS::Glue::SchemaVersion`
 * per later version. CloudFormation cannot update a Glue schema's definition in place
 * (SchemaDefinition is create-only), so evolution is modelled as the version history: the
 * initial definition never changes and each new version is a new resource, registered in
 * order (each depends on the previous) so Glue checks it against the compatibility mode.
 */
export class SchemaSubject extends Construct implements ISchemaSubject {
  readonly schemaArn: string;
  readonly schemaName: string;
  readonly compatibility: GlueCompatibility;
  readonly schema: glue.CfnSchema;
  readonly schemaVersions: glue.CfnSchemaVersion[] = [];
  /** The id of the current (last) version: what a serializer writes in each record's header. */
  readonly currentVersionId: string;
  private readonly registryArn: string;

  constructor(scope: Construct, id: string, props: SchemaSubjectProps) {
    super(scope, id);
    if (!SCHEMA_NAME.test(props.schemaName)) throw new Error(`SchemaSubject ${this.node.path}: schema name "${props.schemaName}" must match ${SCHEMA_NAME}`);
    if (props.versions.length === 0) throw new Error(`SchemaSubject ${this.node.path}: at least one schema version is required`);
    for (const [i, v] of props.versions.entries()) {
      try {
        JSON.parse(v);
      } catch (e) {
        throw new Error(`SchemaSubject ${this.node.path}: version ${i + 1} is not JSON: ${(e as Error).message}`);
      }
    }
    this.schemaName = props.schemaName;
    this.registryArn = props.registry.registryArn;
    this.compatibility = glueCompatibility(props.compatibility ?? 'BACKWARD_TRANSITIVE');
    const policy = dataRemovalPolicy(this, props.removalPolicy);

    // Identical consecutive versions (a whitespace-only edit, a revert) would be rejected by Glue.
    const versions = props.versions.filter((v, i, all) => i === 0 || normalize(v) !== normalize(all[i - 1]));

    this.schema = new glue.CfnSchema(this, 'Resource', {
      name: props.schemaName,
      dataFormat: 'AVRO',
      compatibility: this.compatibility,
      registry: { arn: props.registry.registryArn },
      schemaDefinition: versions[0],
      description: props.description,
    });
    this.schema.applyRemovalPolicy(policy);
    this.schemaArn = this.schema.attrArn;

    let previous: glue.CfnSchemaVersion | undefined;
    for (let i = 1; i < versions.length; i++) {
      const version = new glue.CfnSchemaVersion(this, `Version${i + 1}`, {
        schema: { schemaArn: this.schema.attrArn },
        schemaDefinition: versions[i],
      });
      version.applyRemovalPolicy(policy);
      version.node.addDependency(previous ?? this.schema);
      previous = version;
      this.schemaVersions.push(version);
    }
    this.currentVersionId = previous?.attrVersionId ?? this.schema.attrInitialSchemaVersionId;
  }

  /** Read the schema and its versions (serializers/deserializers). */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetSchema', 'glue:GetSchemaVersion', 'glue:GetSchemaByDefinition', 'glue:ListSchemaVersions', 'glue:GetSchemaVersionsDiff'],
      resourceArns: [this.schemaArn, this.registryArn],
    });
  }
}

function normalize(text: string): string {
  return JSON.stringify(JSON.parse(text));
}
