/** One problem found by validation: where (`spec.ingress[3].destination.ports[0]`) and what. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** Collects issues under a path prefix. */
export class IssueCollector {
  readonly issues: ValidationIssue[] = [];

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }
}
