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

/** A new password, with the API's strength rule as its hint (sign-up, accepting an invitation). */
export function NewPasswordField() {
  return (
    <Field
      label="Password"
      name="password"
      type="password"
      autoComplete="new-password"
      required
      hint="At least 12 characters mixing three of: lower case, upper case, digits, symbols"
    />
  );
}
