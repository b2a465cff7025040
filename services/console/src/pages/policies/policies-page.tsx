import './policies.css';
import { Link, navigate, useSearchParams } from '../../components/router';
import { useCan } from '../../components/viewer-context';
import { PolicyBoard } from './policy-board';
import { PolicyDetail } from './policy-detail';
import { policyPath } from './policy-path';
import { PolicyWorkbench } from './policy-workbench';

/** What a new policy starts from. */
export const NEW_POLICY_YAML = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: my-policy
  namespace: default
spec:
  tier: default
  order: 100
  selector: all()
  clusterSelector: all()
  types:
    - Ingress
  ingress:
    - action: Allow
      source:
        selector: all()
`;

/**
 * The Policies page: the tier board (`/policies`), one policy with its editor, history and
 * rollout (`?id=`), and a new policy (`?new=1`).
 */
export function PoliciesPage() {
  const params = useSearchParams();
  const id = params.get('id');
  const canEdit = useCan('editor');
  if (id) return <PolicyDetail key={id} id={id} />;
  if (params.get('new') !== null && canEdit)
    return (
      <>
        <p>
          <Link to="/policies">← Policies</Link>
        </p>
        <h1>New policy</h1>
        <PolicyWorkbench
          initialYaml={NEW_POLICY_YAML}
          onSaved={(change) => navigate(policyPath(change.policyId))}
        />
      </>
    );
  return <PolicyBoard />;
}
