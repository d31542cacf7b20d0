import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Diagnostic, Mesh } from '@data-mesh/spec';
import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { buildMeshApp, pascalCase } from '../app';
import type { InfraConfig } from '../config';
import type { DecisionPolicy } from '../decision';
import { productConstructs } from '../owners';

/** A CloudFormation template as JSON. */
export type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }> } & Record<string, unknown>;

/** Who a resource belongs to: a product (and port), or a domain's shared resources. */
export interface Owner {
  readonly product?: string;
  readonly port?: string;
  readonly domain?: string;
}

/** One side (base or head) of a plan, synthesized. */
export interface SynthesizedSide {
  /** The templates to diff, by stack name; the access stacks merged into one `<prefix>-Access`. */
  readonly templates: Map<string, Template>;
  /** `<stack>/<logical id>` -> owner. */
  readonly owners: Map<string, Owner>;
  /** Errors of building or synthesizing (MESH502/505/507). */
  readonly diagnostics: Diagnostic[];
  readonly ms: number;
}

export const ACCESS_STACK = (prefix: string) => `${prefix}-Access`;

/**
 * Synthesizes the stacks of `domains` (every part of a split domain), the platform stack, the
 * Lake Formation grants and the governance stack (the policy decision function, with this
 * side's policies and data), building only the products in `build`. Templates are written to a
 * temporary directory, read, and the directory removed, whatever happens.
 */
export function synthesizeSide(mesh: Mesh, config: InfraConfig, domains: ReadonlySet<string>, build: ReadonlySet<string>, schemaVersions: (file: string) => readonly string[] | undefined, decisionPolicy: DecisionPolicy): SynthesizedSide {
  const t0 = performance.now();
  const diagnostics: Diagnostic[] = [];
  const templates = new Map<string, Template>();
  const owners = new Map<string, Owner>();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-plan-'));
  try {
    // No topic manifest: the plan compares templates, and a replacing topic change is its finding.
    const built = buildMeshApp(mesh, config, diagnostics, { outdir, schemaVersions, include: (id) => build.has(id), decisionPolicy });
    const own = (root: IConstruct, owner: Owner) => {
      for (const c of root.node.findAll()) {
        if (!CfnResource.isCfnResource(c)) continue;
        const stack = Stack.of(c);
        const stackName = stack.stackName.startsWith(ACCESS_STACK(config.stackPrefix)) ? ACCESS_STACK(config.stackPrefix) : stack.stackName;
        const key = `${stackName}/${stack.resolve(c.logicalId) as string}`;
        // The innermost owner wins (a port inside a product): ports are walked after their product.
        owners.set(key, { ...owners.get(key), ...owner });
      }
    };
    for (const [construct, owner] of productConstructs(built)) own(construct, { ...owner, domain: owner.product.slice(0, owner.product.indexOf('/')) });
    for (const d of mesh.domains.keys()) {
      const construct = built.platformStack.node.tryFindChild(`Domain${pascalCase(d)}`);
      if (construct) own(construct, { domain: d });
    }
    let assembly;
    try {
      assembly = built.app.synth();
    } catch (e) {
      diagnostics.push({ severity: 'error', code: 'MESH507', message: `synthesis failed: ${String((e as Error)?.message ?? e).split('\n')[0]}`, file: 'infra', line: 1, column: 1 });
      return { templates, owners, diagnostics, ms: performance.now() - t0 };
    }
    const wanted = new Set<string>([built.platformStack.stackName, ...(built.governanceStack ? [built.governanceStack.stackName] : [])]);
    for (const d of domains) for (const s of built.domainStacks.get(d) ?? []) wanted.add(s.stackName);
    const access: Template = { Resources: {} };
    for (const s of assembly.stacks) {
      const template = s.template as Template;
      if (built.accessStacks.some((a) => a.stackName === s.stackName)) Object.assign(access.Resources!, template.Resources ?? {});
      else if (wanted.has(s.stackName)) templates.set(s.stackName, template);
    }
    templates.set(ACCESS_STACK(config.stackPrefix), access);
    return { templates, owners, diagnostics, ms: performance.now() - t0 };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
