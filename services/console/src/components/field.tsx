import { useId } from 'react';

/**
 * A label, an optional hint and an optional error around one control: `control(id, describedBy,
 * invalid)` renders the control with the id the label names, the error's and hint's ids for
 * aria-describedby, and whether it is invalid (an `error` is shown under it, announced).
 */
export function LabelledField(props: {
  label: string;
  hint?: string;
  error?: string;
  control: (id: string, describedBy: string | undefined, invalid: boolean) => React.ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    [props.error ? errorId : '', props.hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.control(id, describedBy, Boolean(props.error))}
      {props.error ? (
        <small id={errorId} className="field-error" role="alert">
          {props.error}
        </small>
      ) : null}
      {props.hint ? (
        <small id={hintId} className="hint">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

/** A labelled input; `hint` and `error` (the server's problem with it) are tied to it with aria-describedby. */
export function Field(props: {
  label: string;
  name: string;
  defaultValue?: string;
  error?: string;
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
      error={props.error}
      control={(id, describedBy, invalid) => (
        <input
          id={id}
          name={props.name}
          defaultValue={props.defaultValue}
          aria-invalid={invalid || undefined}
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
