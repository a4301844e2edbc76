// The rulebridge command line: a thin layer over the library, one file per command. Commands
// load the modules they run on when they run, so that the command line starts fast (a convert
// answered by --cache takes a fraction of a second).

import { Command, CommanderError } from 'commander';
import { registerCatalog } from './catalog.js';
import { registerConvert } from './convert.js';
import { registerDupes } from './dupes.js';
import { registerInspect } from './inspect.js';
import { EXIT_USAGE, exitQuietlyOnBrokenPipe } from './output.js';
import { registerTest } from './test.js';
import { packageVersion } from './version.js';

export function buildProgram(): Command {
  const program = new Command('rulebridge')
    .description('Read Sigma and Panther detection rules into one condition AST; inspect, test, convert, catalog and de-duplicate them.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerInspect(program);
  registerTest(program);
  registerConvert(program);
  registerCatalog(program);
  registerDupes(program);
  // Subcommands of subcommands (catalog serve) too: every usage error must reach main().
  const overrideAll = (command: Command) => command.commands.forEach((sub) => (sub.exitOverride(), overrideAll(sub)));
  overrideAll(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  exitQuietlyOnBrokenPipe();
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end the run successfully; any other command-line error is a usage error.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    throw error;
  }
}
