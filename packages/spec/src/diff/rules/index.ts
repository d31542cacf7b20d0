import type { ChangeRule } from '../context';
import { compatibilityMode } from './compatibility-mode';
import { consumerImpact } from './consumer-impact';
import { downstreamSlaGap } from './downstream-sla-gap';
import { governanceWeakened } from './governance-weakened';
import { icebergEvolution } from './iceberg-evolution';
import { portAddress } from './port-address';
import { portRemoval } from './port-removal';
import { productRemoval } from './product-removal';
import { retireBeforeRemoval } from './retire-before-removal';
import { schemaCompatibility } from './schema-compatibility';
import { schemaHistory } from './schema-history';
import { slaLoosened } from './sla-loosened';
import { versionBump } from './version-bump';

/** Every change rule, in the order they run; the version verdict comes last, from the others' findings. */
export const CHANGE_RULES: readonly ChangeRule[] = [
  schemaCompatibility,
  schemaHistory,
  icebergEvolution,
  consumerImpact,
  portRemoval,
  slaLoosened,
  downstreamSlaGap,
  governanceWeakened,
  productRemoval,
  retireBeforeRemoval,
  portAddress,
  compatibilityMode,
  versionBump,
];
