import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { dataRemovalPolicy } from '../common/removal-policy';
import { AthenaWorkgroupProps } from './athena-workgroup-props';

/** The workgroup as other constructs see it. */
export interface IAthenaWorkgroup {
  readonly workgroupName: string;
  readonly workgroupArn: string;
  grantRunQueries(grantee: iam.IGrantable): iam.Grant;
}

/**
 * An Athena workgroup per domain: configuration enforced (clients cannot override the output
 * location or encryption), results encrypted with the domain's KMS key, a per-query cutoff on
 * bytes scanned, engine version pinned, CloudWatch metrics on.
 */
export class AthenaWorkgroup extends Construct implements IAthenaWorkgroup {
  readonly workgroupName: string;
  readonly workgroupArn: string;
  readonly resultsLocation: string;
  readonly resource: athena.CfnWorkGroup;
  private readonly resultsBucket: s3.IBucket;
  private readonly resultsPrefix: string;
  private readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: AthenaWorkgroupProps) {
    super(scope, id);
    if (!/^[a-zA-Z0-9._-]{1,128}$/.test(props.workgroupName)) throw new Error(`AthenaWorkgroup ${this.node.path}: name "${props.workgroupName}" must match [a-zA-Z0-9._-]{1,128}`);
    const cutoff = props.bytesScannedCutoffPerQuery ?? 1_099_511_627_776;
    if (cutoff < 10_000_000) throw new Error(`AthenaWorkgroup ${this.node.path}: bytesScannedCutoffPerQuery must be at least 10 MB (Athena's minimum)`);
    this.workgroupName = props.workgroupName;
    this.resultsBucket = props.resultsBucket;
    this.resultsPrefix = props.resultsPrefix ?? `${props.workgroupName}/`;
    this.key = props.encryptionKey;
    this.resultsLocation = `s3://${props.resultsBucket.bucketName}/${this.resultsPrefix}`;
    this.resource = new athena.CfnWorkGroup(this, 'Resource', {
      name: props.workgroupName,
      description: props.description,
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        bytesScannedCutoffPerQuery: cutoff,
        engineVersion: { selectedEngineVersion: props.engineVersion ?? 'Athena engine version 3' },
        publishCloudWatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        resultConfiguration: {
          outputLocation: this.resultsLocation,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.encryptionKey.keyArn },
        },
      },
    });
    this.resource.applyRemovalPolicy(dataRemovalPolicy(this, props.removalPolicy));
    this.workgroupArn = Stack.of(this).formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.workgroupName });
  }

  /** Run queries in this workgroup and read/write its results (catalog and table access come from Lake Formation). */
  grantRunQueries(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup', 'athena:GetQueryRuntimeStatistics'],
      resourceArns: [this.workgroupArn],
    });
    this.resultsBucket.grantReadWrite(grantee, `${this.resultsPrefix}*`);
    this.key.grantEncryptDecrypt(grantee);
    return grant;
  }
}
