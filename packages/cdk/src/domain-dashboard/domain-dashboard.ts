import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { boundedName } from '../common/names';
import { consumerGroupName, portTableName } from '../data-product/data-product';
import { PortDefinition, ProductDefinition } from '../data-product/data-product-props';
import { lifecycleStatus } from '../data-product/lifecycle';
import { availabilityMetric, freshnessAgeMetric } from '../freshness-monitor/freshness-monitor';
import { PII_FREE_SUFFIX } from '../pii-projection/pii-projection';
import { DomainDashboardProps } from './domain-dashboard-props';

/** The consumer group and topic a reader product reads a stream port through. */
export interface PortReader {
  /** `<domain>/<product>` of the reader. */
  readonly product: string;
  readonly consumerGroup: string;
  /** The port's topic or its PII-free projection. */
  readonly topic: string;
}

/** The readers of a topic among `readers`: every product whose inputs read the topic or its PII-free projection. */
export function portReaders(topic: string, readers: readonly ProductDefinition[]): PortReader[] {
  const out: PortReader[] = [];
  for (const r of readers) {
    for (const t of new Set(r.inputs.flatMap((i) => i.topics))) {
      if (t === topic || t === `${topic}${PII_FREE_SUFFIX}`) out.push({ product: `${r.domain}/${r.name}`, consumerGroup: consumerGroupName(r.domain, r.name), topic: t });
    }
  }
  return out;
}

const PERIOD = Duration.minutes(1);
/** CloudWatch's limit of widgets on one dashboard. */
const MAX_WIDGETS = 500;

/**
 * A CloudWatch dashboard of a domain's promises, one row per output port:
 * - stream ports: consumer lag (`AWS/Kafka` `MaxOffsetLag` by `Cluster Name`, `Consumer Group`,
 *   `Topic`) of each reader's group, throughput (`BytesInPerSec`, `MessagesInPerSec` of the topic
 *   summed over brokers: the cluster needs `PER_TOPIC_PER_BROKER` monitoring) and error rate (the
 *   share of freshness measurements that missed the SLA);
 * - batch ports: freshness (`AgeSeconds` against the SLA) and quality results (Glue Data
 *   Quality's rules passed and failed on the port's table);
 * - both: the availability SLI against the promised uptime.
 * The metrics are named by literal dimensions, so the dashboard may sit in any stack of the account.
 * A retired product has no row (it is not monitored). A domain with more widgets than a
 * dashboard holds (500) continues on `<name>-2`, `<name>-3`, ...
 */
export class DomainDashboard extends Construct {
  /** The dashboards, in order (one unless the domain has more than 500 widgets). */
  readonly dashboards: cloudwatch.Dashboard[] = [];
  /** Widgets placed, the title included. */
  readonly widgetCount: number;
  /** The readers shown per stream port, by `<product>/<port>`. */
  readonly readers = new Map<string, PortReader[]>();

