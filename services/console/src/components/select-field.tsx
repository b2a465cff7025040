import { useId } from 'react';

export interface SelectOption {
  readonly value: string;
  readonly label: string;
}

/**
 * A labelled select: controlled (`value` + `onChange`) where choosing applies at once, or a
 * form's field (`name` + `defaultValue`) applied with the form.
 */
export function SelectField(props: {
  label: string;
  options: readonly SelectOption[];
  name?: string;
  value?: string;
  defaultValue?: string;
  onChange?: (value: string) => void;
}) {
  const id = useId();
  const { onChange } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        defaultValue={props.defaultValue}
        onChange={onChange ? (event) => onChange(event.target.value) : undefined}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
