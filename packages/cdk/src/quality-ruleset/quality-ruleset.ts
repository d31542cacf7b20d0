import { Lazy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lf from 'aws-cdk-lib/aws-lakeformation';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { stackSingletonFunction } from '../common/lambda';
import { dqdlRuleset, toDqdlRules } from '@data-mesh/spec';
import { QualityRulesetProps } from './quality-ruleset-props';

/**
 * Glue Data Quality rulesets (`AWS::Glue::DataQualityRuleset`) translated from a product's
 * `qualityChecks`, and what runs them: CloudFormation has no resource for evaluation runs, so an
 * EventBridge rule fires on pipeline completion (a `Pipeline Run Succeeded` event) and on every
 * Glue Data Catalog change of the table (each Iceberg commit), and a shared function calls
 * `StartDataQualityRulesetEvaluationRun` with a role scoped to the table. Failed evaluations of
 * the error ruleset go to the alert topic.
 */
export class QualityRuleset extends Construct {
  /** The error ruleset's DQDL. */
  readonly dqdl: string;
  /** The warning ruleset's DQDL, when there are warning checks. */
  readonly warningDqdl?: string;
  readonly rulesetNames: string[] = [];
  /** The role Glue Data Quality runs as (shared by the rulesets of a stack). */
  readonly evaluationRole: iam.Role;
  readonly trigger: events.Rule;

  constructor(scope: Construct, id: string, props: QualityRulesetProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const translate = (sev: 'error' | 'warning') => props.checks
      .filter((c) => (c.severity ?? 'error') === sev)
      .flatMap((c) => {
        if (c.dqdl) return [...c.dqdl];
        if (!c.expression) throw new Error(`QualityRuleset ${this.node.path}: check "${c.rule}" has neither a parsed expression nor DQDL`);
        try {
          return toDqdlRules(c.expression);
        } catch (e) {
          throw new Error(`QualityRuleset ${this.node.path}: check "${c.rule}": ${(e as Error).message}`);
        }
      });
    const errors = translate('error');
    const warnings = translate('warning');
    if (errors.length + warnings.length === 0) throw new Error(`QualityRuleset ${this.node.path}: no checks`);
    const target = { databaseName: props.databaseName, tableName: props.tableName };
    const describe = (sev: string) => `${props.description ?? `${props.databaseName}.${props.tableName}`} (${sev}): ${props.checks.filter((c) => (c.severity ?? 'error') === sev).map((c) => c.rule).join(' | ')}`.slice(0, 2048);

    this.dqdl = errors.length ? dqdlRuleset(errors) : '';
    if (errors.length) {
      new glue.CfnDataQualityRuleset(this, 'Errors', { name: props.rulesetName, ruleset: this.dqdl, targetTable: target, description: describe('error') });
      this.rulesetNames.push(props.rulesetName);
    }
    if (warnings.length) {
      this.warningDqdl = dqdlRuleset(warnings);
      new glue.CfnDataQualityRuleset(this, 'Warnings', { name: `${props.rulesetName}-warnings`, ruleset: this.warningDqdl, targetTable: target, description: describe('warning') });
      this.rulesetNames.push(`${props.rulesetName}-warnings`);
    }

    // The role Glue Data Quality runs as: read this table only.
    const tableArn = stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${props.databaseName}/${props.tableName}` });
    this.evaluationRole = sharedEvaluationRole(stack);
    this.evaluationRole.addToPolicy(new iam.PolicyStatement({
      actions: ['glue:GetTable', 'glue:GetDatabase', 'glue:GetPartitions', 'glue:GetDataQualityRuleset', 'glue:PublishDataQuality', 'lakeformation:GetDataAccess'],
      resources: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: props.databaseName }),
        tableArn,
        ...this.rulesetNames.map((n) => stack.formatArn({ service: 'glue', resource: 'dataQualityRuleset', resourceName: n })),
      ],
    }));
    new lf.CfnPrincipalPermissions(this, 'EvaluationSelect', {
      catalog: stack.account,
      principal: { dataLakePrincipalIdentifier: this.evaluationRole.roleArn },
      resource: { table: { catalogId: stack.account, databaseName: props.databaseName, name: props.tableName } },
      permissions: ['SELECT', 'DESCRIBE'],
      permissionsWithGrantOption: [],
    });

    const runner = stackSingletonFunction(this, {
      handler: 'quality-runner',
      description: 'Starts Glue Data Quality evaluations after pipeline runs (data-mesh QualityRuleset)',
      network: props.network,
    });
    runner.addToRolePolicy(new iam.PolicyStatement({
      actions: ['glue:StartDataQualityRulesetEvaluationRun'],
      resources: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: props.databaseName }),
        tableArn,
        ...this.rulesetNames.map((n) => stack.formatArn({ service: 'glue', resource: 'dataQualityRuleset', resourceName: n })),
      ],
    }));
    if (!runner.node.tryFindChild('PassesEvaluationRole')) {
      new Construct(runner, 'PassesEvaluationRole');
      this.evaluationRole.grantPassRole(runner.grantPrincipal);
    }

    this.trigger = new events.Rule(this, 'Trigger', {
      description: `Evaluate data quality of ${props.databaseName}.${props.tableName} after each pipeline run`,
      eventPattern: {
        source: [props.pipelineEventSource ?? 'data-mesh.pipeline', 'aws.glue'],
        detailType: ['Pipeline Run Succeeded', 'Glue Data Catalog Table State Change'],
        detail: { databaseName: [props.databaseName], tableName: [props.tableName] },
      },
    });
    this.trigger.addTarget(new targets.LambdaFunction(runner, {
      event: events.RuleTargetInput.fromObject({
        databaseName: props.databaseName,
        tableName: props.tableName,
        rulesetNames: this.rulesetNames,
        roleArn: this.evaluationRole.roleArn,
        trigger: events.EventField.fromPath('$.detail-type'),
      }),
      retryAttempts: 2,
    }));

    if (props.alertTopic && errors.length) failureAlerts(stack, props.alertTopic).push(props.rulesetName);
  }
}

function sharedEvaluationRole(stack: Stack): iam.Role {
  const id = 'DataMeshQualityEvaluationRole';
  const existing = stack.node.tryFindChild(id) as iam.Role | undefined;
  if (existing) return existing;
  return new iam.Role(stack, id, {
    assumedBy: new iam.ServicePrincipal('glue.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
    description: 'Glue Data Quality evaluations of the data-mesh tables in this stack',
  });
}

const alertNames = new WeakMap<events.Rule, string[]>();
const NAMES_PER_ALERT_RULE = 40; // keeps each event pattern well under EventBridge's size limit

/** EventBridge rules per stack and alert topic (one per 40 rulesets) matching failed evaluations of error rulesets. */
function failureAlerts(stack: Stack, topic: sns.ITopic): string[] {
  for (let n = 1; ; n++) {
    const id = `DataMeshQualityFailures${topic.node.addr.slice(0, 8)}${n}`;
    const rule = stack.node.tryFindChild(id) as events.Rule | undefined;
    if (rule) {
      const names = alertNames.get(rule)!;
      if (names.length < NAMES_PER_ALERT_RULE) return names;
      continue;
    }
    const names: string[] = [];
    const created = new events.Rule(stack, id, {
      description: 'Page the owners when a data-quality error ruleset fails',
      eventPattern: {
        source: ['aws.glue-dataquality'],
        detailType: ['Data Quality Evaluation Results Available'],
        detail: { rulesetNames: Lazy.list({ produce: () => names }), state: ['FAILED'] },
      },
      targets: [new targets.SnsTopic(topic)],
    });
    alertNames.set(created, names);
    return names;
  }
}
