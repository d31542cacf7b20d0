import { Aws, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeWildcard } from '../common/nag';
import { literalBucketName } from '../common/names';
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
  private readonly resultsBucketName: string;
  private readonly resultsPrefix: string;
  private readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: AthenaWorkgroupProps) {
    super(scope, id);
    if (!/^[a-zA-Z0-9._-]{1,128}$/.test(props.workgroupName)) throw new Error(`AthenaWorkgroup ${this.node.path}: name "${props.workgroupName}" must match [a-zA-Z0-9._-]{1,128}`);
    const cutoff = props.bytesScannedCutoffPerQuery ?? 1_099_511_627_776;
    if (cutoff < 10_000_000) throw new Error(`AthenaWorkgroup ${this.node.path}: bytesScannedCutoffPerQuery must be at least 10 MB (Athena's minimum)`);
    this.workgroupName = props.workgroupName;
    this.resultsBucketName = props.resultsBucketName ?? literalBucketName(props.resultsBucket) ?? props.resultsBucket.bucketName;
    this.resultsPrefix = props.resultsPrefix ?? `${props.workgroupName}/`;
    this.key = props.encryptionKey;
    this.resultsLocation = `s3://${this.resultsBucketName}/${this.resultsPrefix}`;
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
    // Built from the bucket name (a literal for a named bucket), not its ARN attribute, so a role in
    // another stack gets no cross-stack import in its policy.
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${this.resultsBucketName}`;
    const objects = `${bucketArn}/${this.resultsPrefix}*`;
    grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], resourceArns: [objects] }));
    grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetBucketLocation', 's3:ListBucket'], resourceArns: [bucketArn] }));
    this.key.grant(grantee, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    const principal = grantee.grantPrincipal as unknown as IConstruct;
    if (typeof (principal as { node?: unknown }).node === 'object') {
      acknowledgeWildcard(principal, objects, 'Athena writes query results with generated names; access is limited to the workgroup\'s results prefix');
    }
    return grant;
  }
}
