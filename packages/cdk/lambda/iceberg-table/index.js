// Custom::IcebergTable: creates and evolves an Iceberg table through Glue's Iceberg API.
// Plain CommonJS on the Lambda Node.js runtime; the AWS SDK v3 comes with the runtime.
'use strict';
const https = require('node:https');
const { GlueClient, CreateTableCommand, UpdateTableCommand, GetTableCommand, DeleteTableCommand } = require('@aws-sdk/client-glue');

const glue = new GlueClient({});

function respond(event, status, physicalId, data, reason) {
  const body = JSON.stringify({
    Status: status, Reason: reason || 'see CloudWatch Logs', PhysicalResourceId: physicalId,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: data || {},
  });
  const url = new URL(event.ResponseURL);
  return new Promise((resolve, reject) => {
    const req = https.request({ hostname: url.hostname, path: url.pathname + url.search, method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(body);
  });
}

function toGlueSchema(schema) {
  return {
    SchemaId: schema['schema-id'], Type: 'struct',
    Fields: schema.fields.map((f) => ({ Id: f.id, Name: f.name, Type: f.type, Required: f.required, ...(f.doc ? { Doc: f.doc } : {}) })),
  };
}
function toGlueSpec(spec) {
  return { SpecId: spec['spec-id'], Fields: spec.fields.map((f) => ({ SourceId: f['source-id'], FieldId: f['field-id'], Name: f.name, Transform: f.transform })) };
}

async function exists(p) {
  try { await glue.send(new GetTableCommand({ CatalogId: p.CatalogId, DatabaseName: p.DatabaseName, Name: p.TableName })); return true; }
  catch (e) { if (e.name === 'EntityNotFoundException') return false; throw e; }
}

async function create(p) {
  await glue.send(new CreateTableCommand({
    CatalogId: p.CatalogId, DatabaseName: p.DatabaseName, Name: p.TableName,
    TableInput: { Name: p.TableName, Description: p.Description || undefined },
    OpenTableFormatInput: { IcebergInput: { MetadataOperation: 'CREATE', Version: '2', CreateIcebergTableInput: {
      Location: p.Location, Schema: toGlueSchema(JSON.parse(p.Schema)), PartitionSpec: toGlueSpec(JSON.parse(p.PartitionSpec)), Properties: JSON.parse(p.TableProperties),
    } } },
  }));
}

async function update(p) {
  await glue.send(new UpdateTableCommand({
    CatalogId: p.CatalogId, DatabaseName: p.DatabaseName, Name: p.TableName,
    UpdateOpenTableFormatInput: { UpdateIcebergInput: { UpdateIcebergTableInput: { Updates: [{
      Location: p.Location, Schema: toGlueSchema(JSON.parse(p.Schema)), PartitionSpec: toGlueSpec(JSON.parse(p.PartitionSpec)), Properties: JSON.parse(p.TableProperties),
    }] } } },
  }));
}

exports.handler = async (event) => {
  const p = event.ResourceProperties;
  const physicalId = `${p.DatabaseName}.${p.TableName}`;
  try {
    if (event.RequestType === 'Create') {
      // Adopt a table that is already there (a retained one, re-created stack): evolve it instead.
      if (await exists(p)) await update(p); else await create(p);
    } else if (event.RequestType === 'Update') {
      // A new name is a new physical resource; CloudFormation then sends Delete for the old one,
      // which keeps it (retained) unless DESTROY was allowed.
      if (physicalId !== event.PhysicalResourceId || !(await exists(p))) await create(p);
      else await update(p);
    } else if (event.RequestType === 'Delete') {
      if (p.DeleteTableOnDelete === 'true' && (await exists(p))) {
        await glue.send(new DeleteTableCommand({ CatalogId: p.CatalogId, DatabaseName: p.DatabaseName, Name: p.TableName }));
      }
    }
    await respond(event, 'SUCCESS', physicalId, { TableName: p.TableName, DatabaseName: p.DatabaseName });
  } catch (e) {
    console.error(e);
    await respond(event, 'FAILED', event.PhysicalResourceId || physicalId, {}, `${e.name}: ${e.message}`.slice(0, 500));
  }
};
