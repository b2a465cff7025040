import { useEffect, useState } from 'react';

/** The console's routes; anything else shows the clusters (signed in) or the login page. */
export type Route = '/login' | '/signup' | '/clusters';

const ROUTES: readonly Route[] = ['/login', '/signup', '/clusters'];

function currentRoute(): Route | undefined {
  return ROUTES.find((route) => route === window.location.pathname);
}

export function navigate(route: Route, options: { replace?: boolean } = {}) {
  if (window.location.pathname === route) return;
  if (options.replace) window.history.replaceState(null, '', route);
  else window.history.pushState(null, '', route);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The route in the address bar, following pushState and the back button. */
export function useRoute(): Route | undefined {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

/** A same-origin link that navigates without reloading the page. */
export function Link({ to, children }: { to: Route; children: React.ReactNode }) {
  return (
    <a
      href={to}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
