import type { Command } from 'commander';
import { registerDrill } from './drill.ts';
import { registerIncidents } from './incidents.ts';
import { registerLocal } from './local.ts';
import { registerObligations } from './obligations.ts';
import { registerReport } from './report.ts';
import { registerScope } from './scope.ts';

/** One line per command module; keep alphabetical. */
export function registerCommands(program: Command): void {
  registerDrill(program);
  registerIncidents(program);
  registerLocal(program);
  registerObligations(program);
  registerReport(program);
  registerScope(program);
}
