import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PolicySpec } from './policy-spec.model.js';

export enum PolicyKind {
  NetworkPolicy = 'NetworkPolicy',
  GlobalNetworkPolicy = 'GlobalNetworkPolicy',
}
registerEnumType(PolicyKind, {
  name: 'PolicyKind',
  description: 'The Calico resource a policy becomes.',
  valuesMap: {
    NetworkPolicy: { description: 'Namespaced: applies to endpoints of its namespace.' },
    GlobalNetworkPolicy: { description: 'Cluster-wide: applies to endpoints of any namespace.' },
  },
});

export enum PolicyChangeKind {
  Created = 'Created',
  Updated = 'Updated',
  Deleted = 'Deleted',
  RolledBack = 'RolledBack',
}
registerEnumType(PolicyChangeKind, {
  name: 'PolicyChangeKind',
  description: 'What a policy version records.',
  valuesMap: {
    Created: { description: 'The policy was created.' },
    Updated: { description: 'Its spec was replaced.' },
    Deleted: { description: 'It was deleted (the version keeps its last spec).' },
    RolledBack: { description: 'Its spec was restored from an earlier version (restoring it if deleted).' },
  },
});

@ObjectType('Policy', {
  description: 'A tiered Calico policy of the tenant, sent to the clusters its clusterSelector picks.',
})
export class Policy {
  @Field(() => ID, { description: 'Policy id (stable across versions, and across a delete and rollback).' })
  id!: string;

  @Field(() => PolicyKind, { description: 'NetworkPolicy (namespaced) or GlobalNetworkPolicy.' })
  kind!: PolicyKind;

  @Field({
    description:
      "The policy's name (a DNS subdomain, immutable, never starting with `<tier>.`): flows, traces, graph edges and the flows filter name the policy by it (`namespace/name` for a NetworkPolicy).",
  })
  name!: string;

  @Field({
    description:
      "The name of the Calico object each cluster's bundle holds for it: `<tier>.<name>` outside the default tier. Calico's flow logs report this name; the flows filter accepts it too.",
  })
  calicoName!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Namespace of a NetworkPolicy; null for a global one.',
  })
  namespace!: string | null;

  @Field({ description: 'The tier the policy is in.' })
  tier!: string;

  @Field({ description: 'True when the policy is staged (reported, never enforced).' })
  staged!: boolean;

  @Field(() => Int, { description: 'Current version, 1 for a new policy.' })
  version!: number;

  @Field(() => PolicySpec, { description: 'The stored spec, with Calico defaults applied (tier, types).' })
  spec!: PolicySpec;

  @Field({ description: 'When the policy was created.' })
  createdAt!: Date;

  @Field({ description: 'When the policy last changed.' })
  updatedAt!: Date;
}

@InputType('CreatePolicyInput', { description: 'A new policy: a Calico resource identity and its spec.' })
export class CreatePolicyInput {
  @Field(() => PolicyKind, { description: 'NetworkPolicy (give a namespace) or GlobalNetworkPolicy.' })
  kind!: PolicyKind;

  @Field({
    description:
      "A lowercase DNS subdomain, unique per kind, namespace and staged flag, not starting with the tier's name and a dot (Calico's object gets that prefix).",
  })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Namespace of a NetworkPolicy (required there, refused otherwise).',
  })
  namespace?: string | null;

  @Field(() => PolicySpec, { description: 'The spec.' })
  spec!: PolicySpec;
}

@InputType('UpdatePolicyInput', {
  description: "A policy's new spec; it replaces the whole spec (kind, name and namespace cannot change).",
})
export class UpdatePolicyInput {
  @Field(() => PolicySpec, { description: 'The new spec.' })
  spec!: PolicySpec;
}

@InputType('PolicyFilter', { description: 'Which policies to list; every given field must match.' })
export class PolicyFilter {
  @Field(() => String, { nullable: true, description: 'Only policies in this tier.' })
  tier?: string | null;

