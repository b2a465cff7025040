import '../policies/policies.css';
import { useEffect, useState } from 'react';
import {
  ClusterNamespacesDocument,
  NamespaceWorkloadsDocument,
  RecommendationTargetsDocument,
  type RecommendationTargetsQuery,
  RecommendPolicyDocument,
  type RecommendPolicyQuery,
} from '../../api/generated';
import { type Answered, request } from '../../api/graphql';
import { ErrorMessage } from '../../components/error-message';
import { navigate } from '../../components/router';
import { SelectField } from '../../components/select-field';
import { useAction } from '../../components/use-action';
import { useCan } from '../../components/viewer-context';
import { FLOW_WINDOWS } from '../policies/flow-windows';
import { PolicyEditor } from '../policies/policy-editor';
import { policyPath } from '../policies/policy-path';
import { PolicyWorkbench } from '../policies/policy-workbench';
import { inputToYaml } from '../policies/policy-yaml';

type Recommendation = Answered<RecommendPolicyQuery>['recommendPolicy'];

/**
 * Recommendations: pick a cluster's namespace, get the least-privilege staged policy learnt from
 * its observed ingress, open it in the policy editor, what-if, create it (staged).
 */
export function RecommendationsPage() {
  const canEdit = useCan('editor');
  const [clusters, setClusters] = useState<Answered<RecommendationTargetsQuery>['clusters']>();
  const [clusterId, setClusterId] = useState('');
  const [namespaces, setNamespaces] = useState<string[]>();
  const [namespace, setNamespace] = useState('');
  const [workloads, setWorkloads] = useState<string[]>();
  const [workload, setWorkload] = useState('');
  const [lookback, setLookback] = useState<(typeof FLOW_WINDOWS)[number]['value']>(60);
  const [error, setError] = useState<unknown>();
  const recommending = useAction();
  const [recommendation, setRecommendation] = useState<Recommendation>();
  const [editing, setEditing] = useState(false);

  // Each list below is read again when what it depends on changes; an answer that arrives after
  // a newer question was asked is dropped, so it can neither replace the newer list nor reset the
  // choice made from it.
  useEffect(() => {
    let current = true;
    request(RecommendationTargetsDocument).then(
      (data) => {
        if (!current) return;
        const live = data.clusters.filter((cluster) => cluster.revokedAt === null);
        setClusters(live);
        setClusterId((chosen) => chosen || (live[0]?.id ?? ''));
      },
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, []);

  useEffect(() => {
    if (!clusterId) return;
    let current = true;
    setNamespaces(undefined);
    request(ClusterNamespacesDocument, { clusterId }).then(
      (data) => {
        if (!current) return;
        const names = [...new Set(data.endpoints.nodes.map((endpoint) => endpoint.namespace))].sort();
        setNamespaces(names);
        setNamespace((chosen) => (names.includes(chosen) ? chosen : (names[0] ?? '')));
      },
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [clusterId]);

  const clusterName = clusters?.find((cluster) => cluster.id === clusterId)?.name;
  useEffect(() => {
    if (!clusterName || !namespace) return;
    let current = true;
    setWorkloads(undefined);
    const to = new Date();
    const from = new Date(to.getTime() - lookback * 60_000);
    request(NamespaceWorkloadsDocument, {
      from: from.toISOString(),
      to: to.toISOString(),
      filter: { cluster: clusterName, namespace },
    }).then(
      (data) => {
        if (!current) return;
        const names = data.serviceGraph.nodes
          .filter((n) => n.kind === 'WORKLOAD' && n.cluster === clusterName && n.namespace === namespace)
          .map((n) => n.name);
        const sorted = [...new Set(names)].sort();
        setWorkloads(sorted);
        setWorkload((chosen) => (sorted.includes(chosen) ? chosen : ''));
      },
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [clusterName, namespace, lookback]);

  const recommend = (event: React.FormEvent) => {
    event.preventDefault();
    setRecommendation(undefined);
    setEditing(false);
    return recommending.run(async () => {
      const data = await request(RecommendPolicyDocument, {
        input: { clusterId, namespace, lookback, ...(workload ? { workload } : {}) },
      });
      setRecommendation(data.recommendPolicy);
    });
  };

  return (
    <>
      <h1>Recommendations</h1>
      <section className="panel" aria-labelledby="recommend-heading">
        <h2 id="recommend-heading">Learn a policy from observed traffic</h2>
        <p className="hint">
          A least-privilege staged policy for a namespace, or one workload of it: it allows exactly the
          ingress its workloads were seen to receive, peers in other clusters included.
        </p>
        {clusters === undefined && !error ? <p role="status">Loading clusters…</p> : null}
        {clusters && clusters.length === 0 ? (
          <p role="status">No connected cluster yet: register one on the Clusters page.</p>
        ) : null}
        {clusters && clusters.length > 0 ? (
          <form className="recommend-form" onSubmit={(event) => void recommend(event)}>
            <SelectField
              label="Cluster"
              value={clusterId}
              options={clusters.map((cluster) => ({ value: cluster.id, label: cluster.name }))}
              onChange={setClusterId}
            />
            <SelectField
              label="Namespace"
              value={namespace}
              options={(namespaces ?? []).map((name) => ({ value: name, label: name }))}
              onChange={setNamespace}
              disabled={!namespaces || namespaces.length === 0}
              hint={
                namespaces && namespaces.length === 0 ? 'The cluster reported no workloads yet.' : undefined
              }
            />
            <SelectField
              label="Workload"
              value={workload}
              options={[
                { value: '', label: 'Whole namespace' },
                ...(workloads ?? []).map((name) => ({ value: name, label: name })),
              ]}
              onChange={setWorkload}
              hint={workloads === undefined ? 'Loading the workloads with traffic…' : undefined}
            />
            <SelectField label="Learn from" value={lookback} options={FLOW_WINDOWS} onChange={setLookback} />
            <button type="submit" className="primary" disabled={recommending.busy || !namespace}>
              {recommending.busy ? 'Learning…' : 'Recommend'}
            </button>
          </form>
        ) : null}
        <ErrorMessage error={error ?? recommending.error} />
      </section>
      {recommendation ? (
        <section className="panel" aria-labelledby="recommended-heading" data-testid="recommendation">
          <h2 id="recommended-heading">
            Recommended policy <span className="badge warn">Staged</span>
          </h2>
          <p role="status">
            {recommendation.rules} ingress rules for {recommendation.observed} kinds of allowed ingress
            observed between {new Date(recommendation.from).toLocaleString()} and{' '}
            {new Date(recommendation.to).toLocaleString()}
            {recommendation.unattributed > 0
              ? `; ${recommendation.unattributed} kinds could not be named by a rule (no address, no labels)`
              : ''}
            {recommendation.truncated
              ? '; more rules were needed than a policy may have (least-used left out)'
              : ''}
            .
          </p>
          {editing ? (
            <PolicyWorkbench
              initialYaml={inputToYaml(recommendation.input)}
              onSaved={(change) => navigate(policyPath(change.policyId))}
            />
          ) : (
            <>
              <PolicyEditor
                label="Recommended policy (YAML)"
                value={inputToYaml(recommendation.input)}
                problems={[]}
                readOnly
              />
              {canEdit ? (
                <button type="button" className="primary" onClick={() => setEditing(true)}>
                  Open in editor
                </button>
              ) : null}
            </>
          )}
        </section>
      ) : null}
    </>
  );
}
