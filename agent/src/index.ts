export { AGENT_ERRORS, AgentError, type AgentErrorCode, isAgentError } from './agent.errors.js';
export {
  type AgentEvents,
  type AgentExit,
  type AgentHandle,
  type AgentStats,
  type StartAgentOptions,
  startAgent,
} from './agent.js';
export {
  type AgentConfig,
  CREDENTIAL_SECRET_NAMESPACE,
  type CredentialStoreConfig,
  DEFAULT_CREDENTIAL_FILE,
  type DriverConfig,
  flagsToEnv,
  type GoldmaneConfig,
  loadConfig,
} from './config.js';
export {
  type AppliedVersionStore,
  FileAppliedVersionStore,
  MemoryAppliedVersionStore,
} from './config-apply/applied-version-store.js';
export {
  type ConfigAppliedInfo,
  ConfigEngine,
  type ConfigEngineOptions,
  type ConfigRefusedInfo,
  type ConfigStats,
} from './config-apply/config-engine.js';
export type { ConfigTarget, ManagedObject } from './config-apply/config-target.js';
export {
  FIELD_MANAGER,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MANAGED_KINDS,
  type ManagedKind,
} from './config-apply/managed-kinds.js';
export { type SyncPlan, syncConfig } from './config-apply/sync-config.js';
export { CredentialClient, type IssuedCredential } from './credentials/credential-client.js';
export {
  type CredentialStore,
  MemoryCredentialStore,
  type StoredCredential,
} from './credentials/credential-store.js';
export { FileCredentialStore } from './credentials/file-credential-store.js';
export { CREDENTIAL_SECRET_KEY, SecretCredentialStore } from './credentials/secret-credential-store.js';
export type { ClusterInfo, InventoryDriver } from './drivers/driver.js';
export { KubernetesConfigTarget } from './drivers/kubernetes/kubernetes-config-target.js';
export { KubernetesDriver, type KubernetesDriverOptions } from './drivers/kubernetes/kubernetes-driver.js';
export { loadScenario, parseScenario, type Scenario, ScenarioSchema } from './drivers/simulated/scenario.js';
export { FEDERATION_ANNOTATION, SimulatedCluster } from './drivers/simulated/simulated-cluster.js';
export {
  type AppliedConfigView,
  SimulatedConfigTarget,
} from './drivers/simulated/simulated-config-target.js';
export { SimulatedDriver } from './drivers/simulated/simulated-driver.js';
export { SimulatedFlowSource } from './drivers/simulated/simulated-flow-source.js';
export type { DeltaSentInfo, SnapshotSentInfo } from './inventory/inventory-publisher.js';
export { type InventorySink, InventoryStore } from './inventory/inventory-store.js';
export { createLogger, type Logger, type LogLevel, silentLogger } from './log.js';
export type { DisconnectInfo } from './session/hub-session.js';
export type { SessionStats } from './session/session-stats.js';
export { FlowBuffer, type FlowBufferStats, type FlowDraft } from './telemetry/flow-buffer.js';
export type { FlowSource } from './telemetry/flow-source.js';
export {
  GoldmaneFlowSource,
  type GoldmaneFlowSourceOptions,
  type GoldmaneFlowSourceStats,
} from './telemetry/goldmane/goldmane-flow-source.js';
export { AGENT_CAPABILITIES, AGENT_VERSION, CONFIG_CAPABILITY } from './version.js';
