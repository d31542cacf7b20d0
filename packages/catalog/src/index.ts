export { accessRequirements, type AccessRequirements } from './access';
export { versionHistory, type HistoryOptions, type HistoryResult, type VersionEntry } from './history';
export { contentSecurityPolicy, esc } from './html';
export { MAX_DRAWN } from './lineage';
export { parseSchemaJson, schemaFieldRows, type FieldRow } from './schema-fields';
export { buildSearchIndex, searchOptions, type SearchDocument } from './search';
export { buildCatalog, domainPath, productPath, type CatalogOptions, type CatalogSite } from './site';
export { consumeInfo, pythonJson, SNIPPET_REQUIREMENTS, type ConsumeInfo } from './snippets';
