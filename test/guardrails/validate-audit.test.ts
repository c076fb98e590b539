/**
 * validate.ts in-process: which rules run under which options, the waiver bookkeeping (used, unknown,
 * unwaivable, silencing nothing), node-agent exceptions, ordering and line numbers of findings.
 * Expected findings are written out by hand.
 */
import { auditManifests, isEnabled, validateManifests, ValidateOptions } from '../../guardrails/validate';

const WAIVE = 'guardrails.k8s-book-systems.io/waive';
const AGENT = 'guardrails.k8s-book-systems.io/node-agent';
const FIELD = `metadata.annotations["${WAIVE}"]`;

/** A Deployment that breaks nothing (as in validate.test.ts); `edit` breaks one thing. */
function deployment(name: string, edit: (d: any) => void = () => undefined): any {
  const d = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'web', annotations: {} as Record<string, string> },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name,
              image: 'example/app:1.0.0',
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/', port: 'http' } },
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
            },
          ],
        },
      },
    },
  };
  edit(d);
  return d;
}
const docs = (...objects: unknown[]) => objects.map((object) => ({ file: 'in.yaml', object }));
/** The hardening warnings the plain Deployment above still gets (they have their own tests). */
const HARDENING = ['run-as-non-root', 'read-only-root-fs', 'ephemeral-storage', 'anti-affinity', 'pdb-missing', 'network-policy'];
const quiet = (options: ValidateOptions = {}): ValidateOptions => ({ ...options, exclude: [...HARDENING, ...(options.exclude ?? [])] });
const audit = (objects: unknown[], options: ValidateOptions = {}) => auditManifests(docs(...objects), quiet(options));
const validate = (objects: unknown[], options: ValidateOptions = {}) => validateManifests(docs(...objects), quiet(options));
const errors = (objects: unknown[], options: ValidateOptions = {}) => validate(objects, options).filter((f) => f.severity === 'error');
const noOs = (d: any) => delete d.spec.template.spec.nodeSelector;
const latest = (d: any) => (d.spec.template.spec.containers[0].image = 'example/app:latest');

describe('isEnabled', () => {
  it('applies exclude, includeOnly and the OS-constraint switch', () => {
    expect(isEnabled('image-tag', {})).toBe(true);
    expect(isEnabled('image-tag', { exclude: ['image-tag'] })).toBe(false);
    expect(isEnabled('image-tag', { exclude: ['resources'] })).toBe(true);
    expect(isEnabled('image-tag', { includeOnly: [] })).toBe(true);
    expect(isEnabled('image-tag', { includeOnly: ['image-tag'] })).toBe(true);
    expect(isEnabled('image-tag', { includeOnly: ['resources'] })).toBe(false);
    expect(isEnabled('os-constraint', { requireOsConstraint: false })).toBe(false);
    expect(isEnabled('os-constraint', { requireOsConstraint: true })).toBe(true);
    expect(isEnabled('os-constraint', {})).toBe(true);
    expect(isEnabled('image-tag', { requireOsConstraint: false })).toBe(true);
    // `exception` always runs.
    expect(isEnabled('exception', { exclude: ['exception'] })).toBe(true);
    expect(isEnabled('exception', { includeOnly: ['image-tag'] })).toBe(true);
    expect(isEnabled('exception', { requireOsConstraint: false })).toBe(true);
  });
});

describe('auditManifests', () => {
  it('a clean object: no findings, one object', () => {
    expect(audit([deployment('a')])).toEqual({ findings: [], exceptions: [], skipped: [], objects: 1 });
    // Without the exclusions, the warnings come with their rule's severity.
    expect(validateManifests(docs(deployment('a'))).map((f) => `${f.rule} ${f.severity}`)).toEqual(HARDENING.map((rule) => `${rule} warning`));
  });

  it('reports findings with the rule severity and the field, in document then rule order', () => {
    const findings = validate([deployment('a', (d) => (noOs(d), latest(d))), deployment('b', latest)]);
    expect(findings.map((f) => `${f.object} ${f.rule} ${f.severity} ${f.field}`)).toEqual([
      'Deployment/web/a image-tag error spec.template.spec.containers[0].image',
      'Deployment/web/a os-constraint error spec.template.spec.nodeSelector',
      'Deployment/web/b image-tag error spec.template.spec.containers[0].image',
    ]);
    expect(Object.keys(findings[0])).toEqual(['rule', 'severity', 'file', 'object', 'field', 'problem', 'fix']);
  });

  it('options switch rules off; non-objects are schema findings', () => {
    const broken = deployment('a', (d) => (noOs(d), latest(d)));
    expect(errors([broken], { requireOsConstraint: false }).map((f) => f.rule)).toEqual(['image-tag']);
    expect(errors([broken], { exclude: ['image-tag'] }).map((f) => f.rule)).toEqual(['os-constraint']);
    expect(errors([broken], { includeOnly: ['os-constraint'] }).map((f) => f.rule)).toEqual(['os-constraint']);
    expect(validateManifests(docs('text', [1], 3, true))).toEqual([
      { file: 'in.yaml', line: undefined, rule: 'schema', severity: 'error', problem: 'a document is a string, not a Kubernetes object', fix: 'remove it' },
      { file: 'in.yaml', line: undefined, rule: 'schema', severity: 'error', problem: 'a document is a sequence, not a Kubernetes object', fix: 'remove it' },
      { file: 'in.yaml', line: undefined, rule: 'schema', severity: 'error', problem: 'a document is a number, not a Kubernetes object', fix: 'remove it' },
      { file: 'in.yaml', line: undefined, rule: 'schema', severity: 'error', problem: 'a document is a boolean, not a Kubernetes object', fix: 'remove it' },
    ]);
    expect(validate(['text'], { exclude: ['schema'] })).toEqual([]);
  });

  it('lists custom resources it could not check, unless schema is off', () => {
    const cr = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'web' } };
    expect(auditManifests(docs(cr)).skipped).toEqual([{ file: 'in.yaml', object: 'Widget/web/w', apiVersion: 'example.com/v1', kind: 'Widget' }]);
    expect(auditManifests(docs(cr), { exclude: ['schema'] }).skipped).toEqual([]);
    expect(auditManifests(docs(cr, deployment('a'))).objects).toBe(2);
  });

  it('puts the line after the file when the document has one', () => {
    const [finding] = validateManifests([{ file: 'l.yaml', line: 12, object: deployment('a', latest) }], quiet());
    expect(Object.keys(finding)).toEqual(['rule', 'severity', 'file', 'line', 'object', 'field', 'problem', 'fix']);
    expect(finding.line).toBe(12);
  });
});

