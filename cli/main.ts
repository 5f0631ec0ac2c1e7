import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';
import { CliError } from './errors.ts';

/** Builds the `tourniquet` program. Each command lives in cli/commands/<name>.ts. */
export function buildProgram(): Command {
  const program = new Command('tourniquet')
    .description('Tourniquet — data-leak responder for fintechs on Magento / Adobe Commerce')
    .showHelpAfterError(false)
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Runs the CLI and returns the exit code (0 ok, 1 failure, 2 bad input). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliError) {
      process.stderr.write(`tourniquet: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(
      `tourniquet: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`,
    );
    return 1;
  }
}
