import { useId } from 'react';
import type { Role } from '../../api/generated';

/** A labelled role picker. */
export function RoleSelect(props: {
  label: string;
  name?: string;
  roles: readonly Role[];
  value?: Role;
  defaultValue?: Role;
  onChange?: (role: Role) => void;
  visuallyHiddenLabel?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className={props.visuallyHiddenLabel ? 'visually-hidden' : undefined}>
        {props.label}
      </label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        defaultValue={props.defaultValue}
        onChange={(event) => props.onChange?.(event.target.value as Role)}
      >
        {props.roles.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
    </div>
  );
}
