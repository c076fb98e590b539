/** Kubernetes versions (`--kubernetes-version`): parsing, the supported range 1.16–1.34, comparisons. */
import { atLeast, isSupportedVersion, minorOf, NEWEST_SUPPORTED, OLDEST_SUPPORTED, parseVersion } from '../../guardrails/versions';

describe('versions', () => {
  it('supports 1.16 to 1.34', () => {
    expect(OLDEST_SUPPORTED).toBe('1.16');
    expect(NEWEST_SUPPORTED).toBe('1.34');
  });

  it.each([
    ['1.30', '1.30'],
    ['v1.30', '1.30'],
    ['1.30.2', '1.30'],
    ['v1.9.10', '1.9'],
    ['1.05', '1.5'],
    ['  1.28  ', '1.28'],
    ['1.0', '1.0'],
  ])('parseVersion(%j) is %s', (input, expected) => {
    expect(parseVersion(input)).toBe(expected);
  });

  it.each(['2.30', '1', '1.', '1.300', 'V1.30', 'v 1.30', '1.30.', '1.30.x', 'x1.30', '1.30-rc', '11.30', '.30', '1.3a', ''])('parseVersion(%j) is undefined', (input) => {
    expect(parseVersion(input)).toBeUndefined();
  });

  it('minorOf', () => {
    expect(minorOf('1.30')).toBe(30);
    expect(minorOf('1.7')).toBe(7);
  });

  it('isSupportedVersion at and around both ends', () => {
    expect(isSupportedVersion('1.15')).toBe(false);
    expect(isSupportedVersion('1.16')).toBe(true);
    expect(isSupportedVersion('1.25')).toBe(true);
    expect(isSupportedVersion('1.34')).toBe(true);
    expect(isSupportedVersion('1.35')).toBe(false);
  });

  it('atLeast compares minors', () => {
    expect(atLeast('1.25', '1.25')).toBe(true);
    expect(atLeast('1.26', '1.25')).toBe(true);
    expect(atLeast('1.24', '1.25')).toBe(false);
    expect(atLeast('1.9', '1.10')).toBe(false);
  });
});
