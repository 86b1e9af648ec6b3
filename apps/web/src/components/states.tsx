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
  // not there (or not yours): asking again cannot help
  const missing = error instanceof ApiError && error.status === 404;
  return (
    <div className="state state-error" role="alert">
      <strong>{missing ? 'Not found.' : 'Something went wrong.'}</strong> {errorText(error)}
      {retry && !missing && (
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
