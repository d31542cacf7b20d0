/**
 * The files, relative to the mesh root, whose change can change the deployed infrastructure: the
 * domain map, specs and schemas under domains/, platform.yaml, and the CDK app's config.
 */
export const INFRA_INPUT_FILES = ['domains', 'platform.yaml', 'infra/config.yaml', 'infra/config.example.yaml'] as const;

/** Whether a change to these files (relative to the mesh root) reaches the infrastructure, so a plan is worth making. */
export function reachesInfrastructure(changedFiles: readonly string[]): boolean {
  return changedFiles.some((f) => INFRA_INPUT_FILES.some((p) => f === p || f.startsWith(`${p}/`)));
}
