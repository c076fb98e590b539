/**
 * `npm run diff -- DIR_A DIR_B` or `npm run diff -- --base GIT_REF` (against ./dist).
 * Exit 0: no changes; 1: changes; 2: usage or input error.
 */
import { main } from './main';

// Held until the synchronous work is done (its cleanup included), then honoured.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) process.on(signal, () => process.exit(code));
process.exitCode = main(process.argv.slice(2));
