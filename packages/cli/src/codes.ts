import { CHANGE_RULES, codeDocsUrl, RULES, type Severity } from '@data-mesh/spec';

export { codeAnchor, CODES_PAGE } from '@data-mesh/spec';

/** What a finding code means: every code any command of `mesh` reports. */
export interface CodeInfo {
  readonly code: string;
  /** Stable kebab-case name (the rule's name where a rule registry has one). */
  readonly name: string;
  /** One line: what is checked. */
  readonly title: string;
  /** The severity findings of the code usually have ("error/warning" when it depends). */
  readonly severity: string;
  readonly area: 'contract' | 'change' | 'policy' | 'quality' | 'infra' | 'import';
  readonly description: string;
}

/**
 * The description of each code of the spec's rule registries (RULES, CHANGE_RULES): their
 * code, name, title and severity come from the rules themselves.
 */
const RULE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  MESH100: "the file is UTF-8, at most 1 MiB, well-formed YAML with no duplicate keys and no alias expansion bomb",
  MESH101: "the document matches the JSON Schema (required keys, types, enums, unknown keys)",
  MESH102: "product folders and the domain map agree, both ways",
  MESH103: "`metadata.domain` is the folder's domain, `metadata.owner` its `owner_team`, `metadata.name` the folder name",
  MESH104: "output port names are unique in a product",
  MESH105: "a stream port has a `topic`, a batch port a `location`; not the other's key",
  MESH106: "`schema-registry://<domain>/<subject>` resolves to `domains/<domain>/schemas/<subject>.avsc` and parses as Avro",
  MESH107: "topic and location end in `v<major>` equal to the major of `metadata.version` (deprecated ports exempt)",
  MESH108: "`inputPorts[].sourceProduct` (and `port`) exists",
  MESH109: "every consumed field exists in the source's port schemas (dotted path or a bare name matching exactly one leaf)",
  MESH110: "freshness `< N unit`, `< N unit after HH:MM UTC`, `< N unit after midnight UTC`; uptime `99.9%`",
  MESH111: "each input's freshest port promises a strictly smaller staleness than every output port (error)",
  MESH112: "the product of the inputs' uptimes is not below an output port's uptime (warning)",
  MESH113: "`governance.pii_fields` exist in the product's schemas",
  MESH114: "`access_policy` is `opa://<bundle>/<name>` and resolves to the Rego package `data_mesh.access.<bundle>.<name>` (hyphens as underscores) that declares the same `policy_ref`",
  MESH115: "names derived for AWS resources are valid and do not collide across the mesh: Kafka topics (which treat '.' and '_' alike in metrics), Glue tables, S3 bucket names and nested locations, and the stacks and construct ids of the infrastructure app (a domain cannot be named platform, access, dashboards or governance, the app's own stacks; two products cannot meet once dashes are dropped, as order-events-v1 and order-events-v-1 do)",
  MESH116: "input ports form no cycle",
  MESH117: "a committed `.github/CODEOWNERS` matches what `mesh codeowners` writes",
  MESH118: "a deprecated port has a sunset date",
  MESH119: "every batch port has a required top-level date or timestamp field for its retention job: `recordTimeField`, or derived (the first such field); a nullable declared field warns",
  MESH120: "a product with `gdpr_subject_to_erasure: true` names `subject_id_field`, which resolves in every port's schema to one string, int or long value (not inside an array or map)",
  MESH121: "every batch port's `partitioning` reads against its schema: `year/month/day` (and `year`, `year/month`, `year/month/day/hour`) on the schema's partition time column (a required date or timestamp, one named like `snapshot_date` or `event_time` first; a timestamp for `hour`), or transforms (`day(ts)`, `hour(ts)`, `bucket(16, id)`, `truncate(4, name)`, `identity(col)`) naming top-level columns; time transforms need a date or timestamp column (`hour` a timestamp). The Iceberg table construct reads it with the same function",
  MESH122: "`metadata.status` is `shadow`, `active` (the default), `deprecated` or `retired`; a deprecated product has a `metadata.sunset` (YYYY-MM-DD, UTC), only a deprecated or retired one has one, and the migration's dates are calendar days",
  MESH123: "a product reading a deprecated product, or a deprecated port it pins or whose fields only deprecated ports hold, is warned at its `inputPorts` entry with the sunset and the replacement; from the sunset day on it is an error (`--now` judges another day)",
  MESH124: "no product reads a retired product: it is no longer served",
  MESH125: "a shadow product is read only inside its own domain: it is not authoritative until cut over",
  MESH126: "`replaces` and `replacedBy` name products and ports that exist; once cut over (this product active, the replaced one deprecated or retired) the replaced one names this one in `replacedBy`, and its sunset is no earlier than `migration.cutover + windowDays`",
  MESH201: "a stream port's schema is compatible with every earlier version of its file (in the base branch's history) under the port's mode",
  MESH202: "a batch port's schema evolves by Iceberg's rules: add optional columns, widen int to long, float to double, decimal precision",
  MESH203: "no consumer reads a field the change removes or retypes; unread changes are reported as safe (info) with the evidence",
  MESH204: "a port goes only once deprecated, after its sunset, and when no consumer reads it",
  MESH205: "freshness is not loosened and uptime not lowered",
  MESH206: "a freshness change opens no contract gap in a downstream product",
  MESH207: "PII stays marked, classification is not lowered, retention not raised, erasure and access policy not dropped",
  MESH208: "the bump made is at least the bump needed (a missing patch bump is a warning)",
  MESH211: "a product goes only when no other product reads it",
  MESH212: "a port's topic or location does not move in place",
  MESH213: "a port's compatibility mode is not loosened (warning)",
  MESH214: "a transitive mode's check saw every earlier version of the schema file: in a shallow clone whose history stops at a commit holding the file, or a partial clone that cannot fetch an old version, the check is reported incomplete (error) with the fix, never passed",
  MESH215: "a product's spec is deleted only after a change that retired it (its status at the base is `retired`): deprecate, let readers move, retire, then delete",
  MESH401: "`qualityChecks[].rule` parses",
  MESH402: "every column a rule names exists in the product's schemas",
  MESH404: "`col REFERENCES <domain>/<product>.<port>.<column>` names a product, an output port of it and a column of that port's schema (one value per row, not inside an array or map) whose values compare with the column's (text with text, numbers with numbers, dates with dates)",
  MESH405: 'a rule judges rows (every row must satisfy it) or the whole data (aggregates such as `count(*)`, `completeness(c)` compared with numbers); a top-level AND may join the two (`id IS NOT NULL AND count(*) > 0`), but within one part a column cannot meet an aggregate (`a > avg(a)`, `a > 0 OR count(*) > 0`): no engine can judge that',
};

