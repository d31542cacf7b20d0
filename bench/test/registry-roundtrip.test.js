'use strict';
/**
 * The publish round trip through a real registry (scripts/registry-roundtrip.js): the packages
 * published to a local Verdaccio, a CDK app outside the repository built on them (cdk synth with
 * cdk-nag), the published CLI validating a copy of domains/; and publishing's refusals (an
 * unbuilt package, a version already in the registry, a failed publish undone). Needs
 * `bash scripts/setup-verdaccio.sh` and the packages built; in CI a missing Verdaccio fails.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { RoundTripError, VERDACCIO_BIN, publishAll, registryVersions, roundTrip, startRegistry } = require('../../scripts/registry-roundtrip.js');

jest.setTimeout(600_000);

const installed = fs.existsSync(VERDACCIO_BIN);
if (!installed && process.env.CI === 'true') {
  test('Verdaccio is installed', () => {
    throw new Error(`Verdaccio is missing (${VERDACCIO_BIN}): run bash scripts/setup-verdaccio.sh (.ci/run does)`);
  });
} else if (!installed) {
  console.warn(`\n\n*** registry round trip SKIPPED: Verdaccio is not installed. Run: bash scripts/setup-verdaccio.sh ***\n\n`);
}
const maybe = installed ? describe : describe.skip;

/** A process is gone (signal 0 fails). */
function gone(pid) {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

maybe('the packages as a consumer installs them from a registry', () => {
  let r;
  beforeAll(async () => {
    r = await roundTrip();
  });

  test('every publishable package is published, and the registry is stopped afterwards', () => {
    expect(r.published.map((p) => p.replace(/@[^@]+$/, ''))).toEqual(
      expect.arrayContaining(['@data-mesh/schema-compat', '@data-mesh/spec', '@data-mesh/policy', '@data-mesh/check', '@data-mesh/catalog', '@data-mesh/cdk', '@data-mesh/cli']),
    );
    expect(r.registryStopped).toBe(true);
    console.log(`registry round trip: ${r.seconds.toFixed(1)} s (publish ${r.publishSeconds.toFixed(1)} s, CDK app install ${r.cdk.installSeconds.toFixed(1)} s, synth ${r.cdk.synthSeconds.toFixed(1)} s, CLI install ${r.cli.installSeconds.toFixed(1)} s)`);
  });

  test("the cdk README's app synthesizes outside the repository with the published constructs", () => {
    expect({ exit: r.cdk.synthExit, output: r.cdk.synthExit === 0 ? '' : r.cdk.synthOutput }).toEqual({ exit: 0, output: '' });
    expect(Object.keys(r.cdk.templates).sort()).toEqual(['Customer', 'Platform']);
    const atLeastOne = (types) => Object.fromEntries(types.map((t) => [t, expect.any(Number)]));
    expect(r.cdk.templates.Platform).toEqual(
      expect.objectContaining(atLeastOne(['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy', 'AWS::Glue::Registry', 'AWS::Glue::Database', 'AWS::Athena::WorkGroup', 'AWS::SNS::Topic', 'AWS::SNS::Subscription', 'AWS::LakeFormation::Resource'])),
    );
    expect(r.cdk.templates.Customer).toEqual(
      expect.objectContaining({
        'AWS::MSK::Topic': 1,
        'AWS::Glue::Schema': 1,
        'Custom::IcebergTable': 1,
        ...atLeastOne(['AWS::Glue::DataQualityRuleset', 'AWS::LakeFormation::PrincipalPermissions', 'AWS::Lambda::Function', 'AWS::CloudWatch::Alarm', 'AWS::Scheduler::Schedule', 'AWS::StepFunctions::StateMachine']),
      }),
    );
    // the Lambda handlers came with the package: each function's asset folder holds its index.js
    expect(r.cdk.lambdaAssets).toBeGreaterThanOrEqual(1);
  });

  test('cdk-nag (AwsSolutions, as infra runs it) passes the app, and refuses it with a queue it must refuse', () => {
    expect(r.cdk.nag.filter((p) => p.violations.length > 0 || p.status === 'failure')).toEqual([]);
    expect(r.cdk.nagProbe.exit).not.toBe(0);
    expect(r.cdk.nagProbe.rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  test('the published CLI validates a copy of domains/, without the private infra app', () => {
    expect(r.cli.infraInstalled).toBe(false);
    expect({ exit: r.cli.validate.exit, stderr: r.cli.validate.stderr }).toEqual({ exit: 0, stderr: '' });
    expect(JSON.parse(r.cli.validate.stdout).summary).toEqual({ domains: 3, products: 9, errors: 0, warnings: 0 });
  });

  test('the published mesh synth says there is no infra app outside a clone of the platform repository (exit 2, no stack trace)', () => {
    expect(r.cli.synth.exit).toBe(2);
    expect(r.cli.synth.output).toMatch(/no infrastructure app: @data-mesh\/infra cannot be resolved from /);
    expect(r.cli.synth.output).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  });

  test('the published CLI reports a broken contract at its file and line, without a stack trace', () => {
    expect(r.cli.invalid.exit).toBe(1);
    expect(r.cli.invalid.output).toMatch(/domains\/customer\/customer-360\/data-product\.yaml\n\s+6:12\s+error\s+MESH101/);
    expect(r.cli.invalid.output).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  });
});

maybe('publishing is all or nothing', () => {
  let registry;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-publish-fixtures-'));
  /** A package folder: built (dist/index.js) unless told otherwise, optionally failing its publish. */
  const fixture = (name, { built = true, failPublish = false } = {}) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    const manifest = { name: `@data-mesh/${name}`, version: '1.0.0', main: 'dist/index.js', files: ['dist'], ...(failPublish ? { scripts: { prepublishOnly: 'node -e "process.exit(3)"' } } : {}) };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
    if (built) {
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.writeFileSync(path.join(dir, 'dist', 'index.js'), 'module.exports = 1;\n');
    }
    return { name: manifest.name, version: manifest.version, dir, manifest };
  };
  const good = fixture('rt-good');
  const other = fixture('rt-other');
  const unbuiltPkg = fixture('rt-unbuilt', { built: false });
  const failing = fixture('rt-failing', { failPublish: true });

  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    registry?.stop();
    fs.rmSync(root, { recursive: true, force: true });
    const deadline = Date.now() + 10_000;
    while (registry && !gone(registry.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(registry && gone(registry.pid)).toBe(true);
  });

  test('an unbuilt package: refused with the reason, nothing published', async () => {
    await expect(publishAll(registry, [good, unbuiltPkg])).rejects.toThrow(/nothing published:\n\s+@data-mesh\/rt-unbuilt is not built \(.*rt-unbuilt\/dist is missing\): npm run build/);
    expect(await registryVersions(registry, good.name)).toEqual([]);
  });

  test('a publish that fails: what this run published is unpublished', async () => {
    const error = await publishAll(registry, [good, failing]).catch((e) => e);
    expect(error).toBeInstanceOf(RoundTripError);
    expect(error.message).toMatch(/^publishing @data-mesh\/rt-failing@1\.0\.0 failed, so nothing stays published \(unpublished: @data-mesh\/rt-good@1\.0\.0\)/);
    expect(await registryVersions(registry, good.name)).toEqual([]);
    expect(await registryVersions(registry, failing.name)).toEqual([]);
  });

  test('a version already in the registry: refused before anything is published', async () => {
    expect(await publishAll(registry, [good])).toEqual(['@data-mesh/rt-good@1.0.0']);
    await expect(publishAll(registry, [other, good])).rejects.toThrow(/nothing published:\n\s+@data-mesh\/rt-good@1\.0\.0 is already in the registry .*never replaced/);
    expect(await registryVersions(registry, other.name)).toEqual([]);
    expect(await registryVersions(registry, good.name)).toEqual(['1.0.0']);
  });
});
