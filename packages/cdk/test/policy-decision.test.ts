import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PolicyDecisionFunction } from '../src';
import { ENV } from './fixtures';

describe('PolicyDecisionFunction', () => {
  it('ships the wasm, the data and the opa-wasm runtime, behind an IAM-authenticated URL', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env: ENV });
    const pdf = new PolicyDecisionFunction(s, 'Pdf', { policyWasm: Buffer.from([0, 97, 115, 109]), data: { pii_registry: {} } });
    const role = new iam.Role(s, 'Caller', { assumedBy: new iam.ServicePrincipal('athena.amazonaws.com') });
    pdf.grantEvaluate(role);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const assembly = app.synth();
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { DEFAULT_ENTRYPOINT: 'data_mesh/governance/decision' } } });
    t.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'] })]) } });
    const assetDir = fs.readdirSync(assembly.directory).filter((d) => d.startsWith('asset.')).map((d) => path.join(assembly.directory, d)).find((d) => fs.existsSync(path.join(d, 'policy.wasm')));
    expect(assetDir).toBeDefined();
    expect(JSON.parse(fs.readFileSync(path.join(assetDir!, 'data.json'), 'utf8'))).toEqual({ pii_registry: {} });
    expect(fs.existsSync(path.join(assetDir!, 'node_modules', '@open-policy-agent', 'opa-wasm', 'package.json'))).toBe(true);
  });

  it('lets a role named by ARN call the URL through the function\'s resource policy, and sizes the module\'s memory', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env: ENV });
    const pdf = new PolicyDecisionFunction(s, 'Pdf', { policyWasm: Buffer.from([0, 97, 115, 109]), data: {}, memoryPages: 12 });
    const gateway = 'arn:aws:iam::222222222222:role/query-gateway';
    expect(pdf.grantEvaluate(new iam.ArnPrincipal(gateway)).success).toBe(true);
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunctionUrl', Principal: gateway, FunctionUrlAuthType: 'AWS_IAM' });
    t.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: gateway, InvokedViaFunctionUrl: true });
    t.resourceCountIs('AWS::IAM::Policy', 1); // the function's own log policy: nothing attached to the gateway's role
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { POLICY_MEMORY_PAGES: '12' } } });
  });
});
