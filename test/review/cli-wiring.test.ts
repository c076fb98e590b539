/**
 * review/cli.ts in-process: how `run` wires `main` to a process (argv, exit code, signals), with a
 * stand-in process; and that importing the module runs nothing (only `tsx review/cli.ts` runs it).
 */
import { run } from '../../review/cli';
import { fixturePath } from './fixtures';

function fakeProcess(args: string[]) {
  const handlers = new Map<string, () => void>();
  const proc = {
    argv: ['/usr/bin/node', '/repo/review/cli.ts', ...args],
    on: (signal: string, handler: () => void) => (handlers.set(signal, handler), proc),
    exit: jest.fn(),
    exitCode: undefined as number | undefined,
  };
  return { proc, handlers };
}

afterEach(() => jest.restoreAllMocks());

test('the arguments after the script are the command; its result is the exit code', () => {
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const { proc } = fakeProcess([fixturePath('base'), fixturePath('base')]);
  run(proc as never);
  expect(proc.exitCode).toBe(0);
  expect(out.mock.calls.map((c) => String(c[0]))).toStrictEqual(['No changes.\n']);
  expect(proc.exit).not.toHaveBeenCalled();
});

test('Ctrl-C, SIGTERM and SIGHUP are held, then exit 130, 143 and 129', () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const { proc, handlers } = fakeProcess(['--help']);
  run(proc as never);
  expect([...handlers.keys()]).toStrictEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    handlers.get(signal)?.();
    expect(proc.exit).toHaveBeenLastCalledWith(code);
  }
  expect(proc.exit).toHaveBeenCalledTimes(3);
});

test('importing the CLI module runs nothing: no output, no exit code, no signal handler', () => {
  const exitCode = process.exitCode;
  const listeners = process.listenerCount('SIGINT');
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    jest.isolateModules(() => {
      const cli = require('../../review/cli') as typeof import('../../review/cli');
      expect(typeof cli.run).toBe('function');
    });
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    expect(process.exitCode).toBe(exitCode);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  } finally {
    process.exitCode = exitCode;
  }
});