  constructor(scope: Construct, id: string, props: DomainDashboardProps) {
    super(scope, id);
    const m = /^arn:[^:]+:kafka:[^:]*:[^:]*:cluster\/([^/]+)\/[^/]+$/.exec(props.clusterArn);
    if (!m) throw new Error(`DomainDashboard ${this.node.path}: "${props.clusterArn}" is not an MSK cluster ARN`);
    const clusterName = m[1];
    const namespace = props.freshnessNamespace;
    const rows: cloudwatch.IWidget[][] = [];
    for (const p of [...props.products].filter((x) => lifecycleStatus(x) !== 'retired').sort((a, b) => (a.name < b.name ? -1 : 1))) {
      for (const port of p.outputPorts) {
        const title = `${p.name} / ${port.name}`;
        const sli = this.sliWidget(p, port, namespace);
        if (port.type === 'stream') {
          const readers = portReaders(port.topic!, props.readers ?? props.products);
          this.readers.set(`${p.name}/${port.name}`, readers);
          rows.push([this.lagWidget(title, clusterName, readers), this.throughputWidget(title, clusterName, port.topic!), this.errorRateWidget(title, p, port, namespace), sli]);
        } else {
          rows.push([this.freshnessWidget(title, p, port, namespace), this.qualityWidget(title, portTableName(p.name, port.name)), sli]);
        }
      }
    }
    const baseName = props.dashboardName ?? boundedName(`data-mesh-${props.domain}`, 250);
    let dashboard: cloudwatch.Dashboard | undefined;
    let widgets = 0;
    let count = 0;
    for (const row of rows) {
      if (!dashboard || widgets + row.length > MAX_WIDGETS) {
        const n = this.dashboards.length + 1;
        dashboard = new cloudwatch.Dashboard(this, n === 1 ? 'Dashboard' : `Dashboard${n}`, { dashboardName: n === 1 ? baseName : `${baseName}-${n}`, defaultInterval: Duration.hours(6) });
        dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `# ${props.domain} domain: data products${n > 1 ? ` (part ${n})` : ''}\nFreshness, availability and consumers of every output port.`, width: 24, height: 2 }));
        this.dashboards.push(dashboard);
        widgets = 1;
        count += 1;
      }
      dashboard.addWidgets(...row);
      widgets += row.length;
      count += row.length;
    }
    this.widgetCount = count;
  }

  private lagWidget(title: string, clusterName: string, readers: readonly PortReader[]): cloudwatch.IWidget {
    if (readers.length === 0) return new cloudwatch.TextWidget({ markdown: `**${title}: consumer lag**\n\nNo product declares this port as an input.`, width: 6, height: 6 });
    return new cloudwatch.GraphWidget({
      title: `${title}: consumer lag (messages)`,
      width: 6,
      left: readers.map((r) => new cloudwatch.Metric({
        namespace: 'AWS/Kafka', metricName: 'MaxOffsetLag', statistic: 'Maximum', period: PERIOD,
        dimensionsMap: { 'Cluster Name': clusterName, 'Consumer Group': r.consumerGroup, 'Topic': r.topic },
        label: r.product,
      })),
    });
  }

  private throughputWidget(title: string, clusterName: string, topic: string): cloudwatch.IWidget {
    // Topic metrics are per broker: the topic's rate is their sum.
    const perTopic = (metric: string, label: string) => new cloudwatch.MathExpression({
      expression: `SUM(SEARCH('{AWS/Kafka,"Broker ID","Cluster Name",Topic} MetricName="${metric}" "Cluster Name"="${clusterName}" Topic="${topic}"', 'Average', 60))`,
      label,
      period: PERIOD,
    });
    return new cloudwatch.GraphWidget({
      title: `${title}: throughput`,
      width: 6,
      left: [perTopic('BytesInPerSec', 'bytes in/s')],
      right: [perTopic('MessagesInPerSec', 'messages in/s')],
    });
  }

  private errorRateWidget(title: string, p: ProductDefinition, port: PortDefinition, namespace?: string): cloudwatch.IWidget {
    return new cloudwatch.GraphWidget({
      title: `${title}: error rate (freshness checks missed, %)`,
      width: 6,
      left: [new cloudwatch.MathExpression({
        expression: '100 - availability',
        usingMetrics: { availability: availabilityMetric(p.domain, p.name, port.name, port.maxStalenessSeconds, { namespace, period: Duration.minutes(5) }) },
        label: 'missed (%)',
        period: Duration.minutes(5),
      })],
      leftYAxis: { min: 0, max: 100 },
    });
  }

  private freshnessWidget(title: string, p: ProductDefinition, port: PortDefinition, namespace?: string): cloudwatch.IWidget {
    return new cloudwatch.GraphWidget({
      title: `${title}: freshness (age, s)`,
      width: 8,
      left: [freshnessAgeMetric(p.domain, p.name, port.name, { namespace, period: Duration.minutes(5) }).with({ label: 'age (s)' })],
      leftAnnotations: [{ value: port.maxStalenessSeconds, label: `SLA ${port.freshness}`, color: cloudwatch.Color.RED }],
    });
  }

  private qualityWidget(title: string, table: string): cloudwatch.IWidget {
    const search = (metric: string) => new cloudwatch.MathExpression({
      expression: `SEARCH('{"Glue Data Quality"} MetricName="${metric}" "${table}"', 'Sum', 3600)`,
      label: metric.replace('glue.data.quality.', ''),
      period: Duration.hours(1),
    });
    return new cloudwatch.GraphWidget({
      title: `${title}: quality results (rules per evaluation)`,
      width: 8,
      left: [search('glue.data.quality.rules.passed'), search('glue.data.quality.rules.failed')],
      stacked: true,
    });
  }

  private sliWidget(p: ProductDefinition, port: PortDefinition, namespace?: string): cloudwatch.IWidget {
    return new cloudwatch.SingleValueWidget({
      title: `${p.name} / ${port.name}: availability (promised ${port.uptime})`,
      width: port.type === 'stream' ? 6 : 8,
      metrics: [availabilityMetric(p.domain, p.name, port.name, port.maxStalenessSeconds, { namespace, period: Duration.days(1) }).with({ label: 'checks within SLA, 24 h (%)' })],
      setPeriodToTimeRange: true,
    });
  }
}
