import { LabelledField } from './field';

/** A labelled <select> of typed options; `hint` is tied to it with aria-describedby. */
export function SelectField<V extends string | number>(props: {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
  disabled?: boolean;
  hint?: string;
}) {
  return (
    <LabelledField
      label={props.label}
      hint={props.hint}
      control={(id, describedBy) => (
        <select
          id={id}
          value={props.value}
          disabled={props.disabled}
          aria-describedby={describedBy}
          onChange={(event) => {
            const chosen = props.options.find((option) => String(option.value) === event.target.value);
            if (chosen) props.onChange(chosen.value);
          }}
        >
          {props.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}
