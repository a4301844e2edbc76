// rulebridge catalog <subcommand>: the catalog site. Each subcommand registers itself on the
// `catalog` command through its own register function, and loads what it runs on only when run.
//
//   serve <dir> [--port <n>]   preview a built site on http://127.0.0.1

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { EXIT_OK, EXIT_USAGE, printRunDiagnostics } from './output.js';

export function registerCatalog(program: Command): Command {
  const catalog = program.command('catalog').description('build and preview the static catalog site of a rule corpus');
  registerServe(catalog);
  return catalog;
}

interface ServeOptions {
  port: string;
}

/** Matches DEFAULT_PORT in src/catalog/serve.ts, which is not imported here to keep start-up light. */
const DEFAULT_PORT = '8080';

function registerServe(catalog: Command): void {
  catalog
    .command('serve')
    .description('serve a built catalog site on 127.0.0.1 (this machine only) until interrupted')
    .argument('<dir>', 'the built site: the --out folder of `catalog build`')
    .option('--port <n>', 'port to listen on (0: any free port)', DEFAULT_PORT)
    .action(async (dir: string, options: ServeOptions) => {
      process.exitCode = await serve(dir, options);
    });
}

export async function serve(dir: string, options: ServeOptions): Promise<number> {
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65535) {
    printRunDiagnostics([diagnostic('usage', `--port must be a number from 0 to 65535, not '${options.port}'`)]);
    return EXIT_USAGE;
  }
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    printRunDiagnostics([diagnostic('path-not-found', `no such directory: ${dir} (build the site first with \`rulebridge catalog build\`)`, { path: dir })]);
    return EXIT_USAGE;
  }
  if (!isDirectory) {
    printRunDiagnostics([diagnostic('usage', `${dir} is not a directory: give the folder the site was built into`, { path: dir })]);
    return EXIT_USAGE;
  }
  if (!existsSync(join(dir, 'index.html'))) process.stderr.write(`warning: ${dir} has no index.html; is it a built site?\n`);

  const { serveSite } = await import('../catalog/serve.js');
  const started = await serveSite(dir, { port });
  if (!started.ok) {
    printRunDiagnostics([diagnostic('usage', started.message, { path: dir })]);
    return EXIT_USAGE;
  }
  process.stdout.write(`Serving ${dir} at ${started.server.url} (Ctrl+C to stop)\n`);
  await untilInterrupted();
  await started.server.close();
  return EXIT_OK;
}

/** Resolves on Ctrl+C or a termination request: stopping a preview server is its normal end. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
