import { parseDrillAlertId } from '#contracts/drills.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import { NonRetryableError } from '#runtime/errors.ts';

/**
 * Drill mode: the side-effecting adapters of a drill incident come from the drill sandbox
 * configuration, never from production. `drill` is built lazily per storefront mode
 * (`down`: storefront-side endpoints refuse every connection).
 */
export interface DrillModePorts<P> {
  store: Pick<IncidentStore, 'getIncident'>;
  production: P;
  drill?: (storefront: 'up' | 'down') => P;
}

export async function portsForIncident<P>(deps: DrillModePorts<P>, incidentId: string): Promise<P> {
  const incident = await deps.store.getIncident(incidentId);
  if (!incident?.drill) return deps.production;
  if (!deps.drill)
    throw new NonRetryableError(
      `incident ${incidentId} is a drill but no drill sandbox is configured; production adapters are never used for drills`,
    );
  const run = parseDrillAlertId(incident.alertIds[0]);
  return deps.drill(run?.storefront ?? 'up');
}
