// Parses a Mermaid flowchart with Mermaid's own parser and prints its nodes and edges as JSON.
// Mermaid needs a DOM even to parse, so jsdom stands in for the browser.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
const text = readFileSync(0, 'utf8');
try {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const vertices = Object.fromEntries([...diagram.db.getVertices()].map(([id, v]) => [id, { text: v.text, classes: v.classes }]));
  const edges = diagram.db.getEdges().map((e) => ({ start: e.start, end: e.end, text: e.text }));
  process.stdout.write(JSON.stringify({ ok: true, type: diagram.type, vertices, edges }));
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(error) }));
}
