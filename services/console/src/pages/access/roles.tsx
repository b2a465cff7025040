import { useId } from 'react';
import type { Role } from '../../api/generated';
import { ROLE_ORDER } from '../../components/viewer-context';

/** The roles up to `actor`'s own: what a token it creates may do. */
export function rolesUpTo(actor: Role): readonly Role[] {
  return ROLE_ORDER.slice(0, ROLE_ORDER.indexOf(actor) + 1);
}

/**
 * The roles `actor` may give a member: owners any, admins any below owner (the tenants service's
 * membership rules, which refuse anything else anyway).
 */
export function grantableRoles(actor: Role): readonly Role[] {
  return actor === 'owner' ? ROLE_ORDER : rolesUpTo(actor).filter((role) => role !== 'owner');
}

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
