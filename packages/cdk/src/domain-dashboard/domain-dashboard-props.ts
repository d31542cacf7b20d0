import { ProductDefinition } from '../data-product/data-product-props';

export interface DomainDashboardProps {
  /** The domain (kebab-case). */
  readonly domain: string;
  /** The domain's products: one row of widgets per output port. */
  readonly products: readonly ProductDefinition[];
  /**
   * Every product that may read the domain's ports (their `inputs` name the topics they read):
   * a stream port shows the consumer lag of each reader's group (`consumerGroupName`).
   * @default - the domain's own products only
   */
  readonly readers?: readonly ProductDefinition[];
  /** ARN of the MSK cluster of the stream ports (its name is the `Cluster Name` dimension of the AWS/Kafka metrics). */
  readonly clusterArn: string;
  /** @default - `data-mesh-<domain>` */
  readonly dashboardName?: string;
  /** Namespace of the freshness metrics. @default FRESHNESS_NAMESPACE ('DataMesh/Freshness') */
  readonly freshnessNamespace?: string;
}
