import { getOctokit } from '@actions/github';
import type { CommentsApi, IssueComment } from './comment';

export interface PullRequestRef {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
}

type Octokit = ReturnType<typeof getOctokit>;

/** The issues REST API of one pull request, through Octokit (GITHUB_API_URL, proxies, retries). */
export class PullRequestApi implements CommentsApi {
  private readonly octokit: Octokit;

  constructor(
    token: string,
    private readonly pr: PullRequestRef,
  ) {
    this.octokit = getOctokit(token);
  }

  async *listComments(): AsyncIterable<readonly IssueComment[]> {
    const { owner, repo, number } = this.pr;
    // paginate.iterator follows the Link header's rel="next" until there is none.
    for await (const page of this.octokit.paginate.iterator(this.octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 })) {
      yield page.data.map((c) => ({ id: c.id, body: c.body ?? null }));
    }
  }

  async createComment(body: string): Promise<IssueComment> {
    const { owner, repo, number } = this.pr;
    const { data } = await this.octokit.rest.issues.createComment({ owner, repo, issue_number: number, body });
    return { id: data.id, body: data.body ?? null };
  }

  async updateComment(id: number, body: string): Promise<IssueComment> {
    const { owner, repo } = this.pr;
    const { data } = await this.octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body });
    return { id: data.id, body: data.body ?? null };
  }

  /** The labels on the pull request now (the event payload's list is stale on a re-run). */
  async labels(): Promise<string[]> {
    const { owner, repo, number } = this.pr;
    const labels = await this.octokit.paginate(this.octokit.rest.issues.listLabelsOnIssue, { owner, repo, issue_number: number, per_page: 100 });
    return labels.map((l) => l.name);
  }
}

/** The HTTP status of an Octokit RequestError, if it is one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
