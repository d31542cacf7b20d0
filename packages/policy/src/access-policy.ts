import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODES, type Diagnostic } from './diagnostics';
import { locateInProduct } from './locate';
import { meshProducts, type MeshLike } from './mesh-input';

/**
 * Product access policies: a spec says `access_policy: opa://<bundle>/<name>`; the policy is
 * the Rego package `data_mesh.access.<bundle_id>.<name_id>` where an id is the kebab-case
 * name with `-` replaced by `_` (`opa://customer-domain/customer-360-access` ->
 * `data_mesh.access.customer_domain.customer_360_access`). The package declares
 * `policy_ref := "opa://<bundle>/<name>"` (so the mapping is checked both ways) and a set
 * `deny` of `{code, message}` objects; data_mesh.governance adds those to its reasons.
 */
export const ACCESS_PACKAGE_ROOT = 'data_mesh.access';

const KEBAB = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const REF = new RegExp(`^opa://(${KEBAB})/(${KEBAB})$`);

export interface AccessPolicyName {
  readonly ref: string;
  readonly bundle: string;
  readonly name: string;
  /** `data_mesh.access.<bundle_id>.<name_id>` */
  readonly package: string;
  /** The two segments below data_mesh.access, as the generated data's `access_package`. */
  readonly segments: readonly [string, string];
}

/** Parses `opa://<bundle>/<name>`; undefined when the reference is not of that form. */
export function accessPolicyName(ref: string): AccessPolicyName | undefined {
  const m = REF.exec(ref);
  if (!m) return undefined;
  const bundle = m[1] as string;
  const name = m[2] as string;
  const segments = [bundle.replace(/-/g, '_'), name.replace(/-/g, '_')] as const;
  return { ref, bundle, name, package: `${ACCESS_PACKAGE_ROOT}.${segments[0]}.${segments[1]}`, segments };
}

export interface RegoPackage {
  readonly package: string;
  /** Relative to the repository root. */
  readonly file: string;
  readonly line: number;
  /** The value of a top-level `policy_ref := "..."`, when the file declares one. */
  readonly policyRef?: string;
}

export type ResolveResult =
  | { readonly ok: true; readonly package: string; readonly file?: string; readonly line?: number }
  | { readonly ok: false; readonly message: string; readonly hint: string };

/**
 * Resolves a spec's access_policy reference against the Rego packages of the repository
 * (`scanRegoPackages(root)`, or any list of package names). For the spec validator (MESH114
 * beyond the lexical check) and for the data generator.
 */
export function resolveAccessPolicy(ref: string, regoPackages: ReadonlyMap<string, RegoPackage> | Iterable<string>): ResolveResult {
  const name = accessPolicyName(ref);
  if (!name) {
    return {
      ok: false,
      message: `access_policy '${ref}' is not of the form opa://<bundle>/<name> (kebab-case)`,
      hint: 'e.g. opa://customer-domain/customer-360-access',
    };
  }
  const packages: ReadonlyMap<string, RegoPackage | undefined> =
    regoPackages instanceof Map ? regoPackages : new Map([...(regoPackages as Iterable<string>)].map((p) => [p, undefined]));
  const domain = name.bundle.replace(/-domain$/, '');
  const fileHint = `domains/${domain}/policies/${name.segments[1]}.rego`;
  if (!packages.has(name.package)) {
    return {
      ok: false,
      message: `access_policy '${ref}' does not resolve: no Rego package ${name.package}`,
      hint: `write ${fileHint} with 'package ${name.package}' and 'policy_ref := "${ref}"'`,
    };
  }
  const found = packages.get(name.package);
  if (found && found.policyRef !== undefined && found.policyRef !== ref) {
    return {
      ok: false,
      message: `package ${name.package} (${found.file}) declares policy_ref "${found.policyRef}", not "${ref}"`,
      hint: `set policy_ref := "${ref}" in ${found.file}`,
    };
  }
  if (found && found.policyRef === undefined) {
    return {
      ok: false,
      message: `package ${name.package} (${found.file}) does not declare policy_ref; data_mesh.governance denies every request until it does`,
      hint: `add policy_ref := "${ref}" to ${found.file}`,
    };
  }
  return found ? { ok: true, package: name.package, file: found.file, line: found.line } : { ok: true, package: name.package };
}

/** The folders whose Rego the toolchain loads, relative to the root. */
export function policyDirs(root: string): string[] {
  const dirs: string[] = [];
  if (fs.existsSync(path.join(root, 'governance', 'policies'))) dirs.push('governance/policies');
  const domains = path.join(root, 'domains');
  if (fs.existsSync(domains)) {
    for (const d of fs.readdirSync(domains, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (d.isDirectory() && fs.existsSync(path.join(domains, d.name, 'policies'))) dirs.push(`domains/${d.name}/policies`);
    }
  }
  return dirs;
}

/** Rego files (not tests) of the policy folders, relative to the root. */
export function regoFiles(root: string, options: { tests?: boolean } = {}): string[] {
  const files: string[] = [];
  for (const dir of policyDirs(root)) {
    for (const f of fs.readdirSync(path.join(root, dir)).sort()) {
      if (!f.endsWith('.rego')) continue;
      if (f.endsWith('_test.rego') && !options.tests) continue;
      files.push(`${dir}/${f}`);
    }
  }
  return files;
}

/** Every package declared by the repository's (non-test) Rego files, with file, line and policy_ref. */
export function scanRegoPackages(root: string): Map<string, RegoPackage> {
  const packages = new Map<string, RegoPackage>();
  for (const file of regoFiles(root)) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const lines = text.split('\n');
    let pkg: RegoPackage | undefined;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const p = /^package\s+([A-Za-z_][\w.]*)\s*$/.exec(line);
      if (p && !pkg) pkg = { package: p[1] as string, file, line: i + 1 };
      const r = /^policy_ref\s*:=\s*"([^"]*)"\s*$/.exec(line);
      if (r && pkg) pkg = { ...pkg, policyRef: r[1] as string };
    }
    if (pkg && !packages.has(pkg.package)) packages.set(pkg.package, pkg);
  }
  return packages;
}

/**
 * Resolves every spec's access_policy against the repository's Rego packages: MESH320 when
 * no package matches, MESH321 when the package's policy_ref disagrees (or is missing), at the
 * access_policy node of the spec.
 */
export function checkAccessPolicies(root: string, mesh: MeshLike, packages: ReadonlyMap<string, RegoPackage> = scanRegoPackages(root)): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const product of meshProducts(mesh)) {
    const ref = product.spec.spec?.governance?.access_policy;
    if (typeof ref !== 'string') continue;
    const result = resolveAccessPolicy(ref, packages);
    if (result.ok) continue;
    const pos = locateInProduct(root, product, ['spec', 'governance', 'access_policy']);
    const code = packages.has(accessPolicyName(ref)?.package ?? '') ? CODES.accessPolicyRef : CODES.accessPolicyUnresolved;
    diagnostics.push({ severity: 'error', code, message: `${product.domain}/${product.name}: ${result.message}`, file: product.file, line: pos.line, column: pos.column, hint: result.hint });
  }
  return diagnostics;
}
