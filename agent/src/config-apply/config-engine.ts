import {
  type ConfigOutcome,
  type ConfigPushMessage,
  type ConfigResultMessage,
  MAX_CONFIG_OUTCOMES,
  type ToHubMessage,
} from '@meshplane/protocol';
import { describeError } from '../agent.errors.js';
import type { Logger } from '../log.js';
import type { ConfigTarget } from './config-target.js';
import { refOf } from './managed-kinds.js';
import { missingKindOutcomes, missingKinds } from './served-kinds.js';
import { outcome, pruneAll, type SyncPlan, syncConfig } from './sync-config.js';

export type ConfigResultKind = ConfigOutcome['result'];

export interface ConfigAppliedInfo {
  version: number;
  mode: ConfigPushMessage['mode'];
  /** Every object applied or unchanged, every prune done: the version now counts as applied. */
  complete: boolean;
  counts: Record<ConfigResultKind, number>;
  durationMs: number;
  /** Kinds the bundle uses that the cluster does not serve (`StagedNetworkPolicy`): nothing was applied. */
  missingKinds?: string[];
}

export interface ConfigRefusedInfo {
  version: number;
  code: 'stale_config' | 'config_base_mismatch';
  reason: string;
}

export interface ConfigStats {
  configPushesReceived: number;
  /** Pushes applied completely. */
  configPushesApplied: number;
  /** Pushes processed with at least one failed object (their version is not counted). */
  configPushesIncomplete: number;
  /** Pushes refused with `stale_config` or `config_base_mismatch`, superseded ones included. */
  configPushesRefused: number;
  lastAppliedConfigVersion: number;
}

/** What offboarding removed: every labelled object, or the ones that could not be deleted. */
export interface OffboardReport {
  removed: number;
  failed: ConfigOutcome[];
}

export interface ConfigEngineOptions {
  target: ConfigTarget;
  logger: Logger;
  /** Sends a frame on the current welcomed session; false when there is none. */
  send: (message: ToHubMessage) => boolean;
  /** The version applied before this process started (persisted), 0 when none. */
  appliedVersion?: number;
  /** Called after a version was applied completely, e.g. to persist it. */
  onVersionApplied?: (version: number) => void;
  onApplied?: (info: ConfigAppliedInfo) => void;
  onRefused?: (info: ConfigRefusedInfo) => void;
  now?: () => number;
}

/**
 * The apply engine: accepts `config.push` frames and applies them strictly one at a time in
 * version order. A push at or below the newest version applied, being applied or queued is
 * refused with `stale_config`; a full push arriving while another is applied supersedes the
 * queued ones; a diff is applied only on top of exactly its `baseVersion`, else
 * `config_base_mismatch`. Each processed push is answered with one `config.result`.
 */
export class ConfigEngine {
  private applied: number;
  private applying: ConfigPushMessage | undefined;
  private draining: Promise<void> = Promise.resolve();
  private offboarding = false;
  private readonly queue: ConfigPushMessage[] = [];
  /** A result the hub has not received yet (no session at the time); sent after the next welcome. */
  private unsent: ConfigResultMessage | undefined;
  private readonly counters = {
    configPushesReceived: 0,
    configPushesApplied: 0,
    configPushesIncomplete: 0,
    configPushesRefused: 0,
  };
  private readonly now: () => number;

  constructor(private readonly options: ConfigEngineOptions) {
    this.applied = options.appliedVersion ?? 0;
    this.now = options.now ?? Date.now;
  }

  /** Version of the last bundle applied completely; 0 when none. */
  get appliedVersion(): number {
    return this.applied;
  }

  get stats(): ConfigStats {
    return { ...this.counters, lastAppliedConfigVersion: this.applied };
  }

  /** Whether nothing is being applied or waiting. */
  get idle(): boolean {
    return this.applying === undefined && this.queue.length === 0;
  }

  receive(push: ConfigPushMessage): void {
    this.counters.configPushesReceived += 1;
    if (this.offboarding) {
      this.refuse(push, 'stale_config', 'the cluster is leaving Meshplane: its objects are being removed');
      return;
    }
    const newest = this.newestAccepted();
    if (push.version <= newest) {
      this.refuse(push, 'stale_config', staleReason(push.version, newest, this.applied));
      return;
    }
    if (push.mode === 'full') {
      for (const older of this.queue.splice(0)) {
        this.refuse(
          older,
          'stale_config',
          `version ${older.version} was superseded by ${push.version} before it was applied`,
        );
      }
    }
    this.queue.push(push);
    if (this.applying === undefined) this.draining = this.drain();
  }

  /**
   * Removes every object Meshplane manages in the cluster (labelled as Meshplane's; shared objects
   * such as the `default` FelixConfiguration are never labelled, so they stay): the cluster was
   * deleted from Meshplane. Waits for the push being applied, drops queued ones, refuses later
   * ones. Throws when the managed objects cannot be listed.
   */
  async offboard(): Promise<OffboardReport> {
    this.offboarding = true;
    this.queue.splice(0);
    await this.draining;
    const outcomes = await pruneAll(this.options.target);
    return {
      removed: outcomes.filter((entry) => entry.result === 'pruned').length,
      failed: outcomes.filter((entry) => entry.result === 'failed'),
    };
  }

  /** Sends a result the previous session could not carry; call after each `welcome`. */
  sessionStarted(): void {
    const unsent = this.unsent;
    if (unsent === undefined) return;
    // Only worth sending while it is still the newest word on the matter.
    if (unsent.version < this.applied) {
      this.unsent = undefined;
      return;
    }
    if (this.options.send(unsent)) this.unsent = undefined;
  }

