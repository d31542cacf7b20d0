// Starts a Glue Data Quality evaluation of a table's rulesets (data-mesh QualityRuleset).
// Input: {databaseName, tableName, rulesetNames, roleArn, trigger}. AWS SDK v3 from the runtime.
'use strict';
const { GlueClient, StartDataQualityRulesetEvaluationRunCommand } = require('@aws-sdk/client-glue');

const glue = new GlueClient({});

exports.handler = async (event) => {
  const { databaseName, tableName, rulesetNames, roleArn } = event;
  if (!databaseName || !tableName || !Array.isArray(rulesetNames) || rulesetNames.length === 0) {
    throw new Error(`bad input: ${JSON.stringify(event)}`);
  }
  const out = await glue.send(new StartDataQualityRulesetEvaluationRunCommand({
    DataSource: { GlueTable: { DatabaseName: databaseName, TableName: tableName } },
    Role: roleArn,
    RulesetNames: rulesetNames,
    // Composite rules (a OR b) are evaluated row by row, as the spec's rule language means them.
    AdditionalOptions: { CloudWatchMetricsEnabled: true, ResultsPublishingEnabled: true, CompositeRuleEvaluationMethod: 'ROW' },
  }));
  console.log(JSON.stringify({ started: out.RunId, databaseName, tableName, rulesetNames, trigger: event.trigger }));
  return { runId: out.RunId };
};
