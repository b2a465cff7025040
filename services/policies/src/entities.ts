import { outboxEntity } from '@meshplane/platform';
import {
  BundleContentEntity,
  ClusterBundleEntity,
  ClusterConfigEntity,
  CompileRequestEntity,
  ConfigChangeEntity,
} from './bundles/bundle.entities.js';
import { ChangeSetPlanEntity } from './change-sets/change-set-plan.entity.js';
import { EncryptionSettingEntity } from './encryption/encryption-setting.entity.js';
import { PolicyEntity } from './policies/policy.entity.js';
import { TierEntity } from './tiers/tier.entity.js';
import { PolicyVersionEntity } from './versions/policy-version.entity.js';
import { ComplianceZoneEntity } from './zones/zone.entity.js';

/** Every entity of the `policies` schema (the data source and the migration drift check use it). */
export const policiesEntities = [
  TierEntity,
  PolicyEntity,
  PolicyVersionEntity,
  CompileRequestEntity,
  ClusterBundleEntity,
  ClusterConfigEntity,
  ComplianceZoneEntity,
  EncryptionSettingEntity,
  ConfigChangeEntity,
  BundleContentEntity,
  outboxEntity('policies'),
  ChangeSetPlanEntity,
];
