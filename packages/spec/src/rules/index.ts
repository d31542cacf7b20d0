import { accessPolicyReference } from './access-policy-reference';
import { awsNames } from './aws-names';
import { codeowners } from './codeowners';
import { deprecatedSource } from './deprecated-source';
import { deprecation } from './deprecation';
import { domainMapFolders } from './domain-map-folders';
import { freshnessGap } from './freshness-gap';
import { inputFields } from './input-fields';
import { inputSource } from './input-source';
import { jsonSchema } from './json-schema';
import { lineageCycle } from './lineage-cycle';
import { ownership } from './ownership';
import { partitioningRule } from './partitioning';
import { piiFields } from './pii-fields';
import { portLocation } from './port-location';
import { portVersionSuffix } from './port-version-suffix';
import { productLifecycle } from './product-lifecycle';
import { qualityRuleColumns } from './quality-rule-columns';
import { qualityRuleLevel } from './quality-rule-level';
import { qualityRuleReferences } from './quality-rule-references';
import { qualityRuleSyntax } from './quality-rule-syntax';
import { recordTimeFieldRule } from './record-time-field';
import { replacement } from './replacement';
import { retiredSource } from './retired-source';
import type { Rule } from './rule';
import { schemaReference } from './schema-reference';
import { shadowConsumers } from './shadow-consumers';
import { subjectIdFieldRule } from './subject-id-field';
import { slaGrammar } from './sla-grammar';
import { uniquePortNames } from './unique-port-names';
import { uptimeComposition } from './uptime-composition';
import { yamlSyntax } from './yaml-syntax';

/** Every validation rule, in code order. A code is never reused for another meaning. */
export const RULES: readonly Rule[] = [
  yamlSyntax,
  jsonSchema,
  domainMapFolders,
  ownership,
  uniquePortNames,
  portLocation,
  schemaReference,
  portVersionSuffix,
  inputSource,
  inputFields,
  slaGrammar,
  freshnessGap,
  uptimeComposition,
  piiFields,
  accessPolicyReference,
  awsNames,
  lineageCycle,
  codeowners,
  deprecation,
  recordTimeFieldRule,
  subjectIdFieldRule,
  partitioningRule,
  productLifecycle,
  deprecatedSource,
  retiredSource,
  shadowConsumers,
  replacement,
  qualityRuleSyntax,
  qualityRuleColumns,
  qualityRuleReferences,
  qualityRuleLevel,
];

export type { Finding, Rule, RuleContext } from './rule';
