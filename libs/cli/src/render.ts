import { stringify } from 'yaml';

/** A plan as the API answers `planChangeSet` (the fields the CLI asks for). */
export interface PlanAnswer {
  id: string;
  revision: string;
  hasChanges: boolean;
  expiresAt: string;
  entries: {
    index: number | null;
    action: 'Create' | 'Update' | 'Delete' | 'Unchanged';
    kind: string;
    name: string;
    namespace: string | null;
    diff: { op: 'Add' | 'Remove' | 'Replace'; path: string; before: string | null; after: string | null }[];
  }[];
  warnings: { index: number | null; kind: string; name: string; namespace: string | null; message: string }[];
  whatIf?: WhatIfAnswer | null;
  /** The window of recorded flows the what-if read (added by the CLI). */
  whatIfWindow?: { from: string; to: string };
}

export interface WhatIfAnswer {
  evaluated: number;
  skipped: number;
  changed: number;
  newlyDenied: number;
  newlyAllowed: number;
  truncated: boolean;
  flows: {
    oldAction: string;
    newAction: string;
    flow: {
      clusterId: string;
      source: { namespace: string; workload: string };
      destination: { namespace: string; workload: string; port: number | null };
      protocol: string;
    };
  }[];
  groups: {
    clusterId: string;
    decidedBy: string;
    changed: number;
    newlyDenied: number;
    newlyAllowed: number;
  }[];
}

/** Objects as one multi-document YAML stream: the API's order, keys as the API gives them. */
export function toYaml(objects: readonly unknown[]): string {
  return objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n');
}

type Paint = (code: number, text: string) => string;

export function painter(colour: boolean): Paint {
  return colour ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
}

const SIGN = { Create: ['+', 32], Update: ['~', 33], Delete: ['-', 31], Unchanged: ['=', 2] } as const;

function objectName(entry: PlanAnswer['entries'][number]): string {
  return `${entry.kind} ${entry.namespace ? `${entry.namespace}/` : ''}${entry.name}`;
}

/**
 * A plan as people read it: each object changed with its sign, an update's fields as JSON
 * pointers with before → after, a count per action, then the what-if over recorded flows.
 * `where(index)` names the file and line an object came from.
 */
export function renderPlan(
  plan: PlanAnswer,
  where: (index: number) => string | undefined,
  paint: Paint,
  verbose = false,
): string {
  const lines: string[] = [];
  const counts = { Create: 0, Update: 0, Delete: 0, Unchanged: 0 };
  for (const entry of plan.entries) {
    counts[entry.action] += 1;
    if (entry.action === 'Unchanged' && !verbose) continue;
    const [sign, code] = SIGN[entry.action];
    const from =
      entry.index === null
        ? ' (not in the files: prune)'
        : ` (${where(entry.index) ?? `object ${entry.index}`})`;
    lines.push(paint(code, `${sign} ${entry.action.toLowerCase()} ${objectName(entry)}`) + paint(2, from));
    if (entry.action === 'Update')
      for (const change of entry.diff) {
        const before = change.before ?? '(absent)';
        const after = change.after ?? '(absent)';
        lines.push(`    ${change.path}: ${paint(31, before)} → ${paint(32, after)}`);
      }
  }
  for (const warning of plan.warnings) {
    const at = warning.index === null ? '' : ` (${where(warning.index) ?? `object ${warning.index}`})`;
    lines.push(paint(33, `! warning: ${warning.message}`) + paint(2, at));
  }
  lines.push(
    `Plan: ${counts.Create} to create, ${counts.Update} to update, ${counts.Delete} to delete, ${counts.Unchanged} unchanged.`,
  );
  if (plan.whatIf) {
    const w = plan.whatIf;
    lines.push(
      `What-if on recorded flows: ${w.changed} of ${w.evaluated} would change (${w.newlyDenied} newly denied, ${w.newlyAllowed} newly allowed)${w.truncated ? ', window truncated' : ''}.`,
    );
    for (const group of w.groups.slice(0, 10))
      lines.push(`    ${group.changed} in cluster ${group.clusterId}, decided by ${group.decidedBy}`);
    for (const { flow, oldAction, newAction } of w.flows.slice(0, 20)) {
      const port = flow.destination.port === null ? '' : `:${flow.destination.port}`;
      lines.push(
        `    ${flow.source.namespace}/${flow.source.workload} → ${flow.destination.namespace}/${flow.destination.workload}${port} ${flow.protocol}: ${oldAction} → ${paint(newAction === 'DENY' ? 31 : 32, newAction)}`,
      );
    }
  }
  if (plan.hasChanges)
    lines.push(
      paint(2, `Plan ${plan.id}, against revision ${plan.revision.slice(0, 12)}, expires ${plan.expiresAt}.`),
    );
  return `${lines.join('\n')}\n`;
}
