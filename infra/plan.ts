/**
 * `npm run plan`: for every `Pulumi.<stack>.yaml`, runs the Pulumi program under mocks and writes
 * `dist/infra/<stack>.plan.json`, the reviewable list of resources the stack would create.
 * `npm run plan -- --out DIR` writes elsewhere (the tests compare that with the committed plans).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FindingsError } from '../contracts/finding';
import { checkEnvironments, environments, sourceOf } from '../environments';
import { listStacks, planStack } from './offline';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const outFlag = process.argv.indexOf('--out');
  if (outFlag >= 0 && !process.argv[outFlag + 1]) throw new Error('--out needs a directory: npm run plan -- --out DIR');
  const outDir = outFlag >= 0 ? path.resolve(process.argv[outFlag + 1]) : path.join(root, 'dist', 'infra');
  // The whole model, every problem at once, before any stack runs or any plan is written.
  const problems = checkEnvironments(environments.map(sourceOf));
  if (problems.length) throw new FindingsError(problems, `${problems.length} problem(s) in the environment model`);
  fs.mkdirSync(outDir, { recursive: true });
  // One stack at a time: the Pulumi runtime is process-global.
  for (const stack of listStacks(root)) {
    const started = Date.now();
    const plan = await planStack(root, stack);
    const file = path.join(outDir, `${stack}.plan.json`);
    fs.writeFileSync(file, plan);
    const count = (JSON.parse(plan) as unknown[]).length;
    console.log(`${path.relative(process.cwd(), file)}: ${count} resources (${Date.now() - started} ms)`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
