import { TENANT_DELETED_QUEUES, type TenantDataService } from '@meshplane/events';
import {
  type AuthenticatedIdentity,
  InjectLogger,
  type Logger,
  QueueProducer,
  TenantDb,
} from '@meshplane/platform';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ApiTokenEntity } from '../api-tokens/api-token.entity.js';
import { EndedSessionEntity } from '../sessions/ended-session.entity.js';
import { TenantEntity } from '../tenants/tenant.entity.js';
import { tenantsError } from '../tenants/tenants.errors.js';
import { UserEntity } from '../tenants/user.entity.js';
import { TenantDeletionEntity } from './tenant-deletion.entity.js';
import type { DeletedTenant } from './tenant-deletion.model.js';

/** How often deletions left in the outbox are queued again (Redis was unreachable when they were made). */
const SWEEP_INTERVAL_MS = 10_000;

const SERVICES = Object.keys(TENANT_DELETED_QUEUES) as TenantDataService[];

/**
 * Deleting a tenant. One transaction removes everything of the tenant in the tenants schema but
 * the append-only audit log (members, sessions, API tokens, the tenant itself: every session and
 * API token stops working at once, and the name is free again) and writes one outbox row per other service;
 * each service then removes its own rows (clusters first offboards the agents). The outbox is
 * flushed after the commit and swept every 10 s, so a deletion made while Redis is down still
 * reaches every service.
 */
@Injectable()
export class TenantDeletionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly db: TenantDb,
    private readonly producer: QueueProducer,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    this.sweeper = setInterval(() => void this.flush(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown() {
    clearInterval(this.sweeper);
  }

  async delete(identity: AuthenticatedIdentity, confirm: string): Promise<DeletedTenant> {
    const deletedAt = new Date();
    const { tenantId } = identity;
    await this.db.system(async (m) => {
      const tenant = await m.findOne(TenantEntity, {
        where: { id: tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!tenant) throw tenantsError('NOT_FOUND');
      if (confirm !== tenant.slug) {
        throw tenantsError(
          'INVALID_INPUT',
          { field: 'confirm' },
          `confirm: type the tenant's slug (${tenant.slug}) to delete it`,
        );
      }
      for (const entity of [ApiTokenEntity, EndedSessionEntity, UserEntity])
        await m.delete(entity, { tenantId });
      // The audit log is append-only (a trigger refuses deletes): the tenant's trail, ending with
      // this deletion, is kept as evidence.
      await m.delete(TenantEntity, { id: tenantId });
      await m.insert(
        TenantDeletionEntity,
        SERVICES.map((service) => ({ tenantId, service, requestedAt: deletedAt })),
      );
    });
    this.logger.info({ tenantId }, 'tenant deleted; its services remove its data');
    await this.flush();
    return { tenantId, deletedAt };
  }

  /** Queues every deletion left in the outbox; what cannot be queued now is tried at the next sweep. */
  async flush(): Promise<void> {
    try {
      const pending = await this.db.system((m) =>
        m.find(TenantDeletionEntity, { order: { requestedAt: 'ASC' } }),
      );
      for (const row of pending) {
        const queue = TENANT_DELETED_QUEUES[row.service as TenantDataService];
        await this.producer.add(
          queue,
          { tenantId: row.tenantId },
          { jobId: `${queue.name}-${row.tenantId}` },
        );
        await this.db.system((m) =>
          m.delete(TenantDeletionEntity, { tenantId: row.tenantId, service: row.service }),
        );
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not queue tenant deletions; retrying at the next sweep');
    }
  }
}
