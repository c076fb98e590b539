import { Finding } from '../contracts/finding';
import { warningSummary } from '../synth/synthesize';

const finding = (rule: string, severity: Finding['severity']): Finding => ({ rule, severity, file: 'dist/dev/x.yaml', problem: 'p', fix: 'f' });

test('advisory warnings are counted per rule, most frequent first, errors left out', () => {
  const found = [finding('b', 'warning'), finding('a', 'warning'), finding('b', 'warning'), finding('c', 'error'), finding('a', 'warning'), finding('b', 'warning')];
  expect(warningSummary(found)).toBe('5 warning(s): b 3, a 2');
});

test('ties sort by rule id; no warnings, no summary', () => {
  expect(warningSummary([finding('z', 'warning'), finding('m', 'warning')])).toBe('2 warning(s): m 1, z 1');
  expect(warningSummary([finding('c', 'error')])).toBe('');
});
