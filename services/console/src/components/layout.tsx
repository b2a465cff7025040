import type { ViewerQuery } from '../api/generated';
import type { Answered } from '../api/graphql';
import { Link } from './router';

/** The signed-in frame: brand, navigation, who is signed in, log out. */
export function Layout(props: {
  viewer: Answered<ViewerQuery>['me'];
  onLogout: () => void;
  children: React.ReactNode;
}) {
  return (
    <>
      <header className="topbar">
        <span className="brand">Meshplane</span>
        <nav aria-label="Main">
          <Link to="/clusters">Clusters</Link>
        </nav>
        <div className="who">
          <span>
            {props.viewer.user.email} · {props.viewer.tenant.name} ({props.viewer.role})
          </span>
          <button type="button" onClick={props.onLogout}>
            Log out
          </button>
        </div>
      </header>
      <main>{props.children}</main>
    </>
  );
}
