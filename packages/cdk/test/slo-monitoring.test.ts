import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  burnRateWindowSeconds, consumerGroupName, DataProduct, DomainDashboard, FreshnessMonitor, KafkaTopic, measurementIntervalSeconds, measurementOffsets,
  ProductDefinition, SRE_WORKBOOK_BURN_RATES,
} from '../src';
import { check, CLUSTER_ARN, ENV, platformAndDomain, product } from './fixtures';

const topicMonitor = (maxStalenessSeconds: number, extra: { uptime?: number } = {}) => {
  const app = new App();
  const s = new Stack(app, 'S', { env: ENV });
  const topic = new KafkaTopic(s, 'K', { clusterArn: CLUSTER_ARN, topicName: 'a.v1' });
  const m = new FreshnessMonitor(s, 'F', { domain: 'd', product: 'p', port: 'o', target: { kind: 'topic', topic, bootstrapBrokers: 'b:9098' }, maxStalenessSeconds, alertTopic: new sns.Topic(s, 'A', { enforceSSL: true }), ...extra });
  return { app, s, m, t: () => Template.fromStack(s) };
};

describe('freshness measured at least twice per SLA window, sub-minute included', () => {
  it.each([
    [1800, 900], [120, 60], [119, 59], [60, 30], [30, 15], [5, 2], [2, 1], [2.5, 1],
  ])('SLA %ss -> a measurement every %ss', (sla, seconds) => {
    expect(measurementIntervalSeconds(sla)).toBe(seconds);
    expect(seconds).toBeLessThanOrEqual(sla / 2);
  });

  it('offsets cover the minute with no gap longer than the interval', () => {
    expect(measurementOffsets(15)).toEqual([0, 15, 30, 45]);
    expect(measurementOffsets(45)).toEqual([0, 45]);
    expect(measurementOffsets(1)).toHaveLength(60);
    for (const i of [1, 7, 15, 29, 45, 59]) {
      const o = measurementOffsets(i);
      const gaps = [...o.slice(1).map((x, k) => x - o[k]), 60 - o[o.length - 1]];
      expect(Math.max(...gaps)).toBeLessThanOrEqual(i);
    }
  });

  it('a 30 s SLA: the schedule starts an Express workflow every minute that measures at 0, 15, 30 and 45 s', () => {
    const { m, t } = topicMonitor(30);
    expect(m.intervalSeconds).toBe(15);
    const template = t();
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS', TracingConfiguration: { Enabled: true }, LoggingConfiguration: Match.objectLike({ Level: 'ALL' }) });
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0] as { Properties: { DefinitionString: unknown } };
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    for (const offset of [15, 30, 45]) expect(definition).toContain(`\\"Wait${offset}s\\":{\\"Type\\":\\"Wait\\",\\"Seconds\\":${offset}`);
    expect(definition.match(/\\"Type\\":\\"Task\\"/g)).toHaveLength(4);
    expect(definition).toContain('Missed45s'); // a failed measurement does not cancel the others
    // Overlapping measurements never share a consumer group (none rebalances another).
    for (const offset of [0, 15, 30, 45]) expect(definition).toContain(`\\"consumerGroup\\":\\"data-mesh-freshness.a.v1.at${offset}s\\"`);
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).toContain(':group/mesh/abcd-1234/data-mesh-freshness.a.v1.at*"');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('SubMinute') } }),
    });
    // The alarm looks at one-minute maxima (each holds four measurements).
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AgeSeconds', Period: 60, Threshold: 30 });
  });

  it('from a 2-minute SLA up the schedule invokes the function directly', () => {
    const { m, t } = topicMonitor(120);
    expect(m.subMinuteWorkflow).toBeUndefined();
    t().resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    t().hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 minute)', Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Freshness'), 'Arn'] } }) });
  });

  it('an SLA under 2 s cannot be measured twice: a synth error, not a silent under-sampling', () => {
    const { app } = topicMonitor(1);
    expect(() => app.synth()).not.toThrow(); // annotations are collected, the CLI reports them
    const messages = app.synth().getStackByName('S').messages.filter((x) => x.level === 'error').map((x) => String(x.entry.data));
    expect(messages).toEqual([expect.stringMatching(/SLA of 1s cannot be measured twice per window.*promise at least 2 seconds/)]);
  });

  it('cdk-nag finds nothing unacknowledged in the sub-minute workflow', () => {
    const { app } = topicMonitor(30, { uptime: 0.999 });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});

