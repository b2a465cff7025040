import { PAGES } from '../pages/pages';
import { Link } from './router';
import { useViewer } from './viewer-context';

/** The signed-in frame: brand, navigation, who is signed in, log out. */
export function Layout(props: { path: string; onLogout: () => void; children: React.ReactNode }) {
  const viewer = useViewer();
  return (
    <>
      <header className="topbar">
        <span className="brand">Meshplane</span>
        <nav aria-label="Main">
          {PAGES.map((page) => (
            <Link key={page.path} to={page.path} current={page.path === props.path}>
              {page.title}
            </Link>
          ))}
        </nav>
        <div className="who">
          <span>
            {viewer.user.email} · {viewer.tenant.name} ({viewer.role})
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
