import { useId } from 'react';

/**
 * A label and an optional hint around one control: `control(id, describedBy)` renders the control
 * with the id the label names and the hint's id for aria-describedby.
 */
export function LabelledField(props: {
  label: string;
  hint?: string;
  control: (id: string, describedBy: string | undefined) => React.ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.control(id, props.hint ? hintId : undefined)}
      {props.hint ? (
        <small id={hintId} className="hint">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

/** A labelled input; `hint` is tied to it with aria-describedby. */
export function Field(props: {
  label: string;
  name: string;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  required?: boolean;
  hint?: string;
  pattern?: string;
  placeholder?: string;
}) {
  return (
    <LabelledField
      label={props.label}
      hint={props.hint}
      control={(id, describedBy) => (
        <input
          id={id}
          name={props.name}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          required={props.required}
          pattern={props.pattern}
          placeholder={props.placeholder}
          aria-describedby={describedBy}
        />
      )}
    />
  );
}
