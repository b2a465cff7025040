import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import {
  type DynamicModule,
  Global,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { AuditModule } from '../audit/audit.module.js';
import { auditPlugin } from '../audit/audit.plugin.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { baseConfigShape, loadConfig } from '../config/config.js';
import { createDataSource, type EntityList, TenantDb } from '../database/data-source.js';
import { AppErrorFilter } from '../errors/app-error.filter.js';
import { formatGraphQLErrorWith } from '../errors/format-graphql-error.js';
import { DateTimeScalarProvider } from '../graphql/date-time.scalar.js';
import { HealthController } from '../health/health.controller.js';
import { RolesGuard } from '../identity/graphql-identity.js';
import { InternalIdentityCodec } from '../identity/internal-identity.js';
import { createLogger } from '../logging/logger.js';
import { MetricsController } from '../metrics/metrics.controller.js';
import { Metrics } from '../metrics/metrics.js';
import { Outbox, outboxEntity } from '../queues/outbox.js';
import { QueueProducer } from '../queues/queues.js';
import { createRedis } from '../redis/redis.js';
import { IdentityMiddleware, type RequestWithIdentity } from './identity.middleware.js';
import { RequestMiddleware } from './request.middleware.js';
import { CONFIG, IDENTITY_CODEC, LOGGER, REDIS } from './tokens.js';

/** The config every platform-wired process has; services extend it with their own variables. */
export type BaseConfig = z.infer<z.ZodObject<typeof baseConfigShape>>;

export interface PlatformOptions {
  service: string;
  /** The process's config schema; must include `baseConfigShape`. */
  configSchema: z.ZodObject;
  /** The Postgres schema the service owns and its entities. */
  database?: { schema: string; entities: EntityList };
  /**
   * Serve a federation subgraph at /graphql, behind the gateway's signed identity.
   * `orphanedTypes`: entity types this subgraph only extends (no query returns them).
   */
  // biome-ignore lint/complexity/noBannedTypes: Nest's orphanedTypes are class constructors.
  graphql?: boolean | { orphanedTypes?: Function[] };
}

/** Federation link the MIT composer accepts (see CONVENTIONS: pin v2.6 and its directives). */
const FEDERATION: { version: 2; importUrl: string; directives: string[] } = {
  version: 2,
  importUrl: 'https://specs.apollo.dev/federation/v2.6',
  directives: [
    '@key',
    '@shareable',
    '@external',
    '@requires',
    '@provides',
    '@tag',
    '@inaccessible',
    '@override',
  ],
};

export { SCHEMA_OUT_VARIABLE } from './schema-out.js';

const PLATFORM_OPTIONS = Symbol('meshplane:platform-options');

@Global()
@Module({})
export class PlatformModule implements NestModule, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly dataSource: DataSource,
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions,
    private readonly producer: QueueProducer,
  ) {}

  static forRoot(options: PlatformOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: PLATFORM_OPTIONS, useValue: options },
      { provide: CONFIG, useFactory: () => loadConfig(options.configSchema) },
      {
        provide: LOGGER,
        useFactory: (config: BaseConfig) => createLogger(options.service, config.LOG_LEVEL),
        inject: [CONFIG],
      },
      { provide: Metrics, useFactory: () => new Metrics(options.service) },
      {
        provide: REDIS,
        useFactory: (config: BaseConfig) =>
          createRedis({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, name: options.service }),
        inject: [CONFIG],
      },
      {
        provide: IDENTITY_CODEC,
        useFactory: (config: BaseConfig) =>
          new InternalIdentityCodec(config.INTERNAL_IDENTITY_SECRET, options.service),
        inject: [CONFIG],
      },
      {
        provide: QueueProducer,
        useFactory: (redis: Redis, config: BaseConfig) => new QueueProducer(redis, config.REDIS_PREFIX),
        inject: [REDIS, CONFIG],
      },
      RequestMiddleware,
      IdentityMiddleware,
      { provide: APP_FILTER, useClass: AppErrorFilter },
    ];
    const exported: Array<string | symbol | Provider> = [
      CONFIG,
      LOGGER,
      REDIS,
      Metrics,
      IDENTITY_CODEC,
      QueueProducer,
    ];
    if (options.database) {
      const { schema } = options.database;
      // Every service with a schema has its outbox (the service's entity list names it too, for
      // the migrations' drift check).
      const outbox = outboxEntity(schema);
      const listed = options.database.entities;
      const entities: EntityList = Array.isArray(listed) ? [...new Set([...listed, outbox])] : listed;
      providers.push(
        {
          provide: DataSource,
          useFactory: async (config: BaseConfig) => {
            const dataSource = createDataSource({ url: config.DATABASE_URL, schema, entities });
            return dataSource.initialize();
          },
          inject: [CONFIG],
        },
        { provide: TenantDb, useFactory: (ds: DataSource) => new TenantDb(ds), inject: [DataSource] },
        {
          provide: Outbox,
          useFactory: (db: TenantDb, producer: QueueProducer, logger: Logger) =>
            new Outbox(db, producer, outbox, logger, schema),
          inject: [TenantDb, QueueProducer, LOGGER],
        },
      );
      exported.push(DataSource, TenantDb, Outbox);
    } else {
      providers.push({ provide: DataSource, useValue: null });
    }
    const imports: DynamicModule[] = [];
    if (options.graphql) {
      providers.push({ provide: APP_GUARD, useClass: RolesGuard }, DateTimeScalarProvider);
      imports.push(
        GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          imports: [AuditModule],
          inject: [AuditTrail, Metrics],
          useFactory: (audit: AuditTrail, metrics: Metrics) => {
            const logger = createLogger(options.service);
            return {
              path: '/graphql',
              autoSchemaFile: { federation: FEDERATION },
              buildSchemaOptions: {
                orphanedTypes:
                  typeof options.graphql === 'object' ? (options.graphql.orphanedTypes ?? []) : [],
              },
              sortSchema: true,
              introspection: false,
              plugins: [ApolloServerPluginInlineTraceDisabled(), auditPlugin(audit, options.service)],
              csrfPrevention: false,
              includeStacktraceInErrorResponses: false,
              context: ({ req }: { req: RequestWithIdentity }) => ({ identity: req.identity }),
              formatError: formatGraphQLErrorWith(logger, (code) => metrics.errors.inc({ code })),
            };
          },
        }),
      );
    }
    return {
      module: PlatformModule,
      imports,
      providers,
      controllers: [HealthController, MetricsController],
      exports: exported,
    };
  }

  configure(consumer: MiddlewareConsumer) {
    consumer.apply(RequestMiddleware).forRoutes('*path');
    if (this.options.graphql) consumer.apply(IdentityMiddleware).forRoutes('graphql');
  }

  async onApplicationShutdown() {
    await this.producer.close().catch(() => {});
    await Promise.allSettled([
      this.redis.quit(),
      this.dataSource?.isInitialized ? this.dataSource.destroy() : Promise.resolve(),
    ]);
  }
}

/** Logger injection helper for services: `@InjectLogger() logger: Logger`. */
export const InjectLogger = () => Inject(LOGGER);
export type { Logger };
