// The options of every command that reads rules (checked and used in inputs.ts, which is
// loaded only when a command runs).

import type { Command } from 'commander';

export interface RuleInputOptions {
  attack?: string;
  placeholders?: string;
  maxFileSize?: string;
  workers?: string;
  pantherRoot?: string;
}

export function addRuleInputOptions(command: Command): Command {
  return command
    .option('--attack <file>', 'ATT&CK STIX bundle (enterprise-attack.json) to name tactics and techniques with, instead of the shipped ATT&CK 17.1 table')
    .option('--placeholders <file>', 'YAML map of Sigma placeholder names to value lists, for the expand modifier')
    .option('--max-file-size <bytes>', 'refuse rule files larger than this', String(8 * 1024 * 1024))
    .option('--workers <n>', 'worker threads for parsing (default: one per core for large inputs; 0: none)')
    .option('--panther-root <dir>', 'Panther rule set folder holding global_helpers/ and data_models/ (default: found by walking up from each rule)');
}
