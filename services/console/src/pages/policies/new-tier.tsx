import { useRef, useState } from 'react';
import { CreateTierDocument, type TierDefaultAction } from '../../api/generated';
import { request } from '../../api/graphql';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { SelectField } from '../../components/select-field';
import { text, useSubmit } from '../../components/use-submit';

const DEFAULT_ACTIONS = [
  { value: 'Deny', label: 'Deny' },
  { value: 'Pass', label: 'Pass' },
] as const satisfies readonly { value: TierDefaultAction; label: string }[];

/** Creates a tier (name, order, default action); editors and up. */
export function NewTier({ onCreated }: { onCreated: () => void }) {
  const form = useRef<HTMLFormElement>(null);
  const [defaultAction, setDefaultAction] = useState<TierDefaultAction>('Deny');
  const { busy, error, onSubmit } = useSubmit(async (data) => {
    const order = text(data, 'order');
    await request(CreateTierDocument, {
      input: { name: text(data, 'name'), ...(order === '' ? {} : { order: Number(order) }), defaultAction },
    });
    form.current?.reset();
    onCreated();
  });
  return (
    <section className="panel" aria-labelledby="new-tier-heading">
      <h2 id="new-tier-heading">New tier</h2>
      <form ref={form} onSubmit={onSubmit} aria-label="New tier" className="tier-form">
        <Field label="Tier name" name="name" required placeholder="security" hint="A lowercase DNS label" />
        <Field
          label="Order"
          name="order"
          placeholder="100"
          hint="Lower first; empty: last"
          pattern="\d+(\.\d+)?"
        />
        <SelectField
          label="Default action"
          value={defaultAction}
          options={DEFAULT_ACTIONS}
          onChange={setDefaultAction}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create tier'}
        </button>
      </form>
      <ErrorMessage error={error} />
    </section>
  );
}