  @Field(() => String, { nullable: true, description: 'Only NetworkPolicies of this namespace.' })
  namespace?: string | null;

  @Field(() => PolicyKind, { nullable: true, description: 'Only policies of this kind.' })
  kind?: PolicyKind | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only staged (true) or only enforced (false) policies.',
  })
  staged?: boolean | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only policies whose clusterSelector selects this cluster (the policies it receives).',
  })
  clusterId?: string | null;
}

@ObjectType('PolicyChange', { description: 'The outcome of a policy mutation.' })
export class PolicyChange {
  @Field(() => ID, { description: 'The policy changed.' })
  policyId!: string;

  @Field(() => Int, {
    description: 'The version the change produced (the current one when nothing changed).',
  })
  version!: number;

  @Field(() => ID, { description: 'Id of the change; rollout status of the change is tracked under it.' })
  changeId!: string;

  @Field(() => PolicyChangeKind, { description: 'What the change was.' })
  change!: PolicyChangeKind;

  @Field({ description: 'False when an update left the spec as it was (no new version is written then).' })
  changed!: boolean;

  @Field(() => Policy, { nullable: true, description: 'The policy after the change; null after a delete.' })
  policy!: Policy | null;
}

@ObjectType('PolicyVersion', { description: 'One immutable version of a policy.' })
export class PolicyVersion {
  @Field(() => Int, { description: 'Version number, from 1.' })
  version!: number;

  @Field(() => ID, { description: 'The change that wrote this version.' })
  changeId!: string;

  @Field(() => PolicyChangeKind, { description: 'What the change was.' })
  change!: PolicyChangeKind;

  @Field(() => Int, { nullable: true, description: 'For a rollback, the version restored.' })
  restoredVersion!: number | null;

  @Field(() => PolicyKind, { description: 'Kind of the policy.' })
  kind!: PolicyKind;

  @Field({ description: 'Name of the policy.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Namespace of a NetworkPolicy.' })
  namespace!: string | null;

  @Field(() => PolicySpec, { description: 'The spec at this version (for a delete: the last spec).' })
  spec!: PolicySpec;

  @Field(() => ID, { nullable: true, description: 'The user who made the change.' })
  authorUserId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The API token the change was made with, if any.' })
  authorTokenId!: string | null;

  @Field({ description: 'When the version was written.' })
  createdAt!: Date;
}

export enum DiffOperation {
  Add = 'Add',
  Remove = 'Remove',
  Replace = 'Replace',
}
registerEnumType(DiffOperation, {
  name: 'DiffOperation',
  description: 'How a value differs between two versions.',
  valuesMap: {
    Add: { description: 'Present only in the later version.' },
    Remove: { description: 'Present only in the earlier version.' },
    Replace: { description: 'Present in both, with different values.' },
  },
});

@ObjectType('PolicyDiffEntry', { description: 'One difference between two versions of a policy.' })
export class PolicyDiffEntry {
  @Field(() => DiffOperation, { description: 'Add, Remove or Replace.' })
  op!: DiffOperation;

  @Field({
    description:
      "JSON pointer into the Calico resource ({kind, metadata, spec}), e.g. '/spec/ingress/0/action'; '' for the whole policy.",
  })
  path!: string;

  @Field(() => String, { nullable: true, description: 'The earlier value, as JSON; null for Add.' })
  before!: string | null;

  @Field(() => String, { nullable: true, description: 'The later value, as JSON; null for Remove.' })
  after!: string | null;
}

@ObjectType('PolicyDiff', { description: 'What changed in a policy between two versions.' })
export class PolicyDiff {
  @Field(() => ID, { description: 'The policy.' })
  policyId!: string;

  @Field(() => Int, { description: 'The earlier version compared.' })
  from!: number;

  @Field(() => Int, { description: 'The later version compared.' })
  to!: number;

  @Field(() => [PolicyDiffEntry], { description: 'Differences, in document order; empty when equal.' })
  changes!: PolicyDiffEntry[];
}
