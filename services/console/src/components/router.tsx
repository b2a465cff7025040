import { useEffect, useState } from 'react';

/**
 * A small history router: the path in the address bar (without the query), pushState navigation
 * and same-origin links. Which paths exist is the page registry's business (`pages/pages.tsx`).
 */
function currentPath(): string {
  return window.location.pathname;
}

/** Go to `to` (a path, optionally with `?query`), without reloading the page. */
export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (`${window.location.pathname}${window.location.search}` === to) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The path in the address bar, following pushState and the back button. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
}

/** The address bar's query parameters, following navigation. */
export function useSearchParams(): URLSearchParams {
  const [search, setSearch] = useState(() => window.location.search);
  useEffect(() => {
    const update = () => setSearch(window.location.search);
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return new URLSearchParams(search);
}

/** A same-origin link that navigates without reloading the page. */
export function Link({
  to,
  children,
  current,
}: {
  to: string;
  children: React.ReactNode;
  /** Marks the link as the current page (`aria-current="page"`). */
  current?: boolean;
}) {
  return (
    <a
      href={to}
      aria-current={current ? 'page' : undefined}
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
