/** The hidden marker that identifies the Action's one comment on a pull request. */
export const COMMENT_MARKER = '<!-- mesh-check -->';

/** GitHub refuses comment bodies of 65,536 characters or more. */
export const COMMENT_LIMIT = 65_536;

export interface IssueComment {
  readonly id: number;
  readonly body?: string | null;
}

/** The REST calls the upsert needs (issues API on the pull request). */
export interface CommentsApi {
  /** Every comment on the pull request, page by page. */
  listComments(): AsyncIterable<readonly IssueComment[]>;
  createComment(body: string): Promise<IssueComment>;
  updateComment(id: number, body: string): Promise<IssueComment>;
}

export interface UpsertResult {
  readonly id: number;
  readonly action: 'created' | 'updated';
}

/** Whether a comment is ours: the marker opens its body (a quote of it elsewhere does not count). */
export function isOurs(comment: IssueComment): boolean {
  return (comment.body ?? '').trimStart().startsWith(COMMENT_MARKER);
}

/**
 * Keeps exactly one comment: the first comment whose body starts with the marker is updated
 * in place (every page is read), otherwise one is created.
 */
export async function upsertComment(api: CommentsApi, body: string): Promise<UpsertResult> {
  const marked = withMarker(body);
  for await (const page of api.listComments()) {
    const existing = page.find(isOurs);
    if (existing) {
      const updated = await api.updateComment(existing.id, marked);
      return { id: updated.id, action: 'updated' };
    }
  }
  const created = await api.createComment(marked);
  return { id: created.id, action: 'created' };
}

export function withMarker(body: string): string {
  return body.startsWith(COMMENT_MARKER) ? body : `${COMMENT_MARKER}\n${body}`;
}
