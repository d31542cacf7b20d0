/**
 * `@data-mesh/spec/core`: what validating a mesh needs (loading, the contract rules, the
 * diagnostics) without the diff, the deploy plan and the quality compiler, so that a command
 * that only validates, and the policy package, load 60 of the package's 100 modules (`mesh validate` start-up).
 */
export { accessPolicyName, policyDirs, regoFiles } from './access-policies';
export { codeDocsUrl } from './code-docs';
export { mergeDiagnostics, summarize, type Diagnostic, type Severity } from './diagnostics';
export { parseYaml, SourceDocument } from './document';
export { resolveInPorts } from './fields';
export { DOMAIN_MAP_FILE, DOMAINS_DIR, loadMesh, schemaFileFor, SPEC_FILE_NAME } from './load';
export type { Mesh } from './mesh';
export type { DataProduct, OutputPort } from './model';
export { fileSystemSource } from './source';
export { validateMeshParallel, type ValidationResult } from './validate';
