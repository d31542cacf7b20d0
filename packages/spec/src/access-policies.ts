import type { MeshSource } from './source';

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
 * (`scanRegoPackages(source)`, or any list of package names): for MESH114 and the policy data.
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

/** The folders whose Rego the toolchain loads, relative to the root: governance/policies and domains/<d>/policies. */
export function policyDirs(source: MeshSource): string[] {
  const dirs: string[] = [];
  if (source.list('governance/policies')) dirs.push('governance/policies');
  for (const d of source.list('domains') ?? []) {
    if (d.kind === 'dir' && source.list(`domains/${d.name}/policies`)) dirs.push(`domains/${d.name}/policies`);
  }
  return dirs;
}

/** Rego files (tests only when asked) of the policy folders, relative to the root. */
export function regoFiles(source: MeshSource, options: { tests?: boolean } = {}): string[] {
  const files: string[] = [];
  for (const dir of policyDirs(source)) {
    for (const f of source.list(dir) ?? []) {
      if (f.kind !== 'file' || !f.name.endsWith('.rego')) continue;
      if (f.name.endsWith('_test.rego') && !options.tests) continue;
      files.push(`${dir}/${f.name}`);
    }
  }
  return files;
}

const MAX_REGO_BYTES = 1 << 20;

/** Every package declared by the repository's (non-test) Rego files, with file, line and policy_ref. */
export function scanRegoPackages(source: MeshSource): Map<string, RegoPackage> {
  const packages = new Map<string, RegoPackage>();
  for (const file of regoFiles(source)) {
    const read = source.read(file, MAX_REGO_BYTES);
    if (read.kind !== 'ok') continue;
    const text = read.bytes.toString('utf8');
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
