export { runCheck } from './check';
export { renderCheckMarkdown } from './markdown';
export type { CheckOptions, CheckReport } from './report';
