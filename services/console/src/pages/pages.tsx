import { lazy, Suspense } from 'react';
import { AccessPage } from './access/access-page';
import { ClustersPage } from './clusters/clusters-page';
import { CompliancePage } from './compliance/compliance-page';
import { FlowsPage } from './flows/flows-page';
import { PoliciesPage } from './policies/policies-page';
import { RecommendationsPage } from './recommendations/recommendations-page';

/**
 * The signed-in pages, in navigation order: one entry per page, so adding a page is one line
 * here. A page reads who is signed in with `useViewer()` / `useCan()`, and its own query
 * parameters with `useSearchParams()`.
 */
export interface ConsolePage {
  /** The path in the address bar (no query). */
  readonly path: string;
  /** The link text in the navigation, also the document title. */
  readonly title: string;
  readonly render: () => React.ReactNode;
}

// The graph page brings its WebGL renderer (sigma, graphology) in its own chunk, loaded when opened.
const GraphPage = lazy(() => import('./graph/graph-page').then((module) => ({ default: module.GraphPage })));

export const PAGES: readonly ConsolePage[] = [
  { path: '/clusters', title: 'Clusters', render: () => <ClustersPage /> },
  {
    path: '/graph',
    title: 'Graph',
    render: () => (
      <Suspense fallback={<p role="status">Loading the graph…</p>}>
        <GraphPage />
      </Suspense>
    ),
  },
  { path: '/flows', title: 'Flows', render: () => <FlowsPage /> },
  { path: '/policies', title: 'Policies', render: () => <PoliciesPage /> },
  { path: '/recommendations', title: 'Recommendations', render: () => <RecommendationsPage /> },
  { path: '/compliance', title: 'Compliance', render: () => <CompliancePage /> },
  { path: '/access', title: 'Access', render: () => <AccessPage /> },
];

/** Where a signed-in visitor lands when the path names no page. */
export const HOME = PAGES[0]!;

export function pageAt(path: string): ConsolePage | undefined {
  return PAGES.find((page) => page.path === path);
}
