import type { Command } from 'commander';
import { registerApprove } from './approve.ts';
import { registerDrill } from './drill.ts';
import { registerIncidents } from './incidents.ts';
import { registerLocal } from './local.ts';
import { registerMediaCheck } from './media-check.ts';
import { registerObligations } from './obligations.ts';
import { registerReport } from './report.ts';
import { registerScope } from './scope.ts';
import { registerSyntheticSources } from './synthetic-sources.ts';

/** One line per command module; keep alphabetical. */
export function registerCommands(program: Command): void {
  registerApprove(program);
  registerDrill(program);
  registerIncidents(program);
  registerLocal(program);
  registerMediaCheck(program);
  registerObligations(program);
  registerReport(program);
  registerScope(program);
  registerSyntheticSources(program);
}
