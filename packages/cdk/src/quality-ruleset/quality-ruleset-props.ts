import type { RuleExpression } from '@data-mesh/spec';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FunctionNetwork } from '../common/lambda';

/** One quality check: the parsed rule (`parseQualityRule` of `@data-mesh/spec`) or ready DQDL. */
export interface QualityCheck {
  /** The rule text as written in the spec (kept in the ruleset description and outputs). */
  readonly rule: string;
  /** The parsed rule; translated to DQDL. Give this or `dqdl`. */
  readonly expression?: RuleExpression;
  /** DQDL rules used as they are. */
  readonly dqdl?: readonly string[];
  /**
   * `error` fails the evaluation (and pages); `warning` is evaluated in a separate ruleset that only reports.
   * @default 'error'
   */
  readonly severity?: 'error' | 'warning';
}

export interface QualityRulesetProps {
  /** Base name of the rulesets: `<name>` (errors) and `<name>-warnings`. */
  readonly rulesetName: string;
  readonly databaseName: string;
  readonly tableName: string;
  readonly checks: readonly QualityCheck[];
  /** @default - none */
  readonly description?: string;
  /**
   * Where a failed evaluation of the error ruleset is announced (the domain's alert topic).
   * @default - no alert
   */
  readonly alertTopic?: sns.ITopic;
  /**
   * The EventBridge `source` a pipeline emits on completion (`detail-type: "Pipeline Run Succeeded"`,
   * `detail: {database, table}`); besides, every Glue Data Catalog update of the table (an Iceberg commit)
   * triggers an evaluation.
   * @default 'data-mesh.pipeline'
   */
  readonly pipelineEventSource?: string;
  /** @default - not in a VPC */
  readonly network?: FunctionNetwork;
}
