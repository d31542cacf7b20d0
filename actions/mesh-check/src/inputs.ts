import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FailOn } from './verdict';

export interface ActionInputs {
  readonly root: string;
  readonly baseRef: string;
  readonly githubToken: string;
  readonly comment: boolean;
  readonly failOn: FailOn;
  readonly opaVersion: string;
  readonly opaPath: string;
  readonly allowBreakingLabel: string;
  /** Where parsed specs and the compiled policy are kept between runs (persist it with actions/cache). */
  readonly cacheDir: string;
  /** Validate every product even when there is a base. */
  readonly fullCheck: boolean;
  /** A `mesh plan --format json` file written by an earlier step (absolute), or undefined. */
  readonly planFile?: string;
}

/** OPA's version when the checked repository pins none in tools/versions.env. */
export const DEFAULT_OPA_VERSION = '1.22.3';

export class InputError extends Error {}

/** Reads and checks the inputs; `get` is core.getInput (already trimmed, '' when unset). */
export function readInputs(get: (name: string) => string, workspace: string): ActionInputs {
  const root = path.resolve(workspace, get('root') || '.');
  const failOn = (get('fail-on') || 'error').toLowerCase();
  if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'never') {
    throw new InputError(`fail-on must be error, warning or never, not "${failOn}"`);
  }
  const commentRaw = (get('comment') || 'true').toLowerCase();
  if (!['true', 'false'].includes(commentRaw)) throw new InputError(`comment must be true or false, not "${commentRaw}"`);
  const fullRaw = (get('full-check') || 'false').toLowerCase();
  if (!['true', 'false'].includes(fullRaw)) throw new InputError(`full-check must be true or false, not "${fullRaw}"`);
  const opaVersion = (get('opa-version') || pinnedOpaVersion(root) || DEFAULT_OPA_VERSION).replace(/^v/, '');
  if (!/^\d+\.\d+\.\d+$/.test(opaVersion)) throw new InputError(`opa-version must be an exact version such as 1.22.3, not "${opaVersion}"`);
  return {
    root,
    baseRef: get('base-ref'),
    githubToken: get('github-token'),
    comment: commentRaw === 'true',
    failOn,
    opaVersion,
    opaPath: get('opa-path'),
    allowBreakingLabel: get('allow-breaking-label'),
    cacheDir: path.resolve(root, get('cache-dir') || path.join('.tools', 'cache')),
    fullCheck: fullRaw === 'true',
    ...(get('plan-file') ? { planFile: path.resolve(workspace, get('plan-file')) } : {}),
  };
}

/** OPA_VERSION from <root>/tools/versions.env, the repository's one pin. */
export function pinnedOpaVersion(root: string): string | undefined {
  try {
    const text = fs.readFileSync(path.join(root, 'tools', 'versions.env'), 'utf8');
    return /^OPA_VERSION=["']?([0-9.]+)["']?\s*$/m.exec(text)?.[1];
  } catch {
    return undefined;
  }
}
