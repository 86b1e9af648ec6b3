import type { ReactNode } from 'react';
import { ApiError, errorText } from '../api/client';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  // not there (or not yours), or not allowed (e.g. outside the tenant's entitlements): asking
  // again cannot help
  const status = error instanceof ApiError ? error.status : undefined;
  const final = status === 404 || status === 403;
  const title = status === 404 ? 'Not found.' : status === 403 ? 'Not allowed.' : 'Something went wrong.';
  return (
    <div className="state state-error" role="alert">
      <strong>{title}</strong> {errorText(error)}
      {retry && !final && (
        <button type="button" className="btn btn-small" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** The three states of a loaded resource, then its content. */
export function Async<T>({
  state,
  what,
  children,
}: {
  state: { data: T | undefined; error: unknown; loading: boolean; reload: () => void };
  what?: string;
  children: (data: T) => ReactNode;
}) {
  if (state.error) return <ErrorBox error={state.error} retry={state.reload} />;
  if (state.data === undefined) return <Loading what={what} />;
  return <>{children(state.data)}</>;
}
