import type { Command } from 'commander';
import { registerDrill } from './drill.ts';
import { registerObligations } from './obligations.ts';
import { registerReport } from './report.ts';
import { registerScope } from './scope.ts';

/** One line per command module; keep alphabetical. */
export function registerCommands(program: Command): void {
  registerDrill(program);
  registerObligations(program);
  registerReport(program);
  registerScope(program);
}
