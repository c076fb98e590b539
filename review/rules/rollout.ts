/**
 * Pod template changes replace every pod of a workload. Image changes are named (old → new);
 * other template edits get one line saying the pods will restart, and why.
 */
import { at, list } from '../access';
import { formatChange } from '../format';
import { formatPath, isUnder } from '../fieldDiff';
import type { FieldChange, Risk, Segment } from '../model';
import type { ObjectChange } from './context';

/** Where each workload kind keeps its pod template. Jobs are absent: their template is immutable. */
const TEMPLATE_PATH: Readonly<Record<string, readonly string[]>> = {
  'apps|Deployment': ['spec', 'template'],
  'apps|StatefulSet': ['spec', 'template'],
  'apps|DaemonSet': ['spec', 'template'],
  'apps|ReplicaSet': ['spec', 'template'],
  'batch|CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
};

const CONTAINER_LISTS = ['containers', 'initContainers'];

/** The container a field path points at when it is `<template>.spec.<list>[<item>].image`. */
function imageContainer(field: FieldChange, template: readonly string[]): string | undefined {
  const rest = field.path.slice(template.length);
  if (rest.length !== 4 || !isUnder(field.path, template) || field.op !== 'changed') return undefined;
  const [spec, listKey, item, image] = rest as [Segment, Segment, Segment, Segment];
  const isKey = (segment: Segment, keys: readonly string[]) => 'key' in segment && keys.includes(segment.key);
  if (!isKey(spec, ['spec']) || !isKey(listKey, CONTAINER_LISTS) || !isKey(image, ['image'])) return undefined;
  return 'name' in item ? item.name : formatPath([item]);
}

export function rolloutRisks(change: ObjectChange): Risk[] {
  const template = TEMPLATE_PATH[`${change.id.group}|${change.id.kind}`];
  if (!template) return [];
  const fields = change.fields.filter((f) => isUnder(f.path, template));
  if (fields.length === 0) return [];
  const podSpec = at(change.new, ...template, 'spec');
  const containerCount = CONTAINER_LISTS.reduce((n, key) => n + list(at(podSpec, key)).length, 0);
  const onDelete = at(change.new, 'spec', 'updateStrategy', 'type') === 'OnDelete' ? ' (OnDelete: only as pods are deleted)' : '';
  const images = fields.flatMap((field) => {
    const container = imageContainer(field, template);
    if (container === undefined) return [];
    const [from, to] = formatChange(field.old, field.new);
    const which = containerCount > 1 ? ` [${container}]` : '';
    return [{ rule: 'rollout' as const, text: `rollout of ${change.label}${which}: ${from} → ${to}${onDelete}` }];
  });
  if (images.length > 0) return images;
  const more = fields.length > 1 ? ` and ${fields.length - 1} more` : '';
  const first = fields[0] as FieldChange;
  return [{ rule: 'rollout', text: `rollout of ${change.label}: pod template changed (${formatPath(first.path)}${more})${onDelete}` }];
}
