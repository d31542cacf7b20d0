import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CompatibilityMode, glueCompatibility, SchemaSubject } from '../src';
import { ENV, PROFILE_V1, PROFILE_V2 } from './fixtures';

const registry = { registryArn: 'arn:aws:glue:eu-west-1:111111111111:registry/customer-domain', registryName: 'customer-domain' };

describe('SchemaSubject', () => {
  it.each<[CompatibilityMode, string]>([
    ['NONE', 'NONE'], ['BACKWARD', 'BACKWARD'], ['BACKWARD_TRANSITIVE', 'BACKWARD_ALL'], ['FORWARD', 'FORWARD'],
    ['FORWARD_TRANSITIVE', 'FORWARD_ALL'], ['FULL', 'FULL'], ['FULL_TRANSITIVE', 'FULL_ALL'],
  ])('maps %s to Glue %s', (mode, glue) => {
    expect(glueCompatibility(mode)).toBe(glue);
  });

  it('registers the first version as the schema and each later one as a SchemaVersion, in order, retained', () => {
    const s = new Stack(new App(), 'S', { env: ENV });
    const v3 = JSON.stringify({ type: 'record', name: 'Profile', fields: [{ name: 'customer_id', type: 'string' }, { name: 'tier', type: ['null', 'string'], default: null }, { name: 'x', type: ['null', 'int'], default: null }] });
    new SchemaSubject(s, 'P', { registry, schemaName: 'customer_profile_v2', versions: [PROFILE_V1, PROFILE_V2, v3] });
    const t = Template.fromStack(s);
    t.hasResource('AWS::Glue::Schema', { DeletionPolicy: 'Retain', Properties: { Compatibility: 'BACKWARD_ALL', SchemaDefinition: PROFILE_V1, DataFormat: 'AVRO' } });
    const versions = t.findResources('AWS::Glue::SchemaVersion');
    expect(Object.keys(versions)).toHaveLength(2);
    const [first, second] = Object.entries(versions).sort(([, a], [, b]) => String(a.Properties.SchemaDefinition).length - String(b.Properties.SchemaDefinition).length);
    expect(first[1].Properties.SchemaDefinition).toBe(PROFILE_V2);
    expect(second[1].DependsOn).toContain(first[0]);
    expect(second[1].DeletionPolicy).toBe('Retain');
  });

  it('collapses consecutive identical versions (a reformat is not a new version)', () => {
    const s = new Stack(new App(), 'S', { env: ENV });
    new SchemaSubject(s, 'P', { registry, schemaName: 'p', versions: [PROFILE_V1, JSON.stringify(JSON.parse(PROFILE_V1), null, 2)] });
    Template.fromStack(s).resourceCountIs('AWS::Glue::SchemaVersion', 0);
  });
});
