import { stringify } from 'yaml';

export const AGENT_NAMESPACE = 'meshplane-system';
export const AGENT_NAME = 'meshplane-agent';
export const BOOTSTRAP_SECRET = 'meshplane-bootstrap';
export const CREDENTIAL_SECRET = 'meshplane-agent-credential';
export const AGENT_HEALTH_PORT = 9090;
/**
 * Port of the agent's Envoy access-log service (gRPC, plaintext inside the cluster). Node-level
 * Envoys send their HTTP access logs to the Service `meshplane-agent.meshplane-system:9001`.
 */
export const AGENT_ENVOY_ALS_PORT = 9001;

export interface ManifestInput {
  clusterId: string;
  clusterName: string;
  /**
   * The unused install token, put into the bootstrap Secret. Absent once the token was exchanged:
   * the manifest then re-applies (or upgrades) everything but the Secret, which the cluster keeps.
   */
  bootstrapToken?: string;
  hubUrl: string;
  apiUrl: string;
  image: string;
}

type KubeObject = Record<string, unknown> & { apiVersion: string; kind: string };

const LABELS = {
  'app.kubernetes.io/name': AGENT_NAME,
  'app.kubernetes.io/part-of': 'meshplane',
  'app.kubernetes.io/managed-by': 'meshplane',
};

const READ = ['get', 'list', 'watch'];
const WRITE = [...READ, 'create', 'update', 'patch', 'delete'];

/**
 * Everything the one-line install creates (the agent, and the Service node-level Envoys send
 * their access logs to). Least privilege: the agent reads what inventory
 * needs; it writes only the kinds Meshplane manages (Calico policy objects and network sets,
 * FelixConfiguration, EndpointSlices) and only its own Secrets.
 */
