import type { ResponderContext } from '../responder-context.ts';
import { containmentFeature } from './containment.ts';
import { addDrills } from './drills.ts';
import { addIngest } from './ingest.ts';
import { addMediaFeature } from './media.ts';
import { addObservability } from './observability.ts';
import { addRecovery } from './recovery.ts';
import { regulatoryForwarding } from './regulatory-forwarding.ts';
import { addScopeNotify } from './scope-notify.ts';

/**
 * Feature modules add their functions, rules and state machines to the responder stack.
 * One import and one entry per module; each module lives in its own file in this folder.
 */
export const FEATURES: Array<(ctx: ResponderContext) => void> = [
  addIngest,
  containmentFeature,
  // after containment: the deepfake levers are wired into execute-containment and apply-override
  addMediaFeature,
  regulatoryForwarding,
  addRecovery,
  addObservability,
  addScopeNotify,
  // after containment: drill mode is added to execute-containment and apply-override
  addDrills,
];
