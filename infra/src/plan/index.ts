export { planChange, type PlanOptions, type PlanResult } from './plan';
export { PLAN_CODES } from './findings';
export { STATEFUL_TYPES } from './template-diff';
export { planScope, productsToBuild, type PlanScope } from './scope';
