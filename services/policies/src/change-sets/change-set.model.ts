import { JsonValue } from '@meshplane/platform';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PolicyDiffEntry } from '../policies/policy.model.js';

export enum ChangeSetActionValue {
  Create = 'create',
  Update = 'update',
  Delete = 'delete',
  Unchanged = 'unchanged',
}
registerEnumType(ChangeSetActionValue, {
  name: 'ChangeSetAction',
  description: 'What applying a change set does to one object.',
  valuesMap: {
    Create: { description: 'The object is new.' },
    Update: { description: 'The object exists and differs (see the diff).' },
    Delete: { description: 'The object exists and is not in the change set (prune).' },
    Unchanged: { description: 'The object exists exactly as given.' },
  },
});

@InputType('ChangeSetInput', { description: 'Objects in Calico v3 shape, as a folder of YAML holds them.' })
export class ChangeSetInput {
  @Field(() => [JsonValue], {
    description:
      "Tier, NetworkPolicy, GlobalNetworkPolicy, StagedNetworkPolicy and StagedGlobalNetworkPolicy objects (`apiVersion: projectcalico.org/v3`, `kind`, `metadata {name, namespace}`, `spec` with Meshplane's `clusterSelector`) ComplianceZone objects (`apiVersion: meshplane.io/v1`, `spec {clusterSelector, isolation {allowedZones}}`) and the FelixConfiguration `default` (`projectcalico.org/v3`, the mesh-wide WireGuard fields of `setEncryption`); 1 to 1000.",
  })
  objects!: unknown[];

  @Field({
    nullable: true,
    description:
      "Delete the tenant's tiers, compliance zones, policies and mesh-wide WireGuard settings that are not in `objects` (default false).",
  })
  prune?: boolean;
}

@ObjectType('ChangeSetEntry', { description: 'One object of a plan.' })
export class ChangeSetEntry {
  @Field(() => Int, {
    nullable: true,
    description: 'Its index in `objects`; null for an object deleted because it is not there (prune).',
  })
  index!: number | null;

  @Field(() => ChangeSetActionValue, { description: 'Create, update, delete or unchanged.' })
  action!: ChangeSetActionValue;

  @Field({ description: 'Calico kind, e.g. `GlobalNetworkPolicy` or `StagedNetworkPolicy`.' })
  kind!: string;

  @Field({ description: 'metadata.name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'metadata.namespace; null for cluster-scoped kinds.' })
  namespace!: string | null;

  @Field(() => [PolicyDiffEntry], {
    description:
      "Differences from the live object, JSON pointers into the Calico object ('' for the whole object on create and delete).",
  })
  diff!: PolicyDiffEntry[];
}

@ObjectType('PolicyWarning', {
  description: 'A policy of the tenant that can never decide a packet: an earlier one always decides first.',
})
export class PolicyWarning {
  @Field({ description: 'Calico kind (`StagedNetworkPolicy` never: staged policies are not enforced).' })
  kind!: string;

  @Field({ description: 'Policy name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Namespace; null for global policies.' })
  namespace!: string | null;

  @Field({ description: 'Which earlier policy decides every packet first, and how.' })
  message!: string;
}

@ObjectType('ChangeSetWarning', {
  description: 'A policy that can never decide a packet once the change set is applied (shadowed).',
})
export class ChangeSetWarning extends PolicyWarning {
  @Field(() => Int, {
    nullable: true,
    description: 'Its index in `objects`; null for a live policy not given.',
  })
  index!: number | null;
}

@ObjectType('ChangeSetPlan', {
  description: 'What applying a change set would do, computed against one revision.',
})
@Directive('@key(fields: "id")')
export class ChangeSetPlan {
  @Field(() => ID, { description: 'The plan, for `applyChangeSet`.' })
  id!: string;

  @Field({ description: "The revision of the tenant's tiers and policies the plan was computed against." })
  revision!: string;

  @Field({ description: 'True when applying would create, update or delete anything.' })
  hasChanges!: boolean;

  @Field(() => [ChangeSetEntry], {
    description: 'Every object given, in order, then the objects prune deletes.',
  })
  entries!: ChangeSetEntry[];

  @Field(() => [ChangeSetWarning], {
    description:
      'Enforced policies that could never decide once applied: an earlier policy for all of their endpoints (same or broader selector) takes every packet with an unconditional Allow, Deny, or Pass (in its own tier). Compliance zones are not considered.',
  })
  warnings!: ChangeSetWarning[];

  @Field(() => [JsonValue], {
    description:
      "The plan's policy changes in the shape of `whatIf(input: {changes})` (tier changes have no what-if form); `ChangeSetPlan.whatIf` evaluates them.",
  })
  whatIfChanges!: unknown[];

  @Field({ description: 'When the plan was computed.' })
  createdAt!: Date;

  @Field({ description: 'After this the plan cannot be applied.' })
  expiresAt!: Date;
}

@ObjectType('ChangeSetApplied', { description: 'An applied change set.' })
export class ChangeSetApplied {
  @Field(() => ID, { description: 'The plan applied.' })
  planId!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'The one change id of every version written (`rollout(changeId)`); null when nothing changed.',
  })
  changeId!: string | null;

  @Field(() => Int, { description: 'Objects created.' })
  created!: number;

  @Field(() => Int, { description: 'Objects updated.' })
  updated!: number;

  @Field(() => Int, { description: 'Objects deleted.' })
  deleted!: number;
}

@ObjectType('ChangeSetObjects', {
  description:
    "The tenant's tiers and policies as Calico v3 objects: what `planChangeSet` takes back unchanged.",
})
export class ChangeSetObjects {
  @Field({ description: 'Their revision (the one a plan computed now would carry).' })
  revision!: string;

  @Field(() => [JsonValue], {
    description:
      'Tiers by name, the FelixConfiguration `default` (mesh-wide WireGuard settings, when set), compliance zones by name, then policies by kind, namespace and name.',
  })
  objects!: unknown[];
}
