import { createContext, useContext } from 'react';
import type { Role, ViewerQuery } from '../api/generated';
import type { Answered } from '../api/graphql';

export type Viewer = Answered<ViewerQuery>['me'];

/** Roles from least to most privileged, as the API orders them. */
export const ROLE_ORDER: readonly Role[] = ['viewer', 'editor', 'admin', 'owner'];

const ViewerContext = createContext<Viewer | undefined>(undefined);

export const ViewerProvider = ViewerContext.Provider;

/** Who is signed in. Only inside the signed-in frame. */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (viewer === undefined) throw new Error('useViewer outside the signed-in frame');
  return viewer;
}

/**
 * Whether the signed-in member's role grants at least `required`. Pages hide the controls a role
 * cannot use; the server refuses them anyway (the browser tests check both).
 */
export function useCan(required: Role): boolean {
  const { role } = useViewer();
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(required);
}
