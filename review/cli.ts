/**
 * `npm run diff -- DIR_A DIR_B` or `npm run diff -- --base GIT_REF` (against ./dist).
 * Exit 0: no changes; 1: changes; 2: usage or input error.
 */
import { main } from './main';

type Proc = Pick<NodeJS.Process, 'argv' | 'on' | 'exit' | 'exitCode'>;

/** Wires `main` to a process: argv after the script, the exit code, signals (130/143/129). */
export function run(proc: Proc = process): void {
  // Held until the synchronous work is done (its cleanup included), then honoured.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) proc.on(signal, () => proc.exit(code));
  proc.exitCode = main(proc.argv.slice(2));
}

if (require.main === module) run();
