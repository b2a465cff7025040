import 'reflect-metadata';
import { bootstrapService, runMain } from '@meshplane/platform';
import { WorkerModule } from './worker.module.js';

runMain(() => bootstrapService(WorkerModule, { portVariable: 'TELEMETRY_WORKER_PORT' }));
