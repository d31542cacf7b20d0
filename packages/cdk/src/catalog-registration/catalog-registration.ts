import { gzipSync } from 'node:zlib';
import { CustomResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { stackSingletonFunction } from '../common/lambda';
import { deprecationAspect, describeReplacement, PLATFORM_ACTOR } from '../data-product/lifecycle';
import { CatalogPort, CatalogRegistrationProps } from './catalog-registration-props';
import { dataHubTypeJson, dataHubTypeOfNative } from './datahub-types';

/** A DataHub metadata change proposal (UPSERT of one aspect), as GMS `/aspects?action=ingestProposal` takes it. */
export interface MetadataChangeProposal {
  readonly entityType: 'dataset';
  readonly entityUrn: string;
  readonly changeType: 'UPSERT';
  readonly aspectName: string;
  readonly aspect: Record<string, unknown>;
}

/**
 * A proposal as GMS `/aspects?action=ingestProposal` takes it (inside `{ proposal }`) and as a
 * DataHub metadata file holds it: the aspect serialized as JSON text (a GenericAspect).
 */
export interface SerializedProposal extends Omit<MetadataChangeProposal, 'aspect'> {
  readonly aspect: { readonly contentType: 'application/json'; readonly value: string };
}

export function serializeProposal(mcp: MetadataChangeProposal): SerializedProposal {
  return { ...mcp, aspect: { contentType: 'application/json', value: JSON.stringify(mcp.aspect) } };
}

/**
 * The proposals as a DataHub metadata file (a JSON list of MCPs), what `datahub check metadata-file`
 * and the CLI's file source read; its entries are the proposals the registration posts to GMS.
 */
export function catalogMetadataFile(proposals: readonly MetadataChangeProposal[]): string {
  return `${JSON.stringify(proposals.map(serializeProposal), null, 2)}\n`;
}

/** `urn:li:dataset:(urn:li:dataPlatform:kafka,<name>,PROD)` */
export function datasetUrn(platform: string, name: string, env = 'PROD'): string {
  return `urn:li:dataset:(urn:li:dataPlatform:${platform},${name},${env})`;
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/** The proposals registering one product's ports: pure, so tests and `mesh` can inspect them. */
export function buildCatalogProposals(props: Omit<CatalogRegistrationProps, 'serverUrl' | 'tokenSecret' | 'network'>): MetadataChangeProposal[] {
  const env = props.environment ?? 'PROD';
  const out: MetadataChangeProposal[] = [];
  for (const port of props.ports) {
    const urn = datasetUrn(port.platform, port.datasetName, env);
    const push = (aspectName: string, aspect: Record<string, unknown>) => out.push({ entityType: 'dataset', entityUrn: urn, changeType: 'UPSERT', aspectName, aspect });
    push('datasetProperties', {
      name: `${props.product}/${port.name}`,
      description: port.description ?? props.description,
      customProperties: {
        domain: props.domain, product: props.product, version: props.version, port: port.name,
        freshness_sla: port.freshness, uptime_sla: port.uptime, data_classification: props.classification,
        lifecycle: props.lifecycle ?? 'active',
        ...(props.replaces && props.replaces.length > 0 ? { replaces: props.replaces.map(describeReplacement).join(', ') } : {}),
        ...(port.deprecated || port.deprecation ? { deprecated: 'true' } : {}),
      },
    });
    push('ownership', { owners: [{ owner: `urn:li:corpGroup:${slug(props.ownerTeam)}`, type: 'TECHNICAL_OWNER' }] });
    push('domains', { domains: [`urn:li:domain:${slug(props.domain)}`] });
    push('glossaryTerms', {
      terms: [...props.tags, `classification-${props.classification}`].map((t) => ({ urn: `urn:li:glossaryTerm:${slug(t)}` })),
      auditStamp: { time: 0, actor: PLATFORM_ACTOR },
    });
    push('schemaMetadata', schemaAspect(port));
    push('deprecation', { ...deprecationAspect(port.deprecation) });
    if (port.upstreamUrns && port.upstreamUrns.length > 0) {
      push('upstreamLineage', { upstreams: port.upstreamUrns.map((u) => ({ dataset: u, type: 'TRANSFORMED', auditStamp: { time: 0, actor: PLATFORM_ACTOR } })) });
    }
  }
  return out;
}

function schemaAspect(port: CatalogPort): Record<string, unknown> {
  return {
    schemaName: port.schemaName,
    platform: `urn:li:dataPlatform:${port.platform}`,
    version: 0,
    hash: '',
    platformSchema: { 'com.linkedin.schema.OtherSchema': { rawSchema: '' } },
    fields: port.fields.map((f) => ({
      fieldPath: f.path,
      nativeDataType: f.nativeType,
      type: dataHubTypeJson(f.type ?? dataHubTypeOfNative(f.nativeType)),
      nullable: f.nullable ?? false,
      ...(f.description ? { description: f.description } : {}),
    })),
  };
}

/**
 * Registers a product's ports in DataHub on every deploy: a custom resource whose function
 * posts the proposals (dataset properties with domain, version, SLA and classification;
 * ownership; domain; glossary terms from tags; schema; deprecation; upstream lineage) to GMS
 * over HTTPS. The product's lifecycle is the `lifecycle` custom property (`shadow`: not
 * authoritative) and, for a deprecated or retired product or a deprecated port, the
 * `deprecation` aspect (note with sunset and replacement, decommission time, replacement URN).
 * A change to any of them is an Update, so the catalog follows the spec. Delete leaves the
 * catalog entries in place (the catalog keeps history; deprecation is a spec change).
 */
export class CatalogRegistration extends Construct {
  readonly proposals: MetadataChangeProposal[];
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: CatalogRegistrationProps) {
    super(scope, id);
    if (!/^https:\/\//.test(props.serverUrl)) throw new Error(`CatalogRegistration ${this.node.path}: serverUrl must be https:// (TLS in transit), got "${props.serverUrl}"`);
    this.proposals = buildCatalogProposals(props);
    const fn = stackSingletonFunction(this, {
      handler: 'catalog',
      description: 'Registers data-mesh ports in DataHub (data-mesh CatalogRegistration)',
      network: props.network,
    });
    props.tokenSecret?.grantRead(fn);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::DataHubRegistration',
      properties: {
        ServerUrl: props.serverUrl,
        TokenSecretArn: props.tokenSecret?.secretArn ?? '',
        // gzip + base64: schema metadata is the bulk of a product's template otherwise
        // (CloudFormation templates are limited to 1 MB), and a smaller string is cheaper to synthesize.
        ProposalsGzip: gzipSync(Buffer.from(JSON.stringify(this.proposals.map(serializeProposal)), 'utf8'), { level: 9 }).toString('base64'),
      },
    });
  }
}
