/**
 * The validator's core (guardrails/[a-l]*.ts): node-agent exceptions and waivers (exceptions.ts) and
 * CRD schemas (crd.ts), called in-process. Expected values are written out by hand. load.ts, cli.ts and
 * known-fields.ts have their own files (load.test.ts, cli-run.test.ts, known-fields.test.ts).
 */
import { crdProblems, crdSchemaOf, indexCrds } from '../../guardrails/crd';
import { NODE_AGENT_ANNOTATION, nodeAgentProblems, nodeAgentReason, UNWAIVABLE, WAIVE_ANNOTATION, waiversOf } from '../../guardrails/exceptions';
import { Manifest, readManifests } from '../../guardrails/manifest';

function manifest(object: object): Manifest {
  const { manifests } = readManifests([{ file: 'in-memory', object }]);
  expect(manifests).toHaveLength(1);
  return manifests[0];
}

function annotated(apiVersion: string, kind: string, annotations?: Record<string, unknown>): Manifest {
  return manifest({ apiVersion, kind, metadata: annotations === undefined ? { name: 'x' } : { name: 'x', annotations } });
}

const AGENT = 'guardrails.k8s-book-systems.io/node-agent';
const WAIVE = 'guardrails.k8s-book-systems.io/waive';
const AGENT_FIELD = 'metadata.annotations["guardrails.k8s-book-systems.io/node-agent"]';
const WAIVE_FIELD = 'metadata.annotations["guardrails.k8s-book-systems.io/waive"]';

describe('exceptions.ts: the annotations and what can be waived', () => {
  it('names the two annotations', () => {
    expect(NODE_AGENT_ANNOTATION).toBe(AGENT);
    expect(WAIVE_ANNOTATION).toBe(WAIVE);
  });

  it('never lets the API server\'s refusals or the mechanism itself be waived, and nothing else is unwaivable', () => {
    expect([...UNWAIVABLE].sort()).toEqual(['duplicate-object', 'exception', 'labels', 'object-name', 'removed-api', 'restart-policy', 'schema']);
    for (const id of ['image-tag', 'resources', 'host-access', 'readiness-probe']) expect(UNWAIVABLE.has(id)).toBe(false);
  });
});

