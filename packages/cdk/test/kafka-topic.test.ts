import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ALLOW_DESTROY_CONTEXT, KafkaTopic, TopicReplacementError } from '../src';
import { CLUSTER_ARN, ENV } from './fixtures';

const stack = (context?: Record<string, unknown>) => new Stack(new App({ context }), 'S', { env: ENV });
const recorded = { topicName: 'orders.v1', clusterArn: CLUSTER_ARN, partitions: 12, replicationFactor: 3 };

describe('KafkaTopic', () => {
  it('documents its defaults and honours them: 6 partitions, replication 3, 7 days, delete, min ISR 2, retained', () => {
    const s = stack();
    new KafkaTopic(s, 'T', { clusterArn: CLUSTER_ARN, topicName: 'orders.v1' });
    const t = Template.fromStack(s);
    t.hasResource('AWS::MSK::Topic', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        TopicName: 'orders.v1', PartitionCount: 6, ReplicationFactor: 3,
        Configs: Buffer.from(JSON.stringify({ 'cleanup.policy': 'delete', 'retention.ms': String(7 * 86_400_000), 'min.insync.replicas': '2' })).toString('base64'),
      },
    });
  });

  it.each([
    ['a new name', { topicName: 'orders.v2' }, /name changes from "orders.v1" to "orders.v2"/],
    ['a new replication factor', { replicationFactor: 2 }, /replication factor changes from 3 to 2/],
    ['fewer partitions', { partitions: 6 }, /partitions decrease from 12 to 6/],
  ])('rejects %s against the recorded manifest at synth', (_what, change, message) => {
    let n = 0;
    const s = stack();
    const make = () => new KafkaTopic(s, `T${n++}`, { clusterArn: CLUSTER_ARN, topicName: 'orders.v1', partitions: 12, manifest: { 'sales/orders/orders_stream': recorded }, manifestKey: 'sales/orders/orders_stream', ...change });
    expect(make).toThrow(TopicReplacementError);
    expect(make).toThrow(message);
  });

  it('accepts more partitions (an in-place update) and a topic the manifest does not know', () => {
    const s = stack();
    expect(() => new KafkaTopic(s, 'A', { clusterArn: CLUSTER_ARN, topicName: 'orders.v1', partitions: 24, manifest: { k: recorded }, manifestKey: 'k' })).not.toThrow();
    expect(() => new KafkaTopic(s, 'B', { clusterArn: CLUSTER_ARN, topicName: 'new.v1', manifest: { k: recorded }, manifestKey: 'other' })).not.toThrow();
  });

  it('rejects names Kafka would refuse', () => {
    expect(() => new KafkaTopic(stack(), 'T', { clusterArn: CLUSTER_ARN, topicName: 'bad topic!' })).toThrow(/must match/);
  });

  it('keeps the topic on DESTROY unless the context flag allows it', () => {
    const s1 = stack();
    new KafkaTopic(s1, 'T', { clusterArn: CLUSTER_ARN, topicName: 'x.v1', removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(s1).hasResource('AWS::MSK::Topic', { DeletionPolicy: 'Retain' });
    const s2 = stack({ [ALLOW_DESTROY_CONTEXT]: true });
    new KafkaTopic(s2, 'T', { clusterArn: CLUSTER_ARN, topicName: 'x.v1', removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(s2).hasResource('AWS::MSK::Topic', { DeletionPolicy: 'Delete' });
  });

  it('grants produce and consume on this topic only', () => {
    const s = stack();
    const topic = new KafkaTopic(s, 'T', { clusterArn: CLUSTER_ARN, topicName: 'orders.v1' });
    const role = new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    topic.grantProduce(role);
    const json = JSON.stringify(Template.fromStack(s).toJSON());
    expect(json).toContain(':topic/mesh/abcd-1234/orders.v1');
    expect(json).toContain('kafka-cluster:WriteData');
    expect(json).not.toContain('topic/mesh/abcd-1234/*');
  });
});
