/** The page with a section per finding code, relative to the repository root. */
export const CODES_PAGE = 'docs/codes.md';

/** The anchor of a code's section in docs/codes.md (GitHub's anchor of the heading `## MESH103`). */
export function codeAnchor(code: string): string {
  return code.toLowerCase();
}

/**
 * The documentation link of a finding code. Given the environment of a GitHub Actions run
 * (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA), an absolute link to the page at the
 * commit checked; else the page's path relative to the repository root. The caller passes the
 * environment: a library reads none.
 */
export function codeDocsUrl(code: string, env: Readonly<Record<string, string | undefined>> = {}): string {
  const page = `${CODES_PAGE}#${codeAnchor(code)}`;
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env;
  return server && repository ? `${server}/${repository}/blob/${sha ?? 'HEAD'}/${page}` : page;
}
