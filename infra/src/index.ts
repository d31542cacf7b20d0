export { synthesize, TOPIC_MANIFEST_FILE, type SynthesizeOptions, type SynthesizeResult, type SynthesizedTemplate, type SynthProgress } from './synthesize';
export { buildMeshApp, estimateResources, type BuiltApp, type BuildOptions } from './app';
export { loadInfraConfig, CONFIG_FILE, EXAMPLE_CONFIG_FILE, type InfraConfig } from './config';
export { schemaHistories } from './schema-history';
export { addNagChecks } from './nag';
export { planChange, PLAN_CODES, STATEFUL_TYPES, type PlanOptions, type PlanResult } from './plan';
