import { esc, linkFrom } from './html';

/** A neighbour in the lineage graph: the product at the other end of an edge, and what the edge carries. */
export interface LineageNeighbour {
  readonly id: string;
  /** Site path of its page, when it has one. */
  readonly href?: string;
  readonly port?: string;
  readonly fields: readonly string[];
}

/** Neighbours drawn on each side; the rest are in the tables below the graph. */
export const MAX_DRAWN = 25;

const NODE_W = 230;
const NODE_H = 34;
const GAP = 12;
const COL_GAP = 220;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function edgeLabel(n: LineageNeighbour): string {
  const fields = n.fields.length === 0 ? 'every field' : n.fields.join(', ');
  return `${n.port ? `${n.port}: ` : ''}${fields}`;
}

/**
 * The product between its upstream (left) and downstream (right) neighbours as inline SVG:
 * one box per product (a link to its page), one edge per input port labelled with the port and
 * the fields it carries (the full list in the edge's tooltip). No script, no external resource.
 */
export function lineageSvg(pagePath: string, productId: string, upstream: readonly LineageNeighbour[], downstream: readonly LineageNeighbour[]): string {
  const up = upstream.slice(0, MAX_DRAWN);
  const down = downstream.slice(0, MAX_DRAWN);
  const rows = Math.max(1, up.length, down.length);
  const height = rows * (NODE_H + GAP) + GAP + (upstream.length > up.length || downstream.length > down.length ? 24 : 0);
  const width = 3 * NODE_W + 2 * COL_GAP + 20;
  const centerY = (height - NODE_H) / 2;
  const x = [10, 10 + NODE_W + COL_GAP, 10 + 2 * (NODE_W + COL_GAP)] as const;
  const y = (i: number, count: number) => GAP + i * (NODE_H + GAP) + ((rows - count) * (NODE_H + GAP)) / 2;
  const node = (n: { id: string; href?: string }, nx: number, ny: number, cls: string) => {
    const box = `<rect class="${cls}" x="${nx}" y="${ny}" width="${NODE_W}" height="${NODE_H}" rx="6"></rect><text x="${nx + 10}" y="${ny + 22}">${esc(clip(n.id, 28))}</text>`;
    return n.href ? `<a href="${esc(linkFrom(pagePath, n.href))}"><title>${esc(n.id)}</title>${box}</a>` : `<g><title>${esc(n.id)}</title>${box}</g>`;
  };
  const parts: string[] = [];
  up.forEach((n, i) => {
    const ny = y(i, up.length);
    parts.push(`<g class="edge"><title>${esc(`${n.id} → ${productId}: ${edgeLabel(n)}`)}</title><path d="M${x[0] + NODE_W},${ny + NODE_H / 2} C${x[0] + NODE_W + COL_GAP / 2},${ny + NODE_H / 2} ${x[1] - COL_GAP / 2},${centerY + NODE_H / 2} ${x[1]},${centerY + NODE_H / 2}"></path><text class="edge-label" x="${x[0] + NODE_W + 6}" y="${ny + NODE_H / 2 - 4}">${esc(clip(edgeLabel(n), 34))}</text></g>`);
    parts.push(node(n, x[0], ny, 'up'));
  });
  down.forEach((n, i) => {
    const ny = y(i, down.length);
    parts.push(`<g class="edge"><title>${esc(`${productId} → ${n.id}: ${edgeLabel(n)}`)}</title><path d="M${x[1] + NODE_W},${centerY + NODE_H / 2} C${x[1] + NODE_W + COL_GAP / 2},${centerY + NODE_H / 2} ${x[2] - COL_GAP / 2},${ny + NODE_H / 2} ${x[2]},${ny + NODE_H / 2}"></path><text class="edge-label" x="${x[2] - COL_GAP + 4}" y="${ny + NODE_H / 2 - 4}">${esc(clip(edgeLabel(n), 34))}</text></g>`);
    parts.push(node(n, x[2], ny, 'down'));
  });
  parts.push(node({ id: productId }, x[1], centerY, 'self'));
  const more: string[] = [];
  if (upstream.length > up.length) more.push(`${upstream.length - up.length} more upstream`);
  if (downstream.length > down.length) more.push(`${downstream.length - down.length} more downstream`);
  if (more.length) parts.push(`<text class="more" x="10" y="${height - 8}">${esc(`… and ${more.join(', ')}: see the tables below`)}</text>`);
  const summary = `${productId}: ${upstream.length} upstream product(s), ${downstream.length} downstream product(s)`;
  return `<figure class="lineage"><svg role="group" aria-labelledby="lineage-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title id="lineage-title">${esc(summary)}</title>${parts.join('')}</svg><figcaption>${esc(summary)}</figcaption></figure>`;
}