describe('availability SLI and multi-window burn-rate alarms', () => {
  it('the SRE workbook pairs by default: 1 h / 5 min at 14.4x and 6 h / 30 min at 6x of a 99.9% budget, paging the alert topic', () => {
    const { m, t } = topicMonitor(300, { uptime: 0.999 });
    expect(m.burnRateAlarms.map((b) => [b.longWindowSeconds, b.shortWindowSeconds, b.threshold])).toEqual([[3600, 300, 14.4], [21_600, 1800, 6]]);
    const template = t();
    for (const [period, threshold] of [[3600, 14.4], [300, 14.4], [21_600, 6], [1800, 6]]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: threshold, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'breaching', EvaluationPeriods: 1,
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: '(100 - availability) / 0.1', ReturnData: true }),
          Match.objectLike({ Id: 'availability', ReturnData: false, MetricStat: Match.objectLike({ Stat: 'PR(:300)', Period: period, Metric: Match.objectLike({ Namespace: 'DataMesh/Freshness', MetricName: 'AgeSeconds' }) }) }),
        ]),
      });
    }
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmRule: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^\\(ALARM\\("'), Match.stringLikeRegexp('"\\) AND ALARM\\("')])] },
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^A') }],
    });
  });

  it('windows shorter than two measurements are widened; a rate above a total outage becomes a total outage', () => {
    expect(burnRateWindowSeconds(Duration.minutes(5), 6 * 3600)).toBe(12 * 3600);
    expect(burnRateWindowSeconds(Duration.minutes(5), 15)).toBe(300);
    const { m } = topicMonitor(93_600, { uptime: 0.9 });
    // 14.4 x 10% > 100%: only a total outage (burn rate 10) can reach it.
    expect(m.burnRateAlarms.map((b) => [b.longWindowSeconds, b.shortWindowSeconds, b.threshold])).toEqual([[43_200, 43_200, 10], [43_200, 43_200, 6]]);
  });

  it('no uptime, no SLI alarms', () => {
    const { m, t } = topicMonitor(300);
    expect(m.availability).toBeUndefined();
    t().resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
    expect(SRE_WORKBOOK_BURN_RATES.map((w) => w.burnRate)).toEqual([14.4, 6]);
  });

  it('a DataProduct gives every port its promised uptime', () => {
    const app = new App();
    const { platform, domain } = platformAndDomain(app);
    const stack = new Stack(app, 'Customer', { env: ENV });
    const dp = new DataProduct(stack, 'P', { product: product(), domain, dataKey: platform.key, streaming: { clusterArn: CLUSTER_ARN, bootstrapBrokers: 'b-1:9098' } });
    expect([...dp.monitors.values()].map((mo) => mo.burnRateAlarms.length)).toEqual([2, 2]);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::CompositeAlarm', 4);
  });
});

