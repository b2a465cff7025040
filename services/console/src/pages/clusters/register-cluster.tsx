import { useState } from 'react';
import { RegisterClusterDocument, type RegisterClusterMutation } from '../../api/generated';
import { request } from '../../api/graphql';
import { CopyButton } from '../../components/copy-button';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { text, useSubmit } from '../../components/use-submit';
import { labelsProblem, parseLabels } from './labels';

type Registered = RegisterClusterMutation['registerCluster'];

/** Registers a cluster and shows its one-line install command (the token in it is shown once). */
export function RegisterCluster({ onRegistered }: { onRegistered: () => void }) {
  const [registered, setRegistered] = useState<Registered>();
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const labels = parseLabels(text(form, 'labels'));
    const result = await request(RegisterClusterDocument, { input: { name: text(form, 'name'), labels } });
    setRegistered(result.registerCluster);
    onRegistered();
  });
  const labelsError = labelsProblem(error, 'input.labels');
  return (
    <section className="panel" aria-labelledby="register-heading">
      <h2 id="register-heading">Register a cluster</h2>
      <form onSubmit={onSubmit} aria-label="Register a cluster" className="inline-form">
        <Field
          label="Name"
          name="name"
          required
          placeholder="eu-west-1"
          hint="A DNS label, unique in the tenant"
        />
        <Field
          label="Labels"
          name="labels"
          placeholder="geo=eu, env=prod"
          hint="key=value, separated by commas"
          error={labelsError}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Registering…' : 'Register'}
        </button>
      </form>
      {labelsError ? null : <ErrorMessage error={error} />}
      {registered ? (
        <div className="install" aria-live="polite">
          <p>
            Run this once against <strong>{registered.cluster.name}</strong> to install its agent (the token
            in it works once and expires):
          </p>
          <div className="command">
            <code data-testid="install-command">{registered.installCommand}</code>
            <CopyButton
              text={registered.installCommand}
              label={`Copy the install command of ${registered.cluster.name}`}
            />
          </div>
        </div>
      ) : null}
    </section>
  );
}
