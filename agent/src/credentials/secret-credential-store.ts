import {
  ApiException,
  CoreV1Api,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { AgentError, describeError } from '../agent.errors.js';
import type { CredentialStore, StoredCredential } from './credential-store.js';
import { parseStored } from './file-credential-store.js';

/** The key of the Secret's data that holds the stored credential document (JSON). */
export const CREDENTIAL_SECRET_KEY = 'credential.json';
export const CREDENTIAL_FIELD_MANAGER = 'meshplane-agent';

/**
 * Keeps the credential in a Kubernetes Secret, written with server-side apply so a save is one
 * atomic write of the whole document. The agent's Role must allow get and patch on that Secret.
 */
export class SecretCredentialStore implements CredentialStore {
  readonly description: string;
  private readonly api: CoreV1Api;

  constructor(
    kubeConfig: KubeConfig,
    private readonly namespace: string,
    private readonly name: string,
  ) {
    this.api = kubeConfig.makeApiClient(CoreV1Api);
    this.description = `secret ${namespace}/${name}`;
  }

  async load(): Promise<StoredCredential | undefined> {
    let data: Record<string, string> | undefined;
    try {
      const secret = await this.api.readNamespacedSecret({ namespace: this.namespace, name: this.name });
      data = secret.data;
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw new AgentError(
        'credential_store_failed',
        `cannot read ${this.description}: ${describeError(error)}`,
      );
    }
    const encoded = data?.[CREDENTIAL_SECRET_KEY];
    if (encoded === undefined) return undefined;
    return parseStored(Buffer.from(encoded, 'base64').toString('utf8'), this.description);
  }

  async save(credential: StoredCredential): Promise<void> {
    const body = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'meshplane' },
      },
      type: 'Opaque',
      data: { [CREDENTIAL_SECRET_KEY]: Buffer.from(JSON.stringify(credential)).toString('base64') },
    };
    try {
      await this.api.patchNamespacedSecret(
        {
          namespace: this.namespace,
          name: this.name,
          body,
          fieldManager: CREDENTIAL_FIELD_MANAGER,
          force: true,
        },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
    } catch (error) {
      throw new AgentError(
        'credential_store_failed',
        `cannot write ${this.description}: ${describeError(error)}`,
      );
    }
  }
}