describe('DomainDashboard', () => {
  const reader: ProductDefinition = { ...product({ domain: 'marketing', name: 'campaign-attribution', outputPorts: [], qualityChecks: [] }), inputs: [{ sourceProduct: 'customer/customer-360', fields: ['customer_id'], topics: ['customer-domain.customer-360.v2.pii-free'], upstreamUrns: [] }] };
  const body = () => {
    const s = new Stack(new App(), 'S', { env: ENV });
    const d = new DomainDashboard(s, 'D', { domain: 'customer', products: [product()], readers: [product(), reader], clusterArn: CLUSTER_ARN });
    const dash = Object.values(Template.fromStack(s).findResources('AWS::CloudWatch::Dashboard'))[0] as { Properties: { DashboardName: string; DashboardBody: unknown } };
    const text = JSON.stringify(dash.Properties.DashboardBody);
    return { d, name: dash.Properties.DashboardName, widgets: (JSON.parse(JSON.parse(text.replace(/^\{"Fn::Join":\["",\[/, '[').replace(/\]\]\}$/, ']')).join('')) as { widgets: { type: string; properties: { title?: string; metrics?: unknown[] } }[] }).widgets };
  };

  it('a stream port: lag of each reader\'s consumer group on the topic it reads, throughput and error rate; a batch port: freshness and quality', () => {
    const { d, name, widgets } = body();
    expect(name).toBe('data-mesh-customer');
    expect(d.readers.get('customer-360/customer_profile_stream')).toEqual([{ product: 'marketing/campaign-attribution', consumerGroup: consumerGroupName('marketing', 'campaign-attribution'), topic: 'customer-domain.customer-360.v2.pii-free' }]);
    const titled = (re: RegExp) => widgets.find((w) => re.test(w.properties.title ?? ''))!;
    const lag = JSON.stringify(titled(/customer_profile_stream: consumer lag/).properties.metrics);
    expect(lag).toContain('"AWS/Kafka","MaxOffsetLag","Cluster Name","mesh","Consumer Group","marketing.campaign-attribution","Topic","customer-domain.customer-360.v2.pii-free"');
    const throughput = JSON.stringify(titled(/customer_profile_stream: throughput/).properties.metrics);
    expect(throughput).toMatch(/SUM\(SEARCH\('\{AWS\/Kafka,\\+"Broker ID\\+",\\+"Cluster Name\\+",Topic\} MetricName=\\+"BytesInPerSec\\+" \\+"Cluster Name\\+"=\\+"mesh\\+" Topic=\\+"customer-domain.customer-360.v2\\+"/);
    expect(throughput).toContain('MessagesInPerSec');
    expect(JSON.stringify(titled(/customer_profile_stream: error rate/).properties.metrics)).toContain('100 - availability');
    expect(JSON.stringify(titled(/customer_snapshot_daily: freshness/).properties.metrics)).toContain('"DataMesh/Freshness","AgeSeconds","Domain","customer","Port","customer_snapshot_daily","Product","customer-360"');
    expect(JSON.stringify(titled(/customer_snapshot_daily: quality results/).properties.metrics)).toMatch(/Glue Data Quality.*glue.data.quality.rules.failed.*customer_360_customer_snapshot_daily/);
    expect(JSON.stringify(titled(/customer_snapshot_daily: availability/).properties.metrics)).toContain('PR(:93600)');
  });

  it('more widgets than a dashboard holds (500) continue on a second dashboard; a retired product has no row', () => {
    const s = new Stack(new App(), 'S', { env: ENV });
    const stream = product().outputPorts[0];
    const many = Array.from({ length: 130 }, (_, i) => product({ name: `p${String(i).padStart(3, '0')}`, outputPorts: [{ ...stream, topic: `t${i}.v2` }] }));
    const retired = product({ name: 'zz-retired', lifecycle: { status: 'retired' } } as Partial<ProductDefinition>);
    const d = new DomainDashboard(s, 'D', { domain: 'customer', products: [...many, retired], clusterArn: CLUSTER_ARN });
    expect(d.dashboards.map((x) => (x.node.defaultChild as { dashboardName: string }).dashboardName)).toEqual(['data-mesh-customer', 'data-mesh-customer-2']);
    expect(d.widgetCount).toBe(2 + 130 * 4);
    expect(JSON.stringify(Template.fromStack(s).toJSON())).not.toContain('zz-retired');
  });

  it('a stream port nobody reads says so', () => {
    const s = new Stack(new App(), 'S', { env: ENV });
    new DomainDashboard(s, 'D', { domain: 'customer', products: [product()], clusterArn: CLUSTER_ARN });
    expect(JSON.stringify(Template.fromStack(s).toJSON())).toContain('No product declares this port as an input');
  });
});

describe('quality rules of a stream-only product are placed, never dropped', () => {
  const streamOnly = () => product({
    outputPorts: [product().outputPorts[0]],
    qualityChecks: [check('customer_id IS NOT NULL'), check('tier IS NOT NULL', 'warning'), check('completeness(customer_id) >= 0.99'), check('nope IS NOT NULL')],
  });

  it('row-level rules run in the SDK at publish time, the rest are reported as run nowhere (a warning naming each)', () => {
    const app = new App();
    const { platform, domain } = platformAndDomain(app);
    const stack = new Stack(app, 'Customer', { env: ENV });
    const dp = new DataProduct(stack, 'P', { product: streamOnly(), domain, dataKey: platform.key, streaming: { clusterArn: CLUSTER_ARN, bootstrapBrokers: 'b-1:9098' } });
    expect(dp.qualityPlacements).toEqual([
      { rule: 'customer_id IS NOT NULL', severity: 'error', level: 'row', runs: [{ engine: 'sdk-publish', port: 'customer_profile_stream', topic: 'customer-domain.customer-360.v2' }] },
      { rule: 'tier IS NOT NULL', severity: 'warning', level: 'row', runs: [{ engine: 'sdk-publish', port: 'customer_profile_stream', topic: 'customer-domain.customer-360.v2' }] },
      { rule: 'completeness(customer_id) >= 0.99', severity: 'error', level: 'aggregate', runs: [], notRunReason: expect.stringMatching(/aggregate rule .* needs a batch port/) },
      { rule: 'nope IS NOT NULL', severity: 'error', level: 'row', runs: [], notRunReason: 'no output port carries every column it names' },
    ]);
    const messages = app.synth().getStackByName('Customer').messages.map((x) => [x.level, String(x.entry.data)]);
    expect(messages).toContainEqual(['warning', expect.stringMatching(/^customer\/customer-360: 2 quality rule\(s\) run nowhere: "completeness\(customer_id\) >= 0.99" \(.*\); "nope IS NOT NULL"/)]);
    expect(messages).toContainEqual(['info', expect.stringMatching(/2 quality rule\(s\) run only in the SDK at publish time .*"customer_id IS NOT NULL" on customer_profile_stream/)]);
    Template.fromStack(stack).resourceCountIs('AWS::Glue::DataQualityRuleset', 0);
  });

  it("a REFERENCES rule runs nowhere in AWS, with the reason, and the product still deploys its other rules", () => {
    const app = new App();
    const { platform, domain } = platformAndDomain(app);
    const stack = new Stack(app, 'Customer', { env: ENV });
    const references = check('customer_id REFERENCES customer/customer-profile-snapshot.snapshot.customer_id');
    const dp = new DataProduct(stack, 'P', { product: product({ qualityChecks: [...product().qualityChecks, references] }), domain, dataKey: platform.key, streaming: { clusterArn: CLUSTER_ARN, bootstrapBrokers: 'b-1:9098' } });
    expect(dp.qualityPlacements.at(-1)).toEqual({ rule: references.rule, severity: 'error', level: 'row', runs: [], notRunReason: expect.stringMatching(/REFERENCES another product's port, .* runs in mesh quality run and in Athena/) });
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::Glue::DataQualityRuleset'))).not.toContain('REFERENCES');
  });

  it('a rule whose columns a table has runs there (Glue Data Quality) and, row-level, also in the SDK', () => {
    const app = new App();
    const { platform, domain } = platformAndDomain(app);
    const stack = new Stack(app, 'Customer', { env: ENV });
    const dp = new DataProduct(stack, 'P', { product: product(), domain, dataKey: platform.key, streaming: { clusterArn: CLUSTER_ARN, bootstrapBrokers: 'b-1:9098' } });
    expect(dp.qualityPlacements[0].runs).toEqual([
      { engine: 'glue-data-quality', port: 'customer_snapshot_daily', table: 'customer_domain.customer_360_customer_snapshot_daily', ruleset: 'customer-customer-360-customer_snapshot_daily' },
      { engine: 'sdk-publish', port: 'customer_profile_stream', topic: 'customer-domain.customer-360.v2' },
    ]);
    expect(dp.qualityPlacements[2]).toMatchObject({ severity: 'warning', runs: [{ engine: 'glue-data-quality', ruleset: 'customer-customer-360-customer_snapshot_daily-warnings' }] });
  });
});
