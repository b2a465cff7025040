import { useId, useRef } from 'react';
import type { EditorProblem } from './policy-yaml';

/**
 * A plain <textarea> for a policy's YAML with a line-number gutter: a line with a problem is
 * marked in the gutter, and the problems are listed below it ("Line 12 (spec.ingress.0.action):
 * …"), tied to the textarea with aria-describedby; choosing one puts the caret on its line.
 */
export function PolicyEditor(props: {
  label: string;
  value: string;
  onChange?: (value: string) => void;
  problems: readonly EditorProblem[];
  readOnly?: boolean;
}) {
  const id = useId();
  const problemsId = `${id}-problems`;
  const hintId = `${id}-hint`;
  const area = useRef<HTMLTextAreaElement>(null);
  const lines = props.value.split('\n');
  const bad = new Map<number, string>();
  for (const problem of props.problems)
    bad.set(problem.line, [bad.get(problem.line), problem.message].filter(Boolean).join('; '));

  const goTo = (line: number) => {
    const element = area.current;
    if (!element) return;
    const offset = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
    element.focus();
    element.setSelectionRange(offset, offset + (lines[line - 1]?.length ?? 0));
  };

  return (
    <div className="policy-editor">
      <label htmlFor={id}>{props.label}</label>
      <small id={hintId} className="hint">
        Calico <code>projectcalico.org/v3</code> YAML (NetworkPolicy, GlobalNetworkPolicy, or their Staged
        kinds); <code>spec.clusterSelector</code> picks the clusters that receive it.
      </small>
      <div className="editor-frame">
        <ol className="gutter" aria-hidden="true">
          {lines.map((_, index) => {
            const line = index + 1;
            const problem = bad.get(line);
            return (
              <li key={line} data-line={line} className={problem ? 'bad' : undefined} title={problem}>
                {line}
              </li>
            );
          })}
        </ol>
        <textarea
          ref={area}
          id={id}
          value={props.value}
          readOnly={props.readOnly}
          onChange={(event) => props.onChange?.(event.target.value)}
          rows={Math.max(lines.length, 4)}
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          aria-invalid={props.problems.length > 0}
          aria-describedby={props.problems.length > 0 ? `${problemsId} ${hintId}` : hintId}
        />
      </div>
      {props.problems.length > 0 ? (
        <ul id={problemsId} className="editor-problems" aria-label="Problems in the policy">
          {props.problems.map((problem, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity of their own
            <li key={index}>
              <button type="button" className="link" onClick={() => goTo(problem.line)}>
                Line {problem.line}
              </button>
              {problem.field ? <code> {problem.field}</code> : null}: {problem.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
