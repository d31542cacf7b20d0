/**
 * The names the platform derives for AWS resources. The validator checks them and the CDK
 * constructs use them, so a name that would be invalid or collide fails at review, not deploy.
 */

const snake = (kebab: string): string => kebab.replace(/-/g, '_');

/** Glue database of a domain (one per domain). */
export function glueDatabaseName(domain: string): string {
  return `${snake(domain)}_domain`;
}

/** Glue (Iceberg) table of a batch port, inside its domain's database. */
export function glueTableName(product: string, port: string): string {
  return `${snake(product)}_${port}`;
}

/** Glue schema registry of a domain; each Avro subject is a schema in it. */
export function schemaRegistryName(domain: string): string {
  return `${domain}-domain`;
}

/** Athena workgroup of a domain. */
export function athenaWorkgroupName(domain: string): string {
  return `${domain}-domain`;
}

/** Kafka folds '.' and '_' together in metric names, so two topics differing only there collide. */
export function kafkaMetricName(topic: string): string {
  return topic.replace(/\./g, '_');
}

/** Why an S3 bucket name is invalid, or undefined when it is valid. */
export function invalidBucketName(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return 'a bucket name has 3 to 63 characters';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)) return 'a bucket name uses lowercase letters, digits, dots and hyphens, and starts and ends with a letter or digit';
  if (/\.\.|\.-|-\./.test(bucket)) return 'a bucket name has no two adjacent dots and no dot next to a hyphen';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return 'a bucket name must not look like an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(bucket) || /(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(bucket)) return 'the bucket name uses a prefix or suffix that AWS reserves';
  return undefined;
}

/** `{ bucket, prefix }` of an s3:// location; the prefix ends in '/'. */
export function splitS3Location(location: string): { bucket: string; prefix: string } {
  const rest = location.replace(/^s3:\/\//, '');
  const slash = rest.indexOf('/');
  if (slash === -1) return { bucket: rest, prefix: '' };
  const prefix = rest.slice(slash + 1);
  return { bucket: rest.slice(0, slash), prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

/** The construct-id form of a name, as the infra app names stacks and constructs: `customer-360` -> `Customer360`. */
export function constructName(text: string): string {
  return text.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
}

/** The app's own stacks, `<prefix>-<name>`; a domain's stack is `<prefix>-<constructName(domain)>`, so it cannot take one of these. */
export const PLATFORM_STACKS = { platform: 'Platform', access: 'Access', dashboards: 'Dashboards', governance: 'Governance' } as const;
