import { LabelledField } from './field';

export interface SelectOption<V extends string | number = string> {
  readonly value: V;
  readonly label: string;
}

/**
 * A labelled <select> of typed options: controlled (`value` + `onChange`), where choosing applies
 * at once, or a form's field (`name` + `defaultValue`) read with the form. `hint` is tied to it
 * with aria-describedby.
 */
export function SelectField<V extends string | number = string>(props: {
  label: string;
  options: readonly SelectOption<V>[];
  value?: V;
  defaultValue?: V;
  name?: string;
  onChange?: (value: V) => void;
  disabled?: boolean;
  hint?: string;
}) {
  const { onChange } = props;
  return (
    <LabelledField
      label={props.label}
      hint={props.hint}
      control={(id, describedBy) => (
        <select
          id={id}
          name={props.name}
          value={props.value}
          defaultValue={props.defaultValue}
          disabled={props.disabled}
          aria-describedby={describedBy}
          onChange={
            onChange
              ? (event) => {
                  const chosen = props.options.find((option) => String(option.value) === event.target.value);
                  if (chosen) onChange(chosen.value);
                }
              : undefined
          }
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
