import { constructName, glueTableName, invalidBucketName, kafkaMetricName, PLATFORM_STACKS, splitS3Location } from '../aws-names';
import type { DataProduct, OutputPort } from '../model';
import type { Mesh } from '../mesh';
import type { Finding, Rule } from './rule';

const GLUE_NAME_LIMIT = 255;

function describe(port: OutputPort): string {
  return `${port.product.id} port "${port.name}"`;
}

export const awsNames: Rule = {
  code: 'MESH115',
  name: 'aws-names',
  title: 'Names derived for AWS resources are valid and do not collide across the mesh',
  severity: 'error',
  scope: 'mesh',
  check({ mesh, report }) {
    stackAndConstructNames(mesh, report);
    const topics = new Map<string, OutputPort>();
    const tables = new Map<string, OutputPort>();
    const locations: { bucket: string; prefix: string; port: OutputPort }[] = [];
    for (const product of mesh.judgedProducts()) {
      for (const port of product.outputPorts) {
        const path = ['spec', 'outputPorts', port.index];
        const { topic, location } = port.spec;
        if (port.spec.type === 'stream' && topic !== undefined) {
          const key = kafkaMetricName(topic);
          const other = topics.get(key);
          if (other) {
            report({
              document: product.document,
              path: [...path, 'topic'],
              message: `the topic "${topic}" collides with "${other.spec.topic}" of ${describe(other)}`,
              hint: other.spec.topic === topic ? 'two ports cannot publish to one topic' : "Kafka treats '.' and '_' alike in metric names, so these two topics collide",
            });
          } else topics.set(key, port);
        }
        if (port.spec.type === 'batch' && location !== undefined) {
          const table = `${product.domain}/${glueTableName(product.name, port.name)}`;
          const other = tables.get(table);
          if (other) {
            report({ document: product.document, path: [...path, 'name'], message: `the Glue table name "${glueTableName(product.name, port.name)}" derived from this port collides with ${describe(other)}`, hint: 'rename the port' });
          } else tables.set(table, port);
          if (glueTableName(product.name, port.name).length > GLUE_NAME_LIMIT) {
            report({ document: product.document, path: [...path, 'name'], message: `the Glue table name derived from this port is longer than ${GLUE_NAME_LIMIT} characters` });
          }
          const { bucket, prefix } = splitS3Location(location);
          const invalid = invalidBucketName(bucket);
          if (invalid) report({ document: product.document, path: [...path, 'location'], message: `"${bucket}" is not a valid S3 bucket name: ${invalid}` });
          locations.push({ bucket, prefix, port });
        }
      }
    }
    // Sorted by location, every location inside another follows it before any that is not.
    locations.sort((a, b) => (a.bucket + '/' + a.prefix < b.bucket + '/' + b.prefix ? -1 : 1));
    let container: (typeof locations)[number] | undefined;
    for (const current of locations) {
      if (!container || container.bucket !== current.bucket || !current.prefix.startsWith(container.prefix)) {
        container = current;
        continue;
      }
      report({
        document: current.port.product.document,
        path: ['spec', 'outputPorts', current.port.index, 'location'],
        message: `the location "${current.port.spec.location}" ${current.prefix === container.prefix ? 'is the same as' : 'lies inside'} the location of ${describe(container.port)}`,
        hint: 'each batch port owns its own S3 prefix: retention and grants on one would act on the other',
      });
    }
  },
};

const RESERVED_STACKS = new Set<string>(Object.values(PLATFORM_STACKS));

/**
 * A domain's stack is `<prefix>-<constructName(domain)>`, its products' constructs
 * `constructName(product)` in it and their grants `constructName(domain/product)` in the
 * access stack: names that meet there would fail synth, or (renamed) replace deployed resources.
 */
function stackAndConstructNames(mesh: Mesh, report: (finding: Finding) => void): void {
  const map = mesh.domainMap;
  const domains = new Map<string, string>();
  for (const name of mesh.domains.keys()) {
    const id = constructName(name);
    const at = map ? { document: map.document, path: ['domains', name], anchor: 'key' as const } : {};
    if (RESERVED_STACKS.has(id)) {
      report({ ...at, message: `the domain "${name}" would deploy as the stack <prefix>-${id}, which is the platform's own`, hint: `choose another domain name: ${[...RESERVED_STACKS].map((s) => s.toLowerCase()).join(', ')} are the platform's stacks` });
    } else if (domains.has(id)) {
      report({ ...at, message: `the domain "${name}" and the domain "${domains.get(id)}" would deploy as one stack, <prefix>-${id}`, hint: 'rename one of them' });
    } else domains.set(id, name);
  }
  const byConstruct = new Map<string, DataProduct[]>();
  for (const product of mesh.judgedProducts()) {
    const id = constructName(product.id);
    byConstruct.set(id, [...(byConstruct.get(id) ?? []), product]);
  }
  for (const [id, products] of byConstruct) {
    if (products.length < 2) continue;
    for (const product of products) {
      report({
        document: product.document,
        path: ['metadata', 'name'],
        message: `${product.id} and ${products.filter((p) => p !== product).map((p) => p.id).join(', ')} get the same construct id, ${id}, in the infrastructure app`,
        hint: 'names meet once their dashes and slashes are dropped and each part is capitalized; rename one of them',
      });
    }
  }
}
