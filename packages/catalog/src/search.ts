import MiniSearch, { type Options } from 'minisearch';

/** One searchable document: an output port of a product, with the product's own text. */
export interface SearchDocument {
  /** A number: MiniSearch keeps every id in the index, and a product id would be repeated there. */
  readonly id: number;
  /** `<domain>/<product>` */
  readonly product: string;
  readonly port: string;
  readonly description: string;
  readonly tags: string;
  readonly owner: string;
  /** Field names (at every depth), space-separated. */
  readonly fields: string;
}

/** Splits text into terms: letters, digits and underscores (a field name stays one term). */
export const TERM = /[^\p{L}\p{N}_]+/u;

/** The product id holds its domain: `customer/customer-360` is the terms customer, customer, 360. */
/** The characters of a description a result shows. */
export const SUMMARY_LENGTH = 120;

export const SEARCH_FIELDS = ['product', 'port', 'description', 'tags', 'owner', 'fields'] as const;

/**
 * The options the site's script loads the index with: the same tokenizer at query time as at
 * build time (the script repeats it), the fields, and what a result carries to show itself.
 */
export function searchOptions(): Options<SearchDocument> {
  return {
    fields: [...SEARCH_FIELDS],
    storeFields: ['product', 'port', 'summary'],
    tokenize: (text: string, field?: string) => (field === 'fields' ? text.split(/\s+/) : text.split(TERM)).filter(Boolean),
    extractField: (doc: SearchDocument, field: string): string => (field === 'summary' ? doc.description.slice(0, SUMMARY_LENGTH) : String(doc[field as keyof SearchDocument] ?? '')),
  };
}

/** The serialised index (MiniSearch's JSON), to be loaded by the page with `MiniSearch.loadJS`. */
export function buildSearchIndex(documents: readonly SearchDocument[]): string {
  const index = new MiniSearch<SearchDocument>(searchOptions());
  index.addAll(documents);
  return JSON.stringify(index);
}
