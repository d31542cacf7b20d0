export * from './types';
export { planHeadline, renderPlanMarkdown } from './markdown';
export { readPlanFile, type PlanFileRead } from './read';
export { INFRA_INPUT_FILES, reachesInfrastructure } from './inputs';
