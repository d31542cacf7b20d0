import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { AthenaWorkgroup } from '../athena-workgroup/athena-workgroup';
import { dataRemovalPolicy } from '../common/removal-policy';
import { SchemaRegistryRef } from '../schema-subject/schema-subject-props';
import { DataDomainProps } from './data-domain-props';

/** What a domain's products need from the domain. */
export interface IDataDomain {
  readonly domain: string;
  readonly ownerTeam: string;
  readonly oncall: string;
  readonly key: kms.IKey;
  readonly registry: SchemaRegistryRef;
  readonly databaseName: string;
  readonly workgroup: AthenaWorkgroup;
  readonly alertTopic: sns.ITopic;
}

/**
 * A domain's shared resources: a KMS key (rotated), the Glue schema registry and Glue
 * database, the Athena workgroup, and the alert topic (KMS-encrypted, TLS-only) that pages
 * the domain's on-call through an HTTPS subscription.
 */
export class DataDomain extends Construct implements IDataDomain {
  readonly domain: string;
  readonly ownerTeam: string;
  readonly oncall: string;
  readonly key: kms.Key;
  readonly registry: SchemaRegistryRef;
  readonly databaseName: string;
  readonly workgroup: AthenaWorkgroup;
  readonly alertTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: DataDomainProps) {
    super(scope, id);
    const removalPolicy = dataRemovalPolicy(this, props.removalPolicy);
    const stack = Stack.of(this);
    this.domain = props.domain;
    this.ownerTeam = props.ownerTeam;
    this.oncall = props.oncall;

    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: `data-mesh domain ${props.domain}: alerts, query results`, removalPolicy });
    // Alarms and EventBridge publish to the encrypted alert topic: they need the key.
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      this.key.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(service)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }));
    }

    const registryName = props.registryName ?? `${props.domain}-domain`;
    const registry = new glue.CfnRegistry(this, 'Registry', { name: registryName, description: `Schemas of the ${props.domain} domain` });
    registry.applyRemovalPolicy(removalPolicy);
    this.registry = { registryArn: registry.attrArn, registryName };

    this.databaseName = props.databaseName ?? `${props.domain.replace(/-/g, '_')}_domain`;
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: this.databaseName,
        description: `Data products of the ${props.domain} domain (owner: ${props.ownerTeam})`,
        // Lake Formation, not IAMAllowedPrincipals, decides who reads the tables.
        createTableDefaultPermissions: [],
      },
    });
    database.applyRemovalPolicy(removalPolicy);

    this.workgroup = new AthenaWorkgroup(this, 'Workgroup', {
      workgroupName: props.workgroupName ?? `${props.domain}-domain`,
      resultsBucket: props.queryResultsBucket,
      resultsBucketName: props.queryResultsBucketName,
      encryptionKey: this.key,
      bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
      description: `Queries of the ${props.domain} domain`,
      removalPolicy: props.removalPolicy,
    });

    this.alertTopic = new sns.Topic(this, 'Alerts', {
      displayName: `data-mesh ${props.domain} alerts (${props.oncall})`,
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.pagerDutyUrl) {
      if (!props.pagerDutyUrl.startsWith('https://')) throw new Error(`DataDomain ${this.node.path}: pagerDutyUrl must be https:// (TLS in transit)`);
      this.alertTopic.addSubscription(new subs.UrlSubscription(props.pagerDutyUrl, { protocol: sns.SubscriptionProtocol.HTTPS }));
    }
  }
}