describe('exceptions.ts: nodeAgentReason (who is a node agent)', () => {
  it('is the trimmed reason of an annotated DaemonSet in apps or extensions', () => {
    expect(nodeAgentReason(annotated('apps/v1', 'DaemonSet', { [AGENT]: '  reads /proc  ' }))).toBe('reads /proc');
    expect(nodeAgentReason(annotated('extensions/v1beta1', 'DaemonSet', { [AGENT]: 'serves node metrics' }))).toBe('serves node metrics');
  });

  it('is undefined for other kinds, other groups, no annotation, a blank or non-string reason', () => {
    expect(nodeAgentReason(annotated('apps/v1', 'Deployment', { [AGENT]: 'reads /proc' }))).toBeUndefined();
    expect(nodeAgentReason(annotated('apps/v1', 'StatefulSet', { [AGENT]: 'reads /proc' }))).toBeUndefined();
    expect(nodeAgentReason(annotated('example.org/v1', 'DaemonSet', { [AGENT]: 'reads /proc' }))).toBeUndefined();
    expect(nodeAgentReason(annotated('v1', 'DaemonSet', { [AGENT]: 'reads /proc' }))).toBeUndefined();
    expect(nodeAgentReason(annotated('apps/v1', 'DaemonSet'))).toBeUndefined();
    expect(nodeAgentReason(annotated('apps/v1', 'DaemonSet', { other: 'reads /proc' }))).toBeUndefined();
    expect(nodeAgentReason(annotated('apps/v1', 'DaemonSet', { [AGENT]: '   ' }))).toBeUndefined();
    expect(nodeAgentReason(annotated('apps/v1', 'DaemonSet', { [AGENT]: '' }))).toBeUndefined();
    expect(nodeAgentReason(annotated('apps/v1', 'DaemonSet', { [AGENT]: true }))).toBeUndefined();
    expect(nodeAgentReason(manifest({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x', annotations: 'oops' } }))).toBeUndefined();
  });
});

describe('exceptions.ts: nodeAgentProblems (misused node-agent annotations)', () => {
  const wrongKind = { field: AGENT_FIELD, problem: `${AGENT} only applies to DaemonSets (one pod per node)`, fix: 'remove it and drop the host access instead' };
  const noReason = { field: AGENT_FIELD, problem: `${AGENT} has no reason saying why this agent needs the host`, fix: 'write one' };

  it('has nothing to say without the annotation or about a DaemonSet with a reason', () => {
    expect(nodeAgentProblems(annotated('apps/v1', 'Deployment'))).toEqual([]);
    expect(nodeAgentProblems(annotated('apps/v1', 'DaemonSet', { [WAIVE]: 'image-tag: x' }))).toEqual([]);
    expect(nodeAgentProblems(annotated('apps/v1', 'DaemonSet', { [AGENT]: 'reads /proc' }))).toEqual([]);
    expect(nodeAgentProblems(annotated('extensions/v1beta1', 'DaemonSet', { [AGENT]: 'reads /proc' }))).toEqual([]);
  });

  it('refuses it on anything but a DaemonSet of apps/extensions, even with a reason', () => {
    expect(nodeAgentProblems(annotated('apps/v1', 'Deployment', { [AGENT]: 'reads /proc' }))).toEqual([wrongKind]);
    expect(nodeAgentProblems(annotated('v1', 'Pod', { [AGENT]: '' }))).toEqual([wrongKind]);
    expect(nodeAgentProblems(annotated('example.org/v1', 'DaemonSet', { [AGENT]: 'reads /proc' }))).toEqual([wrongKind]);
  });

  it('asks a DaemonSet for a reason when it is blank or not a string', () => {
    expect(nodeAgentProblems(annotated('apps/v1', 'DaemonSet', { [AGENT]: '' }))).toEqual([noReason]);
    expect(nodeAgentProblems(annotated('apps/v1', 'DaemonSet', { [AGENT]: ' \n ' }))).toEqual([noReason]);
    expect(nodeAgentProblems(annotated('apps/v1', 'DaemonSet', { [AGENT]: 1 }))).toEqual([noReason]);
  });
});

describe('exceptions.ts: waiversOf', () => {
  const malformed = (line: string) => ({ field: WAIVE_FIELD, problem: `waiver "${line}" is not of the form "<rule-id>: <reason>"`, fix: 'write the rule id, a colon and the reason' });
  const empty = { field: WAIVE_FIELD, problem: `${WAIVE} is empty`, fix: 'write "<rule-id>: <reason>" or remove it' };

  it('reads one waiver per line, trimming lines, rule ids and reasons, skipping blank lines', () => {
    const value = '  image-tag: pinned by digest upstream  \n\n   resources :   a batch job  \nhost-access:x';
    expect(waiversOf(annotated('apps/v1', 'Deployment', { [WAIVE]: value }))).toEqual({
      waivers: [
        { rule: 'image-tag', reason: 'pinned by digest upstream' },
        { rule: 'resources', reason: 'a batch job' },
        { rule: 'host-access', reason: 'x' },
      ],
      problems: [],
    });
  });

  it('keeps the reason whole after the first colon', () => {
    expect(waiversOf(annotated('v1', 'Pod', { [WAIVE]: 'image-tag: see https://example.org: pinned' })).waivers).toEqual([{ rule: 'image-tag', reason: 'see https://example.org: pinned' }]);
  });

  it('reports each line without a lowercase rule id, a colon or a reason, and keeps the good ones', () => {
    const value = ['image-tag: fine', 'no colon here', 'probes:', 'probes:    ', 'Image-Tag: upper case', 'x image-tag: text before', 'image_tag: underscore', ': no rule'].join('\n');
    expect(waiversOf(annotated('apps/v1', 'Deployment', { [WAIVE]: value }))).toEqual({
      waivers: [{ rule: 'image-tag', reason: 'fine' }],
      problems: [
        malformed('no colon here'),
        malformed('probes:'),
        malformed('probes:'),
        malformed('Image-Tag: upper case'),
        malformed('x image-tag: text before'),
        malformed('image_tag: underscore'),
        malformed(': no rule'),
      ],
    });
  });

  it('has no waivers and no problems without the annotation', () => {
    expect(waiversOf(annotated('apps/v1', 'Deployment'))).toEqual({ waivers: [], problems: [] });
    expect(waiversOf(annotated('apps/v1', 'Deployment', { [AGENT]: 'x' }))).toEqual({ waivers: [], problems: [] });
  });

  it('reports an empty, blank or non-string annotation as empty (once)', () => {
    for (const value of ['', '  \n\n  ', 42]) expect(waiversOf(annotated('apps/v1', 'Deployment', { [WAIVE]: value }))).toEqual({ waivers: [], problems: [empty] });
  });

  it('does not call it empty when only malformed lines are there', () => {
    expect(waiversOf(annotated('apps/v1', 'Deployment', { [WAIVE]: 'nonsense' }))).toEqual({ waivers: [], problems: [malformed('nonsense')] });
  });
});

const CRD_V1 = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.org' },
  spec: {
    group: 'example.org',
    names: { kind: 'Widget', plural: 'widgets' },
    versions: [
      { name: 'v1', schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } },
      { name: 'v2' },
      { schema: { openAPIV3Schema: { type: 'object' } } },
      'not an object',
    ],
  },
};

describe('crd.ts: indexCrds and crdSchemaOf', () => {
  it('indexes each named version of each CRD as group/version/Kind, with a preserve-all schema when it has none', () => {
    const index = indexCrds([manifest(CRD_V1)]);
    expect([...index.keys()]).toEqual(['example.org/v1/Widget', 'example.org/v2/Widget']);
    expect(index.get('example.org/v1/Widget')).toEqual({ type: 'object', properties: { spec: { type: 'object' } } });
    expect(index.get('example.org/v2/Widget')).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('uses the shared spec.validation schema of a v1beta1 CRD for versions without their own', () => {
    const shared = { type: 'object', required: ['spec'] };
    const own = { type: 'object' };
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1beta1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: { group: 'example.com', names: { kind: 'Gadget' }, validation: { openAPIV3Schema: shared }, versions: [{ name: 'v1alpha1' }, { name: 'v1', schema: { openAPIV3Schema: own } }] },
    };
    const index = indexCrds([manifest(crd)]);
    expect(index.get('example.com/v1alpha1/Gadget')).toEqual(shared);
    expect(index.get('example.com/v1/Gadget')).toEqual(own);
    expect(index.size).toBe(2);
  });

  it('ignores other kinds, CRD kinds of other groups, and CRDs without a group or a kind', () => {
    const like = (edit: (c: any) => void) => {
      const copy = JSON.parse(JSON.stringify(CRD_V1));
      edit(copy);
      return manifest(copy);
    };
    const index = indexCrds([
      like((c) => (c.kind = 'Deployment')),
      like((c) => (c.apiVersion = 'example.org/v1')),
      like((c) => delete c.spec.group),
      like((c) => (c.spec.group = '')),
      like((c) => delete c.spec.names.kind),
      like((c) => (c.spec.names.kind = '')),
    ]);
    expect(index.size).toBe(0);
  });

  it('finds the schema of a custom resource by apiVersion and kind', () => {
    const index = indexCrds([manifest(CRD_V1)]);
    expect(crdSchemaOf(index, manifest({ apiVersion: 'example.org/v2', kind: 'Widget', metadata: { name: 'w' } }))).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
    expect(crdSchemaOf(index, manifest({ apiVersion: 'example.org/v3', kind: 'Widget', metadata: { name: 'w' } }))).toBeUndefined();
    expect(crdSchemaOf(index, manifest({ apiVersion: 'example.org/v1', kind: 'Gizmo', metadata: { name: 'w' } }))).toBeUndefined();
  });
});

describe('crd.ts: crdProblems, types', () => {
  const typed = (type: string, extra: object = {}) => ({ type, ...extra });
  const problems = (value: unknown, schema: object) => crdProblems(value, schema as Record<string, unknown>);

  it.each([
    ['object', {}, []],
    ['object', [], 'must be of type object'],
    ['object', 'x', 'must be of type object'],
    ['array', [], []],
    ['array', {}, 'must be of type array'],
    ['string', 'x', []],
    ['string', 3, 'must be of type string'],
    ['integer', 3, []],
    ['integer', 3.5, 'must be of type integer'],
    ['integer', '3', 'must be of type integer'],
    ['number', 3.5, []],
    ['number', '3.5', 'must be of type number'],
    ['boolean', false, []],
    ['boolean', 'true', 'must be of type boolean'],
    ['no-such-type', 'anything', []],
  ])('type %s with %j', (type, value, expected) => {
    expect(problems(value, typed(type))).toEqual(typeof expected === 'string' ? [{ field: '(root)', problem: expected }] : expected);
  });

  it('takes null only where nullable is true', () => {
    expect(problems(null, typed('string', { nullable: true }))).toEqual([]);
    expect(problems(null, typed('object', { nullable: true }))).toEqual([]);
    expect(problems(null, typed('string'))).toEqual([{ field: '(root)', problem: 'must be of type string' }]);
    expect(problems(null, typed('object', { nullable: 'true' }))).toEqual([{ field: '(root)', problem: 'must be of type object' }]);
    expect(problems(null, typed('integer', { nullable: false }))).toEqual([{ field: '(root)', problem: 'must be of type integer' }]);
  });

  it('x-kubernetes-int-or-string: integers and strings, nothing else, alone or with either type', () => {
    const ios = { 'x-kubernetes-int-or-string': true };
    expect(problems(80, ios)).toEqual([]);
    expect(problems('http', ios)).toEqual([]);
    expect(problems(true, ios)).toEqual([{ field: '(root)', problem: 'must be an integer or a string' }]);
    expect(problems(1.5, ios)).toEqual([{ field: '(root)', problem: 'must be an integer or a string' }]);
    expect(problems('50%', typed('integer', ios))).toEqual([]);
    expect(problems(2, typed('string', ios))).toEqual([]);
    expect(problems(2.5, typed('string', ios))).toEqual([{ field: '(root)', problem: 'must be of type string' }]);
    expect(problems(false, typed('string', ios))).toEqual([{ field: '(root)', problem: 'must be of type string' }]);
    // Only `true` turns it on.
    expect(problems(true, { 'x-kubernetes-int-or-string': 'yes' })).toEqual([]);
    expect(problems('50%', typed('integer', { 'x-kubernetes-int-or-string': 'yes' }))).toEqual([{ field: '(root)', problem: 'must be of type integer' }]);
    expect(problems(2, typed('string', { 'x-kubernetes-int-or-string': 1 }))).toEqual([{ field: '(root)', problem: 'must be of type string' }]);
  });

  it('stops at a wrong type: no enum, required or field problems below it', () => {
    expect(problems(5, { type: 'object', enum: ['a'], required: ['x'] })).toEqual([{ field: '(root)', problem: 'must be of type object' }]);
  });
});

describe('crd.ts: crdProblems, enums, required fields, arrays, maps, unknown fields', () => {
  const problems = (value: unknown, schema: object) => crdProblems(value, schema as Record<string, unknown>);

  it('enum: one of the listed values (JSON-quoted in the message); an empty enum allows anything', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { mode: { enum: ['fast', 'slow', 3] } } } } };
    expect(problems({ spec: { mode: 'slow' } }, schema)).toEqual([]);
    expect(problems({ spec: { mode: 3 } }, schema)).toEqual([]);
    expect(problems({ spec: { mode: '3' } }, schema)).toEqual([{ field: 'spec.mode', problem: 'must be one of "fast", "slow", 3' }]);
    expect(problems('x', { enum: [] })).toEqual([]);
    expect(problems('x', { enum: 'x' })).toEqual([]);
    expect(problems('b', { enum: ['a'] })).toEqual([{ field: '(root)', problem: 'must be one of "a"' }]);
  });

  it('required: named at the root and with their path below; non-string entries ignored', () => {
    const schema = { type: 'object', required: ['spec', 7], properties: { spec: { type: 'object', required: ['replicas', 'image'], properties: { replicas: {}, image: {} } } } };
    expect(problems({}, schema)).toEqual([{ field: 'spec', problem: 'is required' }]);
    expect(problems({ spec: { image: 'x' } }, schema)).toEqual([{ field: 'spec.replicas', problem: 'is required' }]);
    expect(problems({ spec: { image: 'x', replicas: null } }, schema)).toEqual([]);
  });

  it('arrays: each item against items, with its index; an array without items is not looked into', () => {
    const schema = { type: 'object', properties: { ports: { type: 'array', items: { type: 'integer' } }, any: { type: 'array' } } };
    expect(problems({ ports: [80, 'http', 443, true], any: ['x', 1] }, schema)).toEqual([
      { field: 'ports[1]', problem: 'must be of type integer' },
      { field: 'ports[3]', problem: 'must be of type integer' },
    ]);
    expect(problems([{ abcdef: 1 }], { type: 'array', items: { type: 'object', properties: { b: {} } } })).toEqual([{ field: '[0].abcdef', problem: "is not a field of the CRD's schema" }]);
  });

  it('maps: additionalProperties as a schema checks every value, with the key in brackets', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } } } } };
    expect(problems({ spec: { labels: { app: 'web', 'tier.io/x': 2 } } }, schema)).toEqual([{ field: 'spec.labels["tier.io/x"]', problem: 'must be of type string' }]);
  });

  it('unknown fields: reported with a close spelling when there is one', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' }, image: { type: 'string' } } } } };
    expect(problems({ spec: { replica: 2, image: 'x', colour: 'blue' } }, schema)).toEqual([
      { field: 'spec.replica', problem: "is not a field of the CRD's schema (did you mean replicas?)" },
      { field: 'spec.colour', problem: "is not a field of the CRD's schema" },
    ]);
  });

  it('apiVersion, kind and metadata are free at the root only', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { size: {} } } } };
    expect(problems({ apiVersion: 'example.org/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { kind: 'x', metadata: {} } }, schema)).toEqual([
      { field: 'spec.kind', problem: "is not a field of the CRD's schema" },
      { field: 'spec.metadata', problem: "is not a field of the CRD's schema" },
    ]);
    expect(problems({ status: {} }, schema)).toEqual([{ field: 'status', problem: "is not a field of the CRD's schema" }]);
  });

  it('unknown fields are allowed by preserve-unknown-fields, embedded-resource or additionalProperties: true', () => {
    const value = { spec: { anything: 1 } };
    const under = (spec: object) => problems(value, { type: 'object', properties: { spec } });
    expect(under({ type: 'object', properties: {}, 'x-kubernetes-preserve-unknown-fields': true })).toEqual([]);
    expect(under({ type: 'object', properties: {}, 'x-kubernetes-embedded-resource': true })).toEqual([]);
    expect(under({ type: 'object', properties: {}, additionalProperties: true })).toEqual([]);
    const unknown = [{ field: 'spec.anything', problem: "is not a field of the CRD's schema" }];
    expect(under({ type: 'object', properties: {}, 'x-kubernetes-preserve-unknown-fields': 'true' })).toEqual(unknown);
    expect(under({ type: 'object', properties: {}, 'x-kubernetes-embedded-resource': 1 })).toEqual(unknown);
  });

  it('an object is closed by properties, additionalProperties: false or type object; a schema with none of them is open', () => {
    const value = { spec: { anything: 1 } };
    const under = (spec: object) => problems(value, { type: 'object', properties: { spec } });
    const unknown = [{ field: 'spec.anything', problem: "is not a field of the CRD's schema" }];
    expect(under({ properties: {} })).toEqual(unknown);
    expect(under({ additionalProperties: false })).toEqual(unknown);
    expect(under({ type: 'object' })).toEqual(unknown);
    expect(under({})).toEqual([]);
    expect(under({ description: 'free-form' })).toEqual([]);
  });

  it('reports in document order, with the path threaded through objects, arrays and maps', () => {
    const schema = {
      type: 'object',
      required: ['spec'],
      properties: {
        spec: {
          type: 'object',
          required: ['size'],
          properties: {
            size: { type: 'string', enum: ['S', 'M'] },
            parts: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, tags: { type: 'object', additionalProperties: { type: 'boolean' } } } } },
          },
        },
      },
    };
    const value = { spec: { size: 'XL', parts: [{ id: 1, tags: { a: true, b: 'no' } }, { idd: 2 }] } };
    expect(problems(value, schema)).toEqual([
      { field: 'spec.size', problem: 'must be one of "S", "M"' },
      { field: 'spec.parts[0].tags["b"]', problem: 'must be of type boolean' },
      { field: 'spec.parts[1].id', problem: 'is required' },
      { field: 'spec.parts[1].idd', problem: "is not a field of the CRD's schema (did you mean id?)" },
    ]);
  });
});
