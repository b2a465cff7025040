import { useState } from 'react';
import { ApiError } from '../../api/api-error';
import {
  type ChangeFieldsFragment,
  CreatePolicyDocument,
  type CreatePolicyInput,
  type PolicyKind,
  PolicyWhatIfDocument,
  type PolicyWhatIfQuery,
  UpdatePolicyDocument,
} from '../../api/generated';
import { type Answered, request } from '../../api/graphql';
import { ErrorMessage } from '../../components/error-message';
import { SelectField } from '../../components/select-field';
import { useCan } from '../../components/viewer-context';
import { FLOW_WINDOWS } from './flow-windows';
import { lineDiff } from './line-diff';
import { PolicyEditor } from './policy-editor';
import { type EditorProblem, parsePolicyYaml, placeProblems } from './policy-yaml';
import { WhatIfResult } from './what-if-result';

/** The stored policy an edit replaces (its identity cannot change). */
export interface CurrentPolicy {
  readonly id: string;
  readonly kind: PolicyKind;
  readonly name: string;
  readonly namespace: string | null;
  readonly version: number;
  readonly yaml: string;
}

/** Lines of context kept around each change of the diff. */
const DIFF_CONTEXT = 2;

type Checked = { input: CreatePolicyInput } | undefined;

/**
 * Write a policy, see what it changes: the YAML editor (problems at their lines, the YAML's and
 * the API's), the diff against the current version, a what-if on the recorded flows of a chosen
 * window (as if the policy were enforced), then apply (enforced) or stage it. Editors and up
 * only; a viewer sees the YAML read-only.
 */
export function PolicyWorkbench(props: {
  initialYaml: string;
  current?: CurrentPolicy;
  onSaved: (change: ChangeFieldsFragment) => void;
}) {
  const canEdit = useCan('editor');
  const [text, setText] = useState(props.initialYaml);
  const [problems, setProblems] = useState<readonly EditorProblem[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<'what-if' | 'apply' | 'stage'>();
  const [minutes, setMinutes] = useState<(typeof FLOW_WINDOWS)[number]['value']>(60);
  const [whatIf, setWhatIf] = useState<{ text: string; result: Answered<PolicyWhatIfQuery>['whatIf'] }>();
  const { current } = props;

  const check = (): Checked => {
    const parsed = parsePolicyYaml(text);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return undefined;
    }
    if (current) {
      const { input } = parsed;
      const moved = [
        input.kind !== current.kind && {
          field: 'input.kind',
          message: `cannot change (it is ${current.kind})`,
        },
        input.name !== current.name && {
          field: 'input.name',
          message: `cannot change (it is ${current.name})`,
        },
        (input.namespace ?? null) !== current.namespace && {
          field: 'input.namespace',
          message: `cannot change (it is ${current.namespace ?? 'global'})`,
        },
      ].filter((problem) => problem !== false);
      if (moved.length > 0) {
        setProblems(placeProblems(text, moved));
        return undefined;
      }
    }
    setProblems([]);
    return { input: parsed.input };
  };

  const run = async (
    kind: 'what-if' | 'apply' | 'stage',
    action: (checked: NonNullable<Checked>) => Promise<void>,
  ) => {
    setError(undefined);
    const checked = check();
    if (!checked) return;
    setBusy(kind);
    try {
      await action(checked);
    } catch (failure) {
      const fields = failure instanceof ApiError ? failure.problems.filter((p) => p.field !== undefined) : [];
      if (failure instanceof ApiError && failure.code === 'BAD_USER_INPUT' && fields.length > 0)
        setProblems(placeProblems(text, failure.problems));
      else setError(failure);
    } finally {
      setBusy(undefined);
    }
  };

  const runWhatIf = () =>
    run('what-if', async ({ input }) => {
      const to = new Date();
      const from = new Date(to.getTime() - minutes * 60_000);
      const { whatIf: result } = await request(PolicyWhatIfDocument, {
        input: {
          changes: [{ upsert: { ...input, spec: { ...input.spec, staged: false } } }],
          from: from.toISOString(),
          to: to.toISOString(),
          first: 100,
        },
      });
      setWhatIf({ text, result });
    });

  const save = (staged: boolean) =>
    run(staged ? 'stage' : 'apply', async ({ input }) => {
      const spec = { ...input.spec, staged };
      const change = current
        ? (await request(UpdatePolicyDocument, { id: current.id, input: { spec } })).updatePolicy
        : (await request(CreatePolicyDocument, { input: { ...input, spec } })).createPolicy;
      props.onSaved(change);
    });

  const diff = current ? lineDiff(current.yaml, text) : [];
  const changed = diff.some((line) => line.op !== ' ');
  const shown = diff.filter((_, index) =>
    diff.slice(Math.max(0, index - DIFF_CONTEXT), index + DIFF_CONTEXT + 1).some((line) => line.op !== ' '),
  );

  return (
    <div className="workbench">
      <PolicyEditor
        label={canEdit ? 'Policy (YAML)' : 'Policy (YAML, read-only)'}
        value={text}
        onChange={canEdit ? setText : undefined}
        readOnly={!canEdit}
        problems={problems}
      />
      {current && canEdit ? (
        <section className="panel" aria-labelledby="diff-heading">
          <h3 id="diff-heading">Changes against version {current.version}</h3>
          {changed ? (
            <pre className="diff" data-testid="policy-diff">
              {shown.map((line, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: diff lines are positional
                <span key={index} className={line.op === '+' ? 'add' : line.op === '-' ? 'del' : undefined}>
                  {line.op === '+' ? '+ ' : line.op === '-' ? '- ' : '  '}
                  {line.text}
                  {'\n'}
                </span>
              ))}
            </pre>
          ) : (
            <p className="hint">No changes yet.</p>
          )}
        </section>
      ) : null}
      {canEdit ? (
        <>
          <div className="workbench-actions">
            <SelectField
              label="Recorded flows"
              value={minutes}
              options={FLOW_WINDOWS}
              onChange={setMinutes}
            />
            <button type="button" onClick={() => void runWhatIf()} disabled={busy !== undefined}>
              {busy === 'what-if' ? 'Evaluating…' : 'What-if'}
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => void save(false)}
              disabled={busy !== undefined}
            >
              {busy === 'apply' ? 'Applying…' : 'Apply'}
            </button>
            <button type="button" onClick={() => void save(true)} disabled={busy !== undefined}>
              {busy === 'stage' ? 'Staging…' : 'Stage'}
            </button>
          </div>
          <p className="hint">
            What-if evaluates the policy as if it were enforced. Apply enforces it; Stage records it as staged
            (reported, never enforced).
          </p>
          <ErrorMessage error={error} />
          {whatIf ? <WhatIfResult result={whatIf.result} stale={whatIf.text !== text} /> : null}
        </>
      ) : null}
    </div>
  );
}
