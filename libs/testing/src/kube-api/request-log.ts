import type { PatchType } from './resource-operations.js';

export type KubeVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'discovery'
  | 'unknown';

/** One request as the server saw it. */
export interface KubeRequestRecord {
  method: string;
  /** The URL path, without the query string. */
  path: string;
  query: Record<string, string>;
  verb: KubeVerb;
  /** `pods`, `tiers.projectcalico.org`; absent for discovery and unknown paths. */
  resource?: string;
  namespace?: string;
  name?: string;
  patchType?: PatchType;
  /** HTTP status of the response (a watch is 200 as soon as it starts streaming). */
  status?: number;
}

export type KubeRequestFilter = Partial<
  Pick<KubeRequestRecord, 'verb' | 'resource' | 'namespace' | 'name' | 'method'>
>;

/** The requests a server has received, in arrival order, for tests to assert on. */
export class RequestLog {
  private readonly records: KubeRequestRecord[] = [];

  get all(): readonly KubeRequestRecord[] {
    return this.records;
  }

  add(record: KubeRequestRecord): KubeRequestRecord {
    this.records.push(record);
    return record;
  }

  count(filter: KubeRequestFilter = {}): number {
    return this.matching(filter).length;
  }

  matching(filter: KubeRequestFilter): KubeRequestRecord[] {
    const entries = Object.entries(filter) as [keyof KubeRequestRecord, unknown][];
    return this.records.filter((record) => entries.every(([key, value]) => record[key] === value));
  }

  clear(): void {
    this.records.length = 0;
  }
}
