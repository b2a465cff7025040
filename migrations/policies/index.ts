import { CreatePolicies1795620463125 } from './1795620463125-CreatePolicies.js';
import { PoliciesAndVersions1795623599212 } from './1795623599212-PoliciesAndVersions.js';
import { ConfigBundles1795629772997 } from './1795629772997-ConfigBundles.js';
import { ComplianceZonesAndEncryption1795630421385 } from './1795630421385-ComplianceZonesAndEncryption.js';
import { ConfigChanges1795631167233 } from './1795631167233-ConfigChanges.js';
import { BundleContents1795633899600 } from './1795633899600-BundleContents.js';
import { DropClusterStates1795637000000 } from './1795637000000-DropClusterStates.js';
import { DropCompileStates1795637100000 } from './1795637100000-DropCompileStates.js';
import { Outbox1796417912487 } from './1796417912487-Outbox.js';
import { ChangeSetPlans1796417996603 } from './1796417996603-ChangeSetPlans.js';

/** The policies schema's migrations, oldest first. */
export const policiesMigrations = [
  CreatePolicies1795620463125,
  PoliciesAndVersions1795623599212,
  ConfigBundles1795629772997,
  ComplianceZonesAndEncryption1795630421385,
  ConfigChanges1795631167233,
  BundleContents1795633899600,
  DropClusterStates1795637000000,
  DropCompileStates1795637100000,
  Outbox1796417912487,
  ChangeSetPlans1796417996603,
];
