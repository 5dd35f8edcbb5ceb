// The Spectral side of bench/report.sh: reads agentready's JSON report,
// turns its findings into Spectral diagnostics (same files, lines, rules,
// messages, severities) and times @stoplight/spectral-formatters on them,
// printing "format median-ms bytes" lines under agentready's format names.
'use strict';
const fs = require('fs');
const path = require('path');
const [, , modules, input, runsArg] = process.argv;
// Resolve from the cache's node_modules, through the package's exports map.
const f = require('module').createRequire(path.join(modules, 'bench.cjs'))('@stoplight/spectral-formatters');
const runs = Number(runsArg || 5);

const rep = JSON.parse(fs.readFileSync(input, 'utf8'));
const sev = { error: 0, warning: 1, info: 2, hint: 3 };
const results = rep.findings.map(x => ({
  code: x.ruleId,
  message: x.message,
  severity: sev[x.severity],
  source: path.resolve(x.location.file),
  path: x.location.pointer.split('/').slice(1),
  range: {
    start: { line: x.location.line - 1, character: x.location.column - 1 },
    end: { line: (x.location.endLine || x.location.line) - 1, character: (x.location.endColumn || x.location.column) - 1 },
  },
}));
const rules = {};
for (const r of rep.rules) {
  rules[r.id] = { name: r.id, description: r.title, documentationUrl: r.helpUri, severity: sev[r.severity] };
}
const ctx = { ruleset: { rules }, spectralVersion: 'bench' };
const opts = { failSeverity: 0 };

// agentready format -> the Spectral formatter that does the same job.
const pairs = [
  ['text', f.stylish],
  ['json', f.json],
  ['sarif', f.sarif],
  ['junit', f.junit],
  ['github', f.githubActions],
  ['markdown', f.markdown],
];
for (const [name, fmt] of pairs) {
  const times = [];
  let out = '';
  for (let i = 0; i <= runs; i++) {
    const t = process.hrtime.bigint();
    out = fmt(results, opts, ctx);
    if (i > 0) times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`${name} ${times[Math.floor(times.length / 2)].toFixed(1)} ${Buffer.byteLength(out)}`);
}
