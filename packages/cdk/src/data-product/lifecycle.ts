import { Annotations, Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { LifecycleStatus } from '@data-mesh/spec';
import { parseS3Location } from '../iceberg-table/iceberg-table';
import { ConsumerGrant } from '../lake-formation-grants/lake-formation-grants-props';
import type { PortDefinition, ProductDefinition } from './data-product-props';

/** A product, or one of its ports, consumers move to (`replacedBy` of the spec). */
export interface LifecycleReplacement {
  /** `<domain>/<product>` */
  readonly product: string;
  /** @default - the product as a whole */
  readonly port?: string;
}

/** Where a product is in its life (`metadata.status`, `sunset`, `replacedBy`, `replaces` of the spec). */
export interface ProductLifecycle {
  readonly status: LifecycleStatus;
  /** The day a deprecated product stops being served, YYYY-MM-DD (UTC). @default - none */
  readonly sunset?: string;
  /** @default - none */
  readonly replacedBy?: LifecycleReplacement;
  /** The products (or ports) this one takes over from. @default - none */
  readonly replaces?: readonly LifecycleReplacement[];
}

/** The status a product definition is in (`lifecycle` absent: active). */
export function lifecycleStatus(product: Pick<ProductDefinition, 'lifecycle'>): LifecycleStatus {
  return product.lifecycle?.status ?? 'active';
}

/** `orders/order-events-v2` or `orders/order-events-v2 port order_events`. */
export function describeReplacement(replacement: LifecycleReplacement): string {
  return replacement.port === undefined ? replacement.product : `${replacement.product} port ${replacement.port}`;
}

/** The DataHub actor credited with the platform's catalog changes. */
export const PLATFORM_ACTOR = 'urn:li:corpuser:data-mesh-platform';

/** DataHub's `deprecation` aspect (com.linkedin.common.Deprecation) of one port. */
export interface DeprecationAspect {
  readonly deprecated: boolean;
  /** Epoch milliseconds: the start (00:00 UTC) of the sunset day, the first day the port is no longer served. */
  readonly decommissionTime?: number;
  readonly note: string;
  readonly actor: string;
  /** URN of the dataset consumers move to. */
  readonly replacement?: string;
}

/** A port's deprecation as the catalog registration carries it. */
export interface PortDeprecation {
  readonly status: 'deprecated' | 'retired';
  /** YYYY-MM-DD (UTC). @default - no decommission time */
  readonly sunset?: string;
  /** @default - none named */
  readonly replacedBy?: LifecycleReplacement;
  /** @default - no replacement URN */
  readonly replacementUrn?: string;
}

/**
 * What a port's deprecation is: the product's (deprecated or retired) or the port's own
 * (`deprecated: true`), with the sunset and replacement of the one that applies (the port's
 * own first); undefined for a port in service.
 */
export function portDeprecation(product: Pick<ProductDefinition, 'lifecycle'>, port: Pick<PortDefinition, 'deprecated' | 'sunset' | 'replacedBy' | 'replacementUrn'>): PortDeprecation | undefined {
  const status = lifecycleStatus(product);
  const productWide = status === 'deprecated' || status === 'retired';
  if (!productWide && !port.deprecated) return undefined;
  return {
    status: status === 'retired' ? 'retired' : 'deprecated',
    sunset: (port.deprecated ? port.sunset : undefined) ?? product.lifecycle?.sunset,
    replacedBy: (port.deprecated ? port.replacedBy : undefined) ?? product.lifecycle?.replacedBy,
    replacementUrn: port.replacementUrn,
  };
}

/** The `deprecation` aspect of a port: `deprecated: false` for one in service, so an undone deprecation leaves the catalog too. */
export function deprecationAspect(deprecation: PortDeprecation | undefined): DeprecationAspect {
  if (!deprecation) return { deprecated: false, note: '', actor: PLATFORM_ACTOR };
  const move = deprecation.replacedBy ? ` Consumers move to ${describeReplacement(deprecation.replacedBy)}.` : '';
  const note = deprecation.status === 'retired'
    ? `Retired${deprecation.sunset ? ` since its sunset ${deprecation.sunset}` : ''}: no longer served.${move}`
    : `Deprecated: served until its sunset ${deprecation.sunset ?? '(not set)'} (UTC), then retired.${move}`;
  return {
    deprecated: true,
    ...(deprecation.sunset ? { decommissionTime: Date.parse(`${deprecation.sunset}T00:00:00Z`) } : {}),
    note,
    actor: PLATFORM_ACTOR,
    ...(deprecation.replacementUrn ? { replacement: deprecation.replacementUrn } : {}),
  };
}

/** Whether a product's lifecycle lets it grant a consumer (`<domain>/<product>`): see {@link grantableConsumers}. */
export function mayGrant(product: Pick<ProductDefinition, 'domain' | 'lifecycle'>, consumer: string): boolean {
  const status = lifecycleStatus(product);
  return status !== 'retired' && (status !== 'shadow' || consumer.startsWith(`${product.domain}/`));
}

/**
 * The consumers a product's lifecycle lets it grant: none when retired (no one may read it),
 * only those of its own domain when shadow (it is not authoritative yet), all otherwise. Each
 * withheld consumer is a warning on `scope`, since the spec should not have let it read (MESH124, MESH125).
 */
export function grantableConsumers(scope: Construct, product: Pick<ProductDefinition, 'domain' | 'name' | 'lifecycle'>, consumers: readonly ConsumerGrant[]): ConsumerGrant[] {
  const status = lifecycleStatus(product);
  const allowed = consumers.filter((c) => mayGrant(product, c.consumer));
  for (const c of consumers.filter((x) => !allowed.includes(x))) {
    Annotations.of(scope).addWarningV2('@data-mesh/cdk:lifecycleGrantWithheld', `${c.consumer} is granted nothing on ${product.domain}/${product.name}: a ${status} product ${status === 'retired' ? 'is read by no one' : 'is read only inside its own domain'}`);
  }
  return allowed;
}

/** The storage class a retired product's data files move to. */
export const ARCHIVE_STORAGE_CLASS = s3.StorageClass.GLACIER;

/**
 * Archives a retired product's table data: a lifecycle rule per batch port on the data bucket
 * of its location moves every object under the location to S3 Glacier Flexible Retrieval at
 * once and expires it when it is `retentionDays` old. The expiry is safe only because the
 * product is retired: nothing reads or commits to the table any more, so no live Iceberg
 * metadata points at the files (for a product in service, retention deletes rows instead).
 * Returns the rules added. Throws when a location's bucket is not among `dataBuckets`.
 */
export function archiveRetiredData(dataBuckets: ReadonlyMap<string, s3.Bucket>, product: ProductDefinition): s3.LifecycleRule[] {
  const key = `${product.domain}/${product.name}`;
  if (lifecycleStatus(product) !== 'retired') throw new Error(`archiveRetiredData: ${key} is ${lifecycleStatus(product)}, not retired; only a retired product's data is archived`);
  const rules: s3.LifecycleRule[] = [];
  for (const port of product.outputPorts) {
    if (port.type !== 'batch' || !port.location) continue;
    const { bucket: name, prefix } = parseS3Location(port.location);
    const bucket = dataBuckets.get(name);
    if (!bucket) throw new Error(`archiveRetiredData: ${key} port ${port.name} lives in bucket ${name}, which is not a data bucket of the platform (${[...dataBuckets.keys()].join(', ') || 'none'})`);
    const rule: s3.LifecycleRule = {
      id: `retired-${product.domain}-${product.name}-${port.name}`.slice(0, 255),
      prefix,
      transitions: [{ storageClass: ARCHIVE_STORAGE_CLASS, transitionAfter: Duration.days(0) }],
      expiration: Duration.days(product.retentionDays),
    };
    bucket.addLifecycleRule(rule);
    rules.push(rule);
  }
  return rules;
}
