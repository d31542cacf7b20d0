import { git } from './changed-lines';

const ZERO_SHA = /^0{40}$|^0{64}$/;

/** The parts of a webhook payload the Action reads. */
export interface EventPayload {
  readonly before?: string;
  readonly after?: string;
  readonly number?: number;
  readonly pull_request?: {
    readonly number: number;
    readonly base?: { readonly sha?: string; readonly ref?: string; readonly repo?: { readonly full_name?: string } };
    readonly head?: { readonly sha?: string; readonly ref?: string; readonly repo?: { readonly full_name?: string } | null };
    readonly labels?: readonly { readonly name: string }[];
  };
  readonly merge_group?: { readonly base_sha?: string; readonly head_sha?: string };
  readonly repository?: { readonly full_name?: string; readonly owner?: { readonly login?: string }; readonly name?: string };
}

export interface BaseResolution {
  /** The revision to compare against; undefined: check everything without a diff. */
  readonly base?: string;
  /** Why, for the log. */
  readonly reason: string;
}

/**
 * The base revision of a run:
 * - the `base-ref` input when given;
 * - pull_request: the merge commit's first parent (`HEAD^1`), which is the base branch the
 *   merge was made against (`pull_request.base.sha` goes stale when the base branch moves);
 *   when the checkout is the PR head rather than the merge ref, the merge base with base.sha;
 * - push: `before`, and everything when it is all zeros (a new branch);
 * - merge_group: `merge_group.base_sha`;
 * - anything else: everything.
 */
export async function resolveBase(root: string, eventName: string, payload: EventPayload, input: string): Promise<BaseResolution> {
  if (input.trim()) return { base: input.trim(), reason: 'the base-ref input' };
  switch (eventName) {
    case 'pull_request':
    case 'pull_request_review':
    case 'pull_request_review_comment': {
      if (await hasCommit(root, 'HEAD^2')) return { base: 'HEAD^1', reason: 'the merge commit\'s first parent (HEAD^1)' };
      const baseSha = payload.pull_request?.base?.sha;
      if (baseSha && (await hasCommit(root, baseSha))) {
        const mergeBase = (await git(root, ['merge-base', baseSha, 'HEAD'])).trim();
        return { base: mergeBase, reason: `the merge base of HEAD and pull_request.base.sha ${baseSha.slice(0, 12)} (HEAD is not a merge commit)` };
      }
      throw new EnvironmentError(
        'cannot find the pull request\'s base: HEAD is not a merge commit and pull_request.base.sha is not in the clone',
        'check out the merge ref with `fetch-depth: 2` (actions/checkout does that by default for pull_request), or pass `base-ref`',
      );
    }
    case 'push': {
      const before = payload.before;
      if (!before || ZERO_SHA.test(before)) return { reason: 'a push that creates the branch (before is all zeros): everything is checked' };
      if (!(await hasCommit(root, before))) {
        throw new EnvironmentError(
          `the push's previous commit ${before.slice(0, 12)} is not in the clone`,
          'check out with `fetch-depth: 0` (or deep enough to reach event.before), or pass `base-ref`',
        );
      }
      return { base: before, reason: `the push's previous head (event.before ${before.slice(0, 12)})` };
    }
    case 'merge_group': {
      const baseSha = payload.merge_group?.base_sha;
      if (baseSha) return { base: baseSha, reason: `merge_group.base_sha ${baseSha.slice(0, 12)}` };
      return { reason: 'a merge group without base_sha: everything is checked' };
    }
    default:
      return { reason: `a ${eventName || 'manual'} run: everything is checked` };
  }
}

export async function hasCommit(root: string, rev: string): Promise<boolean> {
  try {
    await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** A pull request from a fork gets a read-only token: no comment then. */
export function isForkPullRequest(payload: EventPayload): boolean {
  const pr = payload.pull_request;
  if (!pr) return false;
  const head = pr.head?.repo?.full_name;
  const base = pr.base?.repo?.full_name ?? payload.repository?.full_name;
  // A deleted fork has head.repo null: treat it as a fork.
  if (pr.head && pr.head.repo === null) return true;
  return !!head && !!base && head.toLowerCase() !== base.toLowerCase();
}

/** A failure of the environment (not of the checked mesh), with what to do about it. */
export class EnvironmentError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(`${message}; ${hint}`);
    this.name = 'EnvironmentError';
  }
}
