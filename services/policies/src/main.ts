import 'reflect-metadata';
import { bootstrapService, runMain } from '@meshplane/platform';
import { AppModule } from './app.module.js';

runMain(() => bootstrapService(AppModule, { portVariable: 'POLICIES_PORT' }));
