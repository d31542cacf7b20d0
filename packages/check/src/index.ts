export { runCheck } from './check';
export { renderCheckMarkdown, renderFindingsTable } from './markdown';
export type { CheckOptions, CheckReport } from './report';
