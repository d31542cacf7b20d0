export { runCheck } from './check';
export { describeScope, renderCheckMarkdown } from './markdown';
export type { CheckOptions, CheckReport, CheckScope, DataCheckInput, DataCheckResult } from './report';