  private newestAccepted(): number {
    const queued = this.queue.map((push) => push.version);
    return Math.max(this.applied, this.applying?.version ?? 0, ...queued);
  }

  private async drain(): Promise<void> {
    if (this.applying !== undefined) return;
    for (let push = this.queue.shift(); push !== undefined; push = this.queue.shift()) {
      this.applying = push;
      try {
        await this.process(push);
      } catch (error) {
        this.options.logger.error('config push failed unexpectedly', {
          version: push.version,
          error: describeError(error),
        });
      } finally {
        this.applying = undefined;
      }
    }
  }

  private async process(push: ConfigPushMessage): Promise<void> {
    if (push.mode === 'diff' && push.baseVersion !== this.applied) {
      this.refuse(
        push,
        'config_base_mismatch',
        `diff version ${push.version} is based on ${push.baseVersion}, but the agent holds ${this.applied}; send a full bundle`,
      );
      return;
    }
    const started = this.now();
    const unserved = await this.unservedKinds(push);
    const outcomes = unserved?.outcomes ?? (await syncConfig(this.options.target, planOf(push)));
    const counts = countResults(outcomes);
    const complete = counts.failed === 0;
    if (complete) {
      this.applied = push.version;
      this.counters.configPushesApplied += 1;
      this.options.onVersionApplied?.(push.version);
    } else {
      this.counters.configPushesIncomplete += 1;
    }
    const info: ConfigAppliedInfo = {
      version: push.version,
      mode: push.mode,
      complete,
      counts,
      durationMs: this.now() - started,
      ...(unserved ? { missingKinds: unserved.kinds } : {}),
    };
    const log = complete ? this.options.logger.info : this.options.logger.warn;
    const event = complete
      ? 'config applied'
      : unserved
        ? 'config not applied: the cluster does not serve kinds it needs'
        : 'config applied with failures';
    log.call(this.options.logger, event, {
      ...info,
      lastAppliedConfigVersion: this.applied,
    });
    this.answer({
      type: 'config.result',
      ...(push.id ? { id: push.id } : {}),
      version: push.version,
      outcomes: reportable(outcomes),
    });
    this.options.onApplied?.(info);
  }

  /**
   * Before anything is written: the kinds the push upserts that the cluster does not serve, with
   * the failed outcomes to answer (nothing of the push is applied then); undefined when all are
   * served or the target cannot tell. A discovery that fails fails every object, untouched.
   */
  private async unservedKinds(
    push: ConfigPushMessage,
  ): Promise<{ kinds: string[]; outcomes: ConfigOutcome[] } | undefined> {
    const target = this.options.target;
    if (target.servedApi === undefined) return undefined;
    const upserts = push.mode === 'full' ? push.objects : push.upserts;
    let served: Awaited<ReturnType<NonNullable<ConfigTarget['servedApi']>>>;
    try {
      served = await target.servedApi();
    } catch (error) {
      const why = `could not discover which kinds the API server serves; nothing applied: ${describeError(error)}`;
      return { kinds: [], outcomes: upserts.map((object) => outcome(refOf(object), 'failed', why)) };
    }
    const missing = missingKinds(upserts, served);
    if (missing.length === 0) return undefined;
    return {
      kinds: missing.map((m) => m.kind),
      outcomes: missingKindOutcomes(upserts, missing, served, push.version),
    };
  }

  private answer(result: ConfigResultMessage): void {
    if (this.options.send(result)) {
      if (this.unsent !== undefined && this.unsent.version <= result.version) this.unsent = undefined;
      return;
    }
    this.unsent = result;
    this.options.logger.warn('no session to report the config result; sending it after the next welcome', {
      version: result.version,
    });
  }

  private refuse(push: ConfigPushMessage, code: ConfigRefusedInfo['code'], reason: string): void {
    this.counters.configPushesRefused += 1;
    this.options.logger.warn('config push refused', { version: push.version, mode: push.mode, code, reason });
    this.options.send({ type: 'error', code, message: reason, ref: push.id ?? 'config.push' });
    this.options.onRefused?.({ version: push.version, code, reason });
  }
}

/** At most the protocol's limit of outcomes, failures first so that none of them is lost. */
function reportable(outcomes: ConfigOutcome[]): ConfigOutcome[] {
  if (outcomes.length <= MAX_CONFIG_OUTCOMES) return outcomes;
  const failed = outcomes.filter((outcome) => outcome.result === 'failed');
  const others = outcomes.filter((outcome) => outcome.result !== 'failed');
  return [...failed, ...others].slice(0, MAX_CONFIG_OUTCOMES);
}

function planOf(push: ConfigPushMessage): SyncPlan {
  return push.mode === 'full'
    ? { mode: 'full', objects: push.objects }
    : { mode: 'diff', upserts: push.upserts, deletes: push.deletes };
}

function staleReason(version: number, newest: number, applied: number): string {
  if (newest === applied) return `version ${version} is not newer than the applied version ${applied}`;
  return `version ${version} is not newer than version ${newest}, already being applied or queued`;
}

function countResults(outcomes: readonly ConfigOutcome[]): Record<ConfigResultKind, number> {
  const counts: Record<ConfigResultKind, number> = { applied: 0, unchanged: 0, pruned: 0, failed: 0 };
  for (const outcome of outcomes) counts[outcome.result] += 1;
  return counts;
}
