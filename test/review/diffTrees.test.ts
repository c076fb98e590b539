import { hasChanges, type Report, type Section } from '../../review/model';
import { renderText } from '../../review/render/text';
import { formatPath } from '../../review/fieldDiff';
import { diffFixtures } from './fixtures';

function section(report: Report, title: string): Section {
  const found = report.sections.find((s) => s.title === title);
  if (!found) throw new Error(`no section ${title} in ${report.sections.map((s) => s.title).join(', ')}`);
  return found;
}

const riskTexts = (report: Report, title: string) => section(report, title).risks.map((r) => r.text);

describe('diffTrees over fixture trees', () => {
  it('reports nothing for identical trees', () => {
    expect(hasChanges(diffFixtures('base', 'base'))).toBe(false);
  });

  it('reads a blue/green flip as ONE traffic-switch line on the live Service', () => {
    const report = diffFixtures('base', 'flip');
    expect(report.sections.map((s) => s.title)).toEqual(['prod']);
    expect(riskTexts(report, 'prod')).toEqual(['traffic switch blue → green on Service versions/ver']);
    // The annotation change is still shown, in the details, not as a second risk.
    const [entry] = section(report, 'prod').entries;
    expect(entry?.fields.map((f) => formatPath(f.path))).toEqual([
      'metadata.annotations["bluegreen.example.com/live-slot"]',
      'spec.selector.slot',
    ]);
    expect(renderText(report).split('\n').filter((line) => line.includes('!'))).toEqual([
      '  ! traffic switch blue → green on Service versions/ver',
    ]);
  });

  describe('the changed tree', () => {
    const report = diffFixtures('base', 'changed');

    it('reads an image bump as a rollout of the workload', () => {
      expect(riskTexts(report, 'prod')).toContain('rollout of Deployment web/nginx-deployment: nginx:1.14.2 → nginx:1.16.1');
    });

    it('keys container fields by name', () => {
      const nginx = section(report, 'prod').entries.find((e) => e.label === 'Deployment web/nginx-deployment');
      expect(nginx?.fields.map((f) => formatPath(f.path))).toContain('spec.template.spec.containers[nginx].image');
    });

    it('says a removed object needs pruning, with the command', () => {
      expect(riskTexts(report, 'prod')).toContain(
        'Job batch/fib removed — kubectl apply will not delete it: prune or delete by hand (kubectl delete job.batch/fib -n batch)',
      );
    });

    it('flags an immutable selector change (and no redundant rollout line)', () => {
      expect(riskTexts(report, 'dev')).toEqual([
        'Deployment demo/demo: spec.selector is immutable — will fail on apply; delete and recreate (kubectl delete deployment.apps/demo -n demo, then apply)',
      ]);
    });

    it('says the HPA owns replicas of its target', () => {
      expect(riskTexts(report, 'prod')).toContain(
        'Deployment web/nginx-deployment: spec.replicas 2 → 4, but HPA web/nginx owns replicas — apply resets the live count; drop spec.replicas',
      );
    });

    it('lists plan resources added, removed and changed per stack', () => {
      const infra = section(report, 'infra/prod');
      expect(infra.entries.map((e) => `${e.status} ${e.label}`)).toEqual([
        'removed aws:ec2/instance:Instance hopper-bastion',
        'added aws:ec2/natGateway:NatGateway hopper-nat-a',
        'changed aws:ec2/vpc:Vpc hopper-vpc',
      ]);
      expect(infra.entries[2]?.fields.map((f) => formatPath(f.path))).toEqual(['tags["kubernetes.io/cluster/hopper"]']);
      expect(infra.risks.map((r) => r.text)).toEqual(['aws:ec2/instance:Instance hopper-bastion removed — pulumi up on stack prod will destroy it']);
    });

    it('lists risks in rule order: what fails on apply before what merely happens', () => {
      expect(section(report, 'prod').risks.map((r) => r.rule)).toEqual(['prune', 'hpa', 'rollout']);
    });
  });
});
