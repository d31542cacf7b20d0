/** The DQDL translation lives in @data-mesh/spec's shared rule compiler; re-exported for the construct's users. */
export { DqdlTranslationError, dqdlRuleset, toDqdlRules } from '@data-mesh/spec';
export * from './quality-ruleset-props';
export * from './quality-ruleset';
