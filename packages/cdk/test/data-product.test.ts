import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DataProduct } from '../src';
import { CLUSTER_ARN, ENV, platformAndDomain, product } from './fixtures';

function synth() {
  const app = new App();
  const { platform, domain } = platformAndDomain(app);
  const stack = new Stack(app, 'Customer', { env: ENV });
  const dp = new DataProduct(stack, 'Customer360', {
    product: product(), domain, dataKey: platform.key,
    streaming: { clusterArn: CLUSTER_ARN, bootstrapBrokers: 'b-1.mesh:9098' },
    catalogServerUrl: 'https://datahub.internal:8080',
  });
  return { app, stack, dp, template: Template.fromStack(stack) };
}

describe('DataProduct', () => {
  it('creates the topic, the subject history, the table and the monitors', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::MSK::Topic', { TopicName: 'customer-domain.customer-360.v2', PartitionCount: 6, ReplicationFactor: 3 });
    template.resourceCountIs('AWS::Glue::Schema', 1);
    template.resourceCountIs('AWS::Glue::SchemaVersion', 1);
    template.hasResourceProperties('AWS::Glue::Schema', { Compatibility: 'BACKWARD_ALL', DataFormat: 'AVRO', Name: 'customer_profile_v2' });
    template.hasResourceProperties('Custom::IcebergTable', { TableName: 'customer_360_customer_snapshot_daily' });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(2 minutes)', FlexibleTimeWindow: { Mode: 'OFF' } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 300, TreatMissingData: 'breaching' });
    template.hasResourceProperties('AWS::Glue::DataQualityRuleset', { Ruleset: Match.stringLikeRegexp('IsComplete "customer_id"') });
  });
});
