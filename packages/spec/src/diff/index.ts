export { diffMesh, type DiffOptions } from './diff';
export { CHANGE_RULES } from './rules';
export type { ChangeRule, ChangeSink } from './context';
export { changedFiles, git, GitError, gitSource, readObjects, resolveRevision } from './git';
export { impactGraph, renderDiffMarkdown } from './markdown';
export * from './types';