/** The codes of @data-mesh/policy (MESH3xx) and of the infrastructure (MESH5xx), which have no rule registry. */
const OTHER_CODES: readonly Omit<CodeInfo, 'title'>[] = [
  { code: 'MESH130', name: 'odcs-version', area: 'import', severity: 'error', description: "the ODCS document is of another major version (v2: `apiVersion: v2.x`, or v2 keys such as `uuid`/`dataset`) or not `kind: DataContract`: mesh reads ODCS v3 and writes v3.1.0" },
  { code: 'MESH131', name: 'odcs-structure', area: 'import', severity: 'error', description: "the ODCS document is not YAML, has a property ODCS v3.1 does not define (`did you mean`), misses a required one (`version`, `apiVersion`, `kind`, `id`, `status`; `name` of schema objects and properties; `property`/`value` of SLA and custom properties), or has a value of the wrong kind; at its line" },
  { code: 'MESH132', name: 'odcs-avro-type', area: 'import', severity: 'error', description: "a schema property's type has no Avro form (a logicalType other than string, integer, number, boolean, date, time, timestamp, object, array; an object without properties; an array without items), or the schema it maps to is not valid Avro; at the property" },
  { code: 'MESH133', name: 'odcs-mesh-gap', area: 'import', severity: 'error/warning', description: "the ODCS contract lacks what a data product needs (a kebab-case name, a domain (`--domain`), a semver version, `team.name`, `description.purpose`, a mesh status, per schema object a topic or table with its location, freshness and availability in `slaProperties`, classification and retention when it has governance); warning: a quality entry that is not a mesh rule (custom, engine `data-mesh`) is not imported" },
  { code: 'MESH300', name: 'tool-missing', area: 'policy', severity: 'error', description: "`opa`/`regal` not installed or not the pinned version (`ToolMissingError`; hint: `bash scripts/setup-tools.sh`)" },
  { code: 'MESH301', name: 'test-failed', area: 'policy', severity: 'error', description: "a Rego test failed (at the test's file:line; what it printed is in the message)" },
  { code: 'MESH302', name: 'test-error', area: 'policy', severity: 'error', description: "a Rego test raised an error" },
  { code: 'MESH303', name: 'policy-compile', area: 'policy', severity: 'error', description: "a policy does not parse or compile (`opa test`/`opa check --strict`), at file:line" },
  { code: 'MESH304', name: 'coverage', area: 'policy', severity: 'error', description: "Rego test coverage below the threshold (default 90%)" },
  { code: 'MESH305', name: 'opa-failure', area: 'policy', severity: 'error', description: "opa failed in a way that names no file" },
  { code: 'MESH306', name: 'wasm-build', area: 'policy', severity: 'error', description: "`opa build -t wasm` failed (e.g. a builtin the wasm runtime lacks)" },
  { code: 'MESH307', name: 'eval-failure', area: 'policy', severity: 'error', description: "a compiled decision could not be evaluated (unknown entrypoint, runtime error)" },
  { code: 'MESH308', name: 'format', area: 'policy', severity: 'error', description: "a Rego file is not formatted as `opa fmt` writes it" },
  { code: 'MESH309', name: 'lint', area: 'policy', severity: 'error/warning', description: "a Regal lint violation" },
  { code: 'MESH310', name: 'pii-tag', area: 'policy', severity: 'error', description: "standards: PII fields without the `pii` tag" },
  { code: 'MESH311', name: 'pii-classification', area: 'policy', severity: 'error', description: "standards: PII fields below `confidential`" },
  { code: 'MESH312', name: 'restricted-access-policy', area: 'policy', severity: 'error', description: "standards: `restricted` without `access_policy`" },
  { code: 'MESH313', name: 'gdpr-erasure', area: 'policy', severity: 'error', description: "standards: `gdpr-scoped` tag without `gdpr_subject_to_erasure: true`" },
  { code: 'MESH314', name: 'gdpr-tag', area: 'policy', severity: 'error', description: "standards: `gdpr_subject_to_erasure: true` without the `gdpr-scoped` tag" },
  { code: 'MESH315', name: 'retention-limit', area: 'policy', severity: 'error', description: "standards: `retention_days` over the classification's limit" },
  { code: 'MESH316', name: 'tier-uptime', area: 'policy', severity: 'error', description: "standards: a tier-tagged product with a port below the tier's uptime" },
  { code: 'MESH317', name: 'gdpr-stream-retention', area: 'policy', severity: 'warning', description: "standards: a GDPR-scoped product with a stream port retains longer than `gdpr.max_stream_erasure_days` (`governance/standards.yaml`): erasure deletes table rows, while the topic (`cleanup.policy=delete`) keeps an erased subject's records until `retention_days` ages them out; reported at `retention_days`" },
  { code: 'MESH318', name: 'pii-read', area: 'policy', severity: 'error', description: "standards: an input port declares a PII field of its source without the platform's authorization for the pair (`pii-unauthorized`), or reads a stream port whose other PII fields the authorization does not cover (`pii-stream-partial`); at the field in `inputPorts`" },
  { code: 'MESH319', name: 'standards-other', area: 'policy', severity: 'error', description: "standards: a finding code this package does not know yet" },
  { code: 'MESH322', name: 'erasure-file', area: 'policy', severity: 'error/warning', description: "`governance/erasures/*.yaml`: malformed entry, unknown key; duplicate subject (warning)" },
  { code: 'MESH323', name: 'standards-file', area: 'policy', severity: 'error', description: "`governance/standards.yaml` missing or malformed" },
  { code: 'MESH324', name: 'pii-access-file', area: 'policy', severity: 'error', description: "infra config `piiAccess` (or `lakeFormation.piiAuthorizedConsumers`): a malformed entry, unknown key, missing reason, duplicate pair, a product that does not exist, a field that is not PII of the source; at its line in the config" },
  { code: 'MESH325', name: 'pii-access-stale', area: 'policy', severity: 'warning', description: "infra config `piiAccess`: an authorization nothing uses (the consumer does not read the source, or the source declares no PII)" },
  { code: 'MESH330', name: 'probe-failed', area: 'policy', severity: 'error', description: "a generated PII probe failed (names the probe, product and field; at the field in the spec)" },
  { code: 'MESH340', name: 'parity-mismatch', area: 'policy', severity: 'error', description: "wasm and `opa eval` disagree on a decision (`checkParity`)" },
  { code: 'MESH403', name: 'samples-fail', area: 'quality', severity: 'error/warning', description: "a quality rule fails on its product's samples (`domains/<domain>/<product>/samples/`), at the rule's line with the observed value and failing rows, with the rule's severity; or the samples do not match the port's schema, mix formats, cannot be read or have a malformed `manifest.json` (`mesh check`, which runs the rules of the products whose spec, schemas or samples changed)" },
  { code: 'MESH500', name: 'contract-errors', area: 'infra', severity: 'error', description: "the mesh has contract errors: synthesis skipped (`mesh validate`)" },
  { code: 'MESH501', name: 'infra-config', area: 'infra', severity: 'error/warning', description: "the infra config is invalid (at the key), or missing (the example is used: warning)" },
  { code: 'MESH502', name: 'topic-replacement', area: 'infra', severity: 'error', description: "a topic change would replace the deployed topic (name, cluster, replication, fewer partitions), against the topic manifest" },
  { code: 'MESH503', name: 'pagerduty-missing', area: 'infra', severity: 'warning', description: "an on-call without a PagerDuty integration URL" },
  { code: 'MESH505', name: 'product-not-synthesizable', area: 'infra', severity: 'error', description: "a product that cannot be synthesized" },
  { code: 'MESH506', name: 'domain-split', area: 'infra', severity: 'info', description: "a domain split over several stacks" },
  { code: 'MESH507', name: 'synthesis-failed', area: 'infra', severity: 'error', description: "synthesis failed" },
  { code: 'MESH508', name: 'cdk-nag', area: 'infra', severity: 'error', description: "a cdk-nag (AwsSolutions) finding" },
  { code: 'MESH509', name: 'cloudformation-limits', area: 'infra', severity: 'error', description: "a stack over 500 resources or a template over 1 MB" },
  { code: 'MESH510', name: 'cfn-validation', area: 'infra', severity: 'warning', description: "CDK's built-in CloudFormation validation (with `cfnValidation`)" },
  { code: 'MESH511', name: 'stateful-replaced', area: 'infra', severity: 'error', description: "a stateful resource (`AWS::MSK::Topic`, `AWS::Glue::Registry`/`Schema`/`SchemaVersion`/`Database`/`Table`, `Custom::IcebergTable`, `AWS::S3Tables::*`, `AWS::S3::Bucket`, `AWS::KMS::Key`) would be replaced or removed: names the product (and port) and the logical id, and says what happens to the data (DeletionPolicy / UpdateReplacePolicy `Retain`: retained but orphaned; otherwise lost)" },
  { code: 'MESH512', name: 'stateful-may-replace', area: 'infra', severity: 'warning', description: "a stateful resource may be replaced (the CDK diff's `MAY_REPLACE`)" },
  { code: 'MESH513', name: 'partitions-decrease', area: 'infra', severity: 'error', description: "a Kafka topic's partition count would go down (Kafka can only add partitions)" },
  { code: 'MESH514', name: 'permissions-widened', area: 'infra', severity: 'warning/info', description: "a Lake Formation grant widens (a new principal, table, column or permission); info: IAM statements added" },
  { code: 'MESH515', name: 'plan-failed', area: 'infra', severity: 'error', description: "no plan: a side has contract errors, an invalid config or a policy decision function that cannot be built (MESH517), or the Action's `plan-file` is missing, malformed or for another base/head" },
  { code: 'MESH516', name: 'construct-annotation', area: 'infra', severity: 'error/warning/info', description: "an annotation a construct raised (e.g. `@data-mesh/cdk:qualityNotRun`, a freshness SLA under 2 s that cannot be measured twice, PII columns withheld), with its severity, at the product's spec (the port's name when it is one port's)" },
  { code: 'MESH517', name: 'decision-function', area: 'infra', severity: 'error', description: "the policy decision function cannot be built: opa missing (`npm run setup`), the policies do not compile, or the policy data has errors; nothing is synthesized" },
];

const sentence = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function ruleInfo(rule: { code: string; name: string; title: string; severity: Severity }): CodeInfo {
  const area = rule.code.startsWith('MESH2') ? 'change' : rule.code.startsWith('MESH4') ? 'quality' : 'contract';
  return { code: rule.code, name: rule.name, title: rule.title, severity: rule.severity, area, description: sentence(RULE_DESCRIPTIONS[rule.code] ?? rule.title) };
}

/** Every code, in code order. */
export const CODE_CATALOG: readonly CodeInfo[] = [
  ...RULES.map(ruleInfo),
  ...CHANGE_RULES.map(ruleInfo),
  ...OTHER_CODES.map((c) => ({ ...c, title: sentence(c.description.replace(/^standards: /, '').split(/: | \(|; /)[0]!), description: sentence(c.description) })),
].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

const BY_CODE = new Map(CODE_CATALOG.map((c) => [c.code, c]));

export function codeInfo(code: string): CodeInfo | undefined {
  return BY_CODE.get(code.toUpperCase());
}

/** The documentation link of a code (see codeDocsUrl of @data-mesh/spec). */
export const docsUrl = codeDocsUrl;
