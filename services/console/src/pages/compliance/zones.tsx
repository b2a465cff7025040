import { useState } from 'react';
import {
  type ComplianceZonesQuery,
  CreateComplianceZoneDocument,
  DeleteComplianceZoneDocument,
  UpdateComplianceZoneDocument,
} from '../../api/generated';
import { type Answered, request } from '../../api/graphql';
import { DataTable } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { ConfirmedDialog, useConfirmed } from '../../components/use-confirmed';
import { text, useSubmit } from '../../components/use-submit';
import { useCan } from '../../components/viewer-context';
import { zoneNames } from './compliance-inputs';

export type Zone = Answered<ComplianceZonesQuery>['complianceZones'][number];

/** Compliance zones: everyone sees them; editors and up create, edit and delete. */
export function Zones(props: {
  zones: readonly Zone[] | undefined;
  loading: boolean;
  error: unknown;
  onChanged: () => void;
}) {
  const canEdit = useCan('editor');
  const [editing, setEditing] = useState<string>();
  const [created, setCreated] = useState<string>();
  const deletion = useConfirmed(async (zone: Zone) => {
    await request(DeleteComplianceZoneDocument, { id: zone.id });
    props.onChanged();
  });

  const create = useSubmit(async (form) => {
    const { createComplianceZone } = await request(CreateComplianceZoneDocument, {
      input: {
        name: text(form, 'name'),
        clusterSelector: text(form, 'clusterSelector'),
        isolation: { allowedZones: zoneNames(text(form, 'allowedZones')) },
      },
    });
    setCreated(createComplianceZone.zoneId);
    props.onChanged();
  });

  return (
    <section className="panel" aria-labelledby="zones-heading" aria-busy={props.loading}>
      <h2 id="zones-heading">Compliance zones</h2>
      <p className="hint">
        A zone's clusters exchange no traffic with clusters outside it, except those of the zones it allows;
        enforced before every tenant tier.
      </p>
      {canEdit ? (
        <>
          <form
            key={created}
            onSubmit={create.onSubmit}
            aria-label="Create a compliance zone"
            className="inline-form zone-form"
          >
            <Field label="Zone name" name="name" required placeholder="eu" hint="A lowercase DNS label" />
            <Field
              label="Cluster selector"
              name="clusterSelector"
              required
              placeholder="geo == 'eu'"
              hint="Calico selector over cluster labels"
            />
            <Field
              label="Allowed zones"
              name="allowedZones"
              hint="Zone names, comma-separated; empty: none"
            />
            <button type="submit" className="primary" disabled={create.busy}>
              {create.busy ? 'Creating…' : 'Create zone'}
            </button>
          </form>
          <ErrorMessage error={create.error} />
        </>
      ) : null}
      <ErrorMessage error={props.error} />
      {props.loading ? <p role="status">Loading zones…</p> : null}
      {props.zones && props.zones.length === 0 ? <p role="status">No compliance zones yet.</p> : null}
      {props.zones && props.zones.length > 0 ? (
        <DataTable
          caption="Compliance zones"
          columns={['Zone', 'Cluster selector', 'Allowed zones', 'Changed', canEdit && 'Actions']}
        >
          {props.zones.map((zone) =>
            editing === zone.id ? (
              <EditZone
                key={zone.id}
                zone={zone}
                onDone={(changed) => {
                  setEditing(undefined);
                  if (changed) props.onChanged();
                }}
              />
            ) : (
              <tr key={zone.id}>
                <th scope="row">{zone.name}</th>
                <td>
                  <code>{zone.clusterSelector}</code>
                </td>
                <td>{zone.isolation.allowedZones.join(', ') || 'none (strict)'}</td>
                <td>{new Date(zone.updatedAt).toLocaleString()}</td>
                {canEdit ? (
                  <td>
                    <div className="row-actions">
                      <button
                        type="button"
                        aria-label={`Edit the zone ${zone.name}`}
                        onClick={() => setEditing(zone.id)}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Delete the zone ${zone.name}`}
                        onClick={() => deletion.ask(zone)}
                      >
                        Delete
                      </button>
                    </div>
                  </td>
                ) : null}
              </tr>
            ),
          )}
        </DataTable>
      ) : null}
      <ConfirmedDialog confirmed={deletion} title={(z) => `Delete the zone ${z.name}?`} confirmLabel="Delete">
        <p>Its clusters are no longer isolated once the change is rolled out.</p>
      </ConfirmedDialog>
    </section>
  );
}

/** A zone's row as a form: its selector and allowed zones (the name is immutable). */
function EditZone(props: { zone: Zone; onDone: (changed: boolean) => void }) {
  const { zone } = props;
  const formId = `edit-zone-${zone.id}`;
  const save = useSubmit(async (form) => {
    await request(UpdateComplianceZoneDocument, {
      id: zone.id,
      input: {
        clusterSelector: text(form, 'clusterSelector'),
        isolation: { allowedZones: zoneNames(text(form, 'allowedZones')) },
      },
    });
    props.onDone(true);
  });
  return (
    <tr>
      <th scope="row">{zone.name}</th>
      <td>
        <label className="visually-hidden" htmlFor={`${formId}-selector`}>
          Cluster selector of {zone.name}
        </label>
        <input
          id={`${formId}-selector`}
          form={formId}
          name="clusterSelector"
          defaultValue={zone.clusterSelector}
          required
        />
        <ErrorMessage error={save.error} />
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`${formId}-allowed`}>
          Allowed zones of {zone.name}
        </label>
        <input
          id={`${formId}-allowed`}
          form={formId}
          name="allowedZones"
          defaultValue={zone.isolation.allowedZones.join(', ')}
        />
      </td>
      <td>{new Date(zone.updatedAt).toLocaleString()}</td>
      <td>
        <form
          id={formId}
          onSubmit={save.onSubmit}
          aria-label={`Edit the zone ${zone.name}`}
          className="row-actions"
        >
          <button type="submit" className="primary" disabled={save.busy}>
            {save.busy ? 'Saving…' : 'Save'}
          </button>
          <button type="button" onClick={() => props.onDone(false)} disabled={save.busy}>
            Cancel
          </button>
        </form>
      </td>
    </tr>
  );
}
