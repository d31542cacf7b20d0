import { BUMP_ORDER } from '../types';
import { bumpBetween, type ChangeRule } from '../context';

export const versionBump: ChangeRule = {
  code: 'MESH208',
  name: 'version-bump',
  title: 'The version bump is at least what the change needs: major if breaking, minor if additive, patch otherwise',
  severity: 'error',
  check(product, sink) {
    const { base, head } = product;
    if (!base || !head) return;
    const tally = sink.tally();
    const required = tally.breaking > 0 ? 'major' : tally.additive > 0 ? 'minor' : tally.changed ? 'patch' : 'none';
    const made = bumpBetween(base.spec.metadata.version, head.spec.metadata.version);
    sink.version(required, made === 'backwards' ? 'none' : made);
    const path = ['metadata', 'version'];
    if (made === 'backwards') {
      sink.report({ document: head.document, path, message: `the version goes backwards, from ${base.spec.metadata.version} to ${head.spec.metadata.version}` });
    } else if (BUMP_ORDER.indexOf(made) < BUMP_ORDER.indexOf(required)) {
      sink.report({
        severity: required === 'patch' ? 'warning' : 'error',
        document: head.document,
        path,
        message: `this change needs a ${required} version bump but makes ${made === 'none' ? 'none' : `a ${made} one`} (${base.spec.metadata.version} -> ${head.spec.metadata.version})`,
        hint: tally.breaking > 0 ? 'breaking: see the other findings; a breaking change also needs a new port version beside the deprecated one' : undefined,
      });
    }
  },
};
