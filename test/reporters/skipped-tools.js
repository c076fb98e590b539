/**
 * Jest reporter: after the run, says which tests were skipped because a tool is missing
 * (titles ending in ` [needs <tool>]`, see test/util/tools.ts) and how to run them.
 */
const APT = { shellcheck: 'shellcheck', 'cloud-init': 'cloud-init', 'systemd-analyze': 'systemd', pyyaml: 'python3-yaml' };

class SkippedToolsReporter {
  onRunComplete(_contexts, results) {
    const byTool = new Map();
    for (const file of results.testResults) {
      for (const t of file.testResults) {
        if (t.status !== 'pending') continue;
        const m = /\[needs ([^\]]+)\]$/.exec(t.title);
        if (!m) continue;
        for (const tool of m[1].split(', ')) {
          const entry = byTool.get(tool) ?? { count: 0, files: new Set() };
          entry.count += 1;
          entry.files.add(require('path').relative(process.cwd(), file.testFilePath));
          byTool.set(tool, entry);
        }
      }
    }
    if (byTool.size === 0) return;
    const tools = [...byTool.keys()].sort();
    const total = results.testResults.reduce((n, f) => n + f.testResults.filter((t) => t.status === 'pending' && /\[needs [^\]]+\]$/.test(t.title)).length, 0);
    const lines = [
      `Skipped ${total} test(s) because tools are missing: ${tools.map((t) => `${t} (${byTool.get(t).count}, in ${[...byTool.get(t).files].sort().join(', ')})`).join('; ')}.`,
      `To run them, install the tools (Debian/Ubuntu: sudo apt-get install -y ${[...new Set(tools.map((t) => APT[t] ?? t))].join(' ')}); .ci/run does, and with CI=true a missing tool fails instead of skipping.`,
    ];
    process.stderr.write(`\n${lines.join('\n')}\n`);
  }
}

module.exports = SkippedToolsReporter;
