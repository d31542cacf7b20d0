import type { Diagnostic, Mesh, Severity } from '@data-mesh/spec';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { BuiltApp } from './app';
import { productConstructs, type ConstructOwner } from './owners';

/** An annotation (error, warning or info) a construct raised during synthesis. */
export const ANNOTATION_CODE = 'MESH516';

const ACK = / \[ack: ([^\]]+)\]$/;

/**
 * Every annotation of the synthesized app (the constructs' warnings such as
 * `@data-mesh/cdk:qualityNotRun`, infos such as PII columns withheld from a consumer, CDK's
 * own, and errors) as a MESH516 diagnostic of the same severity: at the spec of the product
 * whose construct raised it (at the port's name when it is one port's, else line 1), naming
 * the product and port; at the infra config when no product owns the construct. The messages
 * come with the cloud assembly (read when it was loaded), and owners are found by construct
 * path: no walk of the construct tree.
 */
export function annotationDiagnostics(assembly: CloudAssembly, built: BuiltApp, mesh: Mesh, configFile: string): Diagnostic[] {
  const messages = assembly.stacks.flatMap((s) => s.messages);
  if (messages.length === 0) return [];
  const owners = new Map<string, ConstructOwner>();
  for (const [construct, owner] of productConstructs(built)) owners.set(construct.node.path, owner);
  return messages.map((m): Diagnostic => {
    const severity: Severity = m.level === 'error' ? 'error' : m.level === 'warning' ? 'warning' : 'info';
    const raw = String(m.entry.data);
    const ack = ACK.exec(raw);
    const text = ack ? raw.slice(0, ack.index) : raw;
    const hint = `raised by the construct ${m.id}${ack ? ` (${ack[1]})` : ''}`;
    const owner = ownerOf(m.id, owners);
    const product = owner && mesh.products.get(owner.product);
    if (!owner || !product) return { severity, code: ANNOTATION_CODE, message: text, file: configFile, line: 1, column: 1, hint };
    const port = owner.port === undefined ? undefined : product.outputPorts.find((o) => o.name === owner.port);
    const at = port ? product.document.locate(['spec', 'outputPorts', port.index, 'name']) : { line: 1, column: 1 };
    const who = owner.port === undefined ? owner.product : `${owner.product} port ${owner.port}`;
    // Most constructs name their product (and port) already: `<domain>/<product>[/<port>]: ...`.
    const named = text.startsWith(`${owner.product}/${owner.port ?? ''}`) || (owner.port === undefined && text.startsWith(`${owner.product}:`));
    return { severity, code: ANNOTATION_CODE, message: named ? text : `${who}: ${text}`, file: product.file, ...at, hint };
  });
}

/** The owner of the construct at `path` or of its nearest owned ancestor. */
function ownerOf(path: string, owners: ReadonlyMap<string, ConstructOwner>): ConstructOwner | undefined {
  let p = path.startsWith('/') ? path.slice(1) : path;
  for (;;) {
    const owner = owners.get(p);
    if (owner) return owner;
    const slash = p.lastIndexOf('/');
    if (slash < 0) return undefined;
    p = p.slice(0, slash);
  }
}
