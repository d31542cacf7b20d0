/**
 * The files, relative to the mesh root, whose change can change the deployed infrastructure: the
 * domain map, specs, schemas and access policies under domains/, platform.yaml, the CDK app's
 * config, and governance/ (the policies, standards and erasures the policy decision function ships).
 */
export const INFRA_INPUT_FILES = ['domains', 'governance', 'platform.yaml', 'infra/config.yaml', 'infra/config.example.yaml'] as const;

/** Whether a change to these files (relative to the mesh root) reaches the infrastructure, so a plan is worth making. */
export function reachesInfrastructure(changedFiles: readonly string[]): boolean {
  return changedFiles.some((f) => INFRA_INPUT_FILES.some((p) => f === p || f.startsWith(`${p}/`)));
}
