export { fieldToProperty, jsonEqual, propertyToField, type CustomProperty, type Json, type JsonObject, type MappingNote, type OdcsProperty } from './avro';
export { exportOdcs, MESH_QUALITY_ENGINE, ODCS_API_VERSION, type OdcsExport, type OdcsExportReport, type OdcsExportResult } from './export';
export { importOdcs, ODCS_CODES, type ImportedSchema, type OdcsImport, type OdcsImportOptions, type OdcsImportResult } from './import';
export { schemaObjectToAvro } from './schema-object';
