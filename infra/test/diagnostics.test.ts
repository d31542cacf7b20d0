import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadInfraConfig, synthesize, TOPIC_MANIFEST_FILE } from '../src';

const ROOT = path.resolve(__dirname, '..', '..');

/** A copy of the example mesh to break on purpose. */
function meshCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-fixture-'));
  for (const entry of ['domains', 'governance', 'platform.yaml', '.github', 'tools/versions.env']) {
    const from = path.join(ROOT, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true });
  }
  // opa (for the policy decision function) from the repository's .tools/bin
  fs.mkdirSync(path.join(dir, '.tools'));
  fs.symlinkSync(path.join(ROOT, '.tools', 'bin'), path.join(dir, '.tools', 'bin'));
  fs.mkdirSync(path.join(dir, 'infra'));
  fs.copyFileSync(path.join(ROOT, 'infra', 'config.example.yaml'), path.join(dir, 'infra', 'config.yaml'));
  return dir;
}

describe('synthesize diagnostics', () => {
  it('MESH502: a topic change that would replace the deployed topic is rejected at the topic line', async () => {
    const root = meshCopy();
    const clusterArn = 'arn:aws:kafka:eu-west-1:111111111111:cluster/data-mesh/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2';
    fs.writeFileSync(path.join(root, TOPIC_MANIFEST_FILE), JSON.stringify({
      'customer/customer-360/customer_profile_stream': { topicName: 'customer-domain.customer-360.v2', clusterArn, partitions: 12, replicationFactor: 3 },
    }));
    const result = await synthesize(root, path.join(root, 'cdk.out'), { nag: false });
    const d = result.diagnostics.find((x) => x.code === 'MESH502');
    expect(d).toMatchObject({ severity: 'error', file: 'domains/customer/customer-360/data-product.yaml' });
    expect(d!.message).toMatch(/partitions decrease from 12 to 6/);
    const lines = fs.readFileSync(path.join(root, d!.file), 'utf8').split('\n');
    expect(lines[d!.line - 1]).toMatch(/topic: "customer-domain.customer-360.v2"/);
    expect(result.ok).toBe(false);
  });

  it('MESH500: contract errors block synthesis', async () => {
    const root = meshCopy();
    const file = path.join(root, 'domains/customer/customer-360/data-product.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('owner: customer-platform', 'owner: someone-else'));
    const result = await synthesize(root, path.join(root, 'cdk.out'), { nag: false });
    expect(result.ok).toBe(false);
    expect(result.templates).toEqual([]);
    expect(result.diagnostics.map((x) => x.code)).toContain('MESH500');
  });

  it('MESH501: a bad config value is reported at its key', () => {
    const root = meshCopy();
    const cfg = path.join(root, 'infra', 'config.yaml');
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('account: "111111111111"', 'account: "not-an-account"'));
    const { config, diagnostics } = loadInfraConfig(root);
    expect(config).toBeUndefined();
    const d = diagnostics.find((x) => x.code === 'MESH501')!;
    expect(d.message).toMatch(/environment.account/);
    expect(fs.readFileSync(cfg, 'utf8').split('\n')[d.line - 1]).toMatch(/account:/);
  });

  it('falls back to the example config with a MESH501 warning', () => {
    const root = meshCopy();
    fs.rmSync(path.join(root, 'infra', 'config.yaml'));
    const { config, diagnostics } = loadInfraConfig(root);
    expect(config?.region).toBe('eu-west-1');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'MESH501', severity: 'warning' })]);
  });
});