describe('waivers', () => {
  const waive = (value: string) => (d: any) => (d.metadata.annotations[WAIVE] = value);

  it('a used waiver silences its rule and is listed as an exception', () => {
    const used = audit([deployment('a', (d) => (latest(d), waive('image-tag: pinned by digest at deploy time')(d)))]);
    expect(used.findings).toEqual([]);
    expect(used.exceptions).toEqual([{ file: 'in.yaml', object: 'Deployment/web/a', rule: 'image-tag', reason: 'pinned by digest at deploy time', detail: 'waived' }]);
  });

  it('a waiver that silences nothing, names an unknown rule or an unwaivable one is a finding', () => {
    const found = validate([deployment('a', waive('image-tag: x\nimage-tags: y\nschema: z\nzzzzzzzzzzzz: w'))]);
    expect(found).toEqual([
      { rule: 'exception', severity: 'error', file: 'in.yaml', object: 'Deployment/web/a', field: FIELD, problem: 'waiver for image-tag silences nothing', fix: 'remove it' },
      {
        rule: 'exception',
        severity: 'error',
        file: 'in.yaml',
        object: 'Deployment/web/a',
        field: FIELD,
        problem: 'waiver names unknown rule "image-tags"',
        fix: 'did you mean image-tag? use a rule id from `npm run validate -- --list-rules`',
      },
      { rule: 'exception', severity: 'error', file: 'in.yaml', object: 'Deployment/web/a', field: FIELD, problem: 'rule schema cannot be waived', fix: 'fix the object' },
      {
        rule: 'exception',
        severity: 'error',
        file: 'in.yaml',
        object: 'Deployment/web/a',
        field: FIELD,
        problem: 'waiver names unknown rule "zzzzzzzzzzzz"',
        fix: 'use a rule id from `npm run validate -- --list-rules`',
      },
    ]);
  });

  it('an unwaivable rule is never silenced', () => {
    const found = errors([deployment('a', (d) => (delete d.metadata.name, waive('schema: no name')(d)))]);
    expect(found.map((f) => `${f.rule}: ${f.problem}`)).toEqual(['schema: has no metadata.name', 'exception: rule schema cannot be waived']);
  });

  it('a waiver for a rule switched off is not reported', () => {
    expect(validate([deployment('a', waive('image-tag: x'))], { exclude: ['image-tag'] })).toEqual([]);
    expect(validate([deployment('a', waive('os-constraint: x'))], { requireOsConstraint: false })).toEqual([]);
    expect(validate([deployment('a', waive('exception: x'))])).toEqual([
      { rule: 'exception', severity: 'error', file: 'in.yaml', object: 'Deployment/web/a', field: FIELD, problem: 'rule exception cannot be waived', fix: 'fix the object' },
    ]);
  });

  it('exception findings come after the rules of the same object, before the next object', () => {
    const found = validate([deployment('a', (d) => (latest(d), waive('resources: x')(d))), deployment('b', latest)]);
    expect(found.map((f) => `${f.object} ${f.rule}`)).toEqual(['Deployment/web/a image-tag', 'Deployment/web/a exception', 'Deployment/web/b image-tag']);
  });
});

describe('node agents', () => {
  const daemonSet = (annotations: Record<string, string>, spec: object = {}) =>
    deployment('agent', (d) => {
      d.kind = 'DaemonSet';
      delete d.spec.replicas;
      d.metadata.annotations = annotations;
      Object.assign(d.spec.template.spec, spec);
    });

  it('lists the host privileges a node agent uses, or none', () => {
    expect(audit([daemonSet({ [AGENT]: 'reads node metrics' }, { hostPID: true })]).exceptions).toEqual([
      { file: 'in.yaml', object: 'DaemonSet/web/agent', rule: 'host-access', reason: 'reads node metrics', detail: 'node agent using hostPID' },
    ]);
    expect(audit([daemonSet({ [AGENT]: '  quiet  ' })]).exceptions).toEqual([
      { file: 'in.yaml', object: 'DaemonSet/web/agent', rule: 'host-access', reason: 'quiet', detail: 'node agent using no host privileges' },
    ]);
    expect(audit([daemonSet({})]).exceptions).toEqual([]);
  });

  it('reports a misused node-agent annotation as an exception finding', () => {
    expect(validate([deployment('a', (d) => (d.metadata.annotations[AGENT] = 'why'))])).toEqual([
      {
        rule: 'exception',
        severity: 'error',
        file: 'in.yaml',
        object: 'Deployment/web/a',
        field: `metadata.annotations["${AGENT}"]`,
        problem: `${AGENT} only applies to DaemonSets (one pod per node)`,
        fix: 'remove it and drop the host access instead',
      },
    ]);
  });
});
