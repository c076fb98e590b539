const { transformSync } = require('esbuild');

/**
 * Jest transform: TypeScript to CommonJS with esbuild (already installed for tsx), without type
 * checking (`npm run typecheck` does that). Inline source maps keep stack traces on .ts lines.
 */
module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'external',
    });
    return { code, map };
  },
};
