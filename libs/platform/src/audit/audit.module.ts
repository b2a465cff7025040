import { Module } from '@nestjs/common';
import { AuditTrail } from './audit-trail.js';

/** Provides the AuditTrail (its config, Redis and logger come from the global PlatformModule). */
@Module({ providers: [AuditTrail], exports: [AuditTrail] })
export class AuditModule {}
