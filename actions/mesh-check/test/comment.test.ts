import { COMMENT_MARKER, upsertComment, type CommentsApi, type IssueComment } from '../src/comment';

/** An in-memory pull request: pages of comments, and the calls made. */
class MemoryComments implements CommentsApi {
  readonly calls: string[] = [];
  private next = 100;
  constructor(
    readonly comments: IssueComment[],
    private readonly perPage = 2,
  ) {}
  async *listComments(): AsyncIterable<readonly IssueComment[]> {
    for (let i = 0; i < this.comments.length; i += this.perPage) {
      this.calls.push(`list page ${i / this.perPage + 1}`);
      yield this.comments.slice(i, i + this.perPage);
    }
  }
  async createComment(body: string): Promise<IssueComment> {
    this.calls.push('create');
    const c = { id: this.next++, body };
    this.comments.push(c);
    return c;
  }
  async updateComment(id: number, body: string): Promise<IssueComment> {
    this.calls.push(`update ${id}`);
    const c = this.comments.find((x) => x.id === id)!;
    (c as { body: string }).body = body;
    return c;
  }
}

describe('upsertComment', () => {
  it('creates the comment once, then updates it in place, reading every page', async () => {
    const api = new MemoryComments([
      { id: 1, body: 'LGTM' },
      { id: 2, body: `quoting ${COMMENT_MARKER} is not ours` },
      { id: 3, body: null },
    ]);
    expect(await upsertComment(api, 'first')).toEqual({ id: 100, action: 'created' });
    expect(api.calls).toEqual(['list page 1', 'list page 2', 'create']);
    api.comments.push({ id: 4, body: 'later' }, { id: 5, body: 'later still' });
    expect(await upsertComment(api, 'second')).toEqual({ id: 100, action: 'updated' });
    expect(api.comments.filter((c) => c.body?.startsWith(COMMENT_MARKER))).toEqual([{ id: 100, body: `${COMMENT_MARKER}\nsecond` }]);
  });
});