export function agentManifestObjects(input: ManifestInput): KubeObject[] {
  const metadata = (name: string, namespaced = true) => ({
    name,
    ...(namespaced ? { namespace: AGENT_NAMESPACE } : {}),
    labels: LABELS,
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: AGENT_NAMESPACE,
        labels: { ...LABELS, 'pod-security.kubernetes.io/enforce': 'restricted' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: metadata(AGENT_NAME),
      automountServiceAccountToken: true,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: metadata(AGENT_NAME, false),
      rules: [
        {
          apiGroups: [''],
          resources: ['namespaces', 'pods', 'services', 'nodes', 'serviceaccounts'],
          verbs: READ,
        },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: WRITE },
        { apiGroups: ['multicluster.x-k8s.io'], resources: ['serviceexports'], verbs: READ },
        {
          apiGroups: ['projectcalico.org'],
          resources: ['hostendpoints', 'clusterinformations'],
          verbs: READ,
        },
        {
          apiGroups: ['projectcalico.org'],
          resources: [
            'tiers',
            'globalnetworkpolicies',
            'networkpolicies',
            'stagedglobalnetworkpolicies',
            'stagednetworkpolicies',
            'globalnetworksets',
            'networksets',
            'felixconfigurations',
          ],
          verbs: WRITE,
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: metadata(AGENT_NAME, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: AGENT_NAME },
      subjects: [{ kind: 'ServiceAccount', name: AGENT_NAME, namespace: AGENT_NAMESPACE }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: metadata(AGENT_NAME),
      rules: [
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        {
          apiGroups: [''],
          resources: ['secrets'],
          resourceNames: [BOOTSTRAP_SECRET, CREDENTIAL_SECRET],
          verbs: ['get', 'update', 'patch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: metadata(AGENT_NAME),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: AGENT_NAME },
      subjects: [{ kind: 'ServiceAccount', name: AGENT_NAME, namespace: AGENT_NAMESPACE }],
    },
    ...(input.bootstrapToken === undefined
      ? []
      : [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: metadata(BOOTSTRAP_SECRET),
            type: 'Opaque',
            stringData: {
              'bootstrap-token': input.bootstrapToken,
              'hub-url': input.hubUrl,
              'api-url': input.apiUrl,
              'cluster-id': input.clusterId,
            },
          },
        ]),
    agentDeployment(input, metadata(AGENT_NAME)),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(AGENT_NAME),
      spec: {
        type: 'ClusterIP',
        selector: { 'app.kubernetes.io/name': AGENT_NAME },
        ports: [
          {
            name: 'envoy-als',
            port: AGENT_ENVOY_ALS_PORT,
            targetPort: 'envoy-als',
            protocol: 'TCP',
            appProtocol: 'kubernetes.io/h2c',
          },
        ],
      },
    },
  ];
}

function agentDeployment(input: ManifestInput, metadata: Record<string, unknown>): KubeObject {
  const fromSecret = (name: string, key: string) => ({
    name,
    valueFrom: { secretKeyRef: { name: BOOTSTRAP_SECRET, key } },
  });
  const probe = (path: string) => ({
    httpGet: { path, port: AGENT_HEALTH_PORT },
    periodSeconds: 10,
    timeoutSeconds: 2,
    failureThreshold: 3,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: 1,
      // One agent per cluster: the new pod's session supersedes the old one during a rollout.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: { 'app.kubernetes.io/name': AGENT_NAME } },
      template: {
        metadata: { labels: LABELS },
        spec: {
          serviceAccountName: AGENT_NAME,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            fsGroup: 65532,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'agent',
              image: input.image,
              imagePullPolicy: 'IfNotPresent',
              env: [
                { name: 'MESHPLANE_DRIVER', value: 'kubernetes' },
                { name: 'MESHPLANE_CLUSTER_NAME', value: input.clusterName },
                fromSecret('MESHPLANE_BOOTSTRAP_TOKEN', 'bootstrap-token'),
                fromSecret('MESHPLANE_HUB_URL', 'hub-url'),
                fromSecret('MESHPLANE_API_URL', 'api-url'),
                { name: 'MESHPLANE_CREDENTIAL_SECRET', value: CREDENTIAL_SECRET },
                { name: 'MESHPLANE_HEALTH_PORT', value: String(AGENT_HEALTH_PORT) },
                { name: 'MESHPLANE_ENVOY_ALS_PORT', value: String(AGENT_ENVOY_ALS_PORT) },
              ],
              ports: [
                { name: 'health', containerPort: AGENT_HEALTH_PORT, protocol: 'TCP' },
                { name: 'envoy-als', containerPort: AGENT_ENVOY_ALS_PORT, protocol: 'TCP' },
              ],
              resources: {
                requests: { cpu: '50m', memory: '64Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
              livenessProbe: probe('/healthz'),
              readinessProbe: probe('/readyz'),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
        },
      },
    },
  };
}

/**
 * Kinds that carry Meshplane's managed-by label in a cluster, in the order the uninstall command
 * deletes them: policies before the sets and tiers they name, then the agent's own objects, its
 * namespace last. The agent applies the Calico kinds and EndpointSlices; the install manifest
 * and the agent's credential Secret are the rest. Calico's `default` FelixConfiguration, where
 * the WireGuard settings go, is never labelled, so it stays.
 */
const UNINSTALL_KINDS = [
  'networkpolicies.projectcalico.org',
  'globalnetworkpolicies.projectcalico.org',
  'stagednetworkpolicies.projectcalico.org',
  'stagedglobalnetworkpolicies.projectcalico.org',
  'networksets.projectcalico.org',
  'globalnetworksets.projectcalico.org',
  'endpointslices.discovery.k8s.io',
  'tiers.projectcalico.org',
  'services',
  'deployments.apps',
  'rolebindings.rbac.authorization.k8s.io',
  'roles.rbac.authorization.k8s.io',
  'clusterrolebindings.rbac.authorization.k8s.io',
  'clusterroles.rbac.authorization.k8s.io',
  'secrets',
  'serviceaccounts',
  'namespaces',
];

/**
 * One kubectl line that removes everything Meshplane put into a cluster: every object of those
 * kinds labelled `app.kubernetes.io/managed-by=meshplane`, in any namespace. A connected agent
 * does this itself for what it applied when its cluster is deleted; this is for an agent that
 * is gone.
 */
export const UNINSTALL_COMMAND = `kubectl delete --all-namespaces --selector app.kubernetes.io/managed-by=${LABELS['app.kubernetes.io/managed-by']} ${UNINSTALL_KINDS.join(',')}`;

/** The objects as one multi-document YAML file, headed by a comment saying what it is. */
export function renderAgentManifest(input: ManifestInput): string {
  const header =
    input.bootstrapToken === undefined
      ? `# Meshplane agent for cluster "${input.clusterName}" (${input.clusterId}).\n# Its install token was used: this re-applies the agent (upgrading it to ${input.image}) and keeps the cluster's bootstrap Secret and credential.\n`
      : `# Meshplane agent for cluster "${input.clusterName}" (${input.clusterId}).\n# kubectl apply -f <this URL>. The bootstrap token inside works once; running the command again later re-applies or upgrades the agent.\n`;
  return (
    header +
    agentManifestObjects(input)
      .map((object) => `---\n${stringify(object)}`)
      .join('')
  );
}
