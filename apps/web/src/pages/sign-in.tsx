import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { errorText } from '../api/client';
import { Field } from '../components/field';
import { useSession } from '../lib/session';

export function SignInPage() {
  const { me, signIn, checking } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/catalog';

  if (me && !busy) return <Navigate to={from} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) {
      setError('Paste a token');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await signIn(token.trim());
      await navigate(from, { replace: true });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <form className="card signin-card" onSubmit={(e) => void submit(e)} noValidate>
        <h1>Sign in to Switchyard</h1>
        <p className="muted">
          With an API token (<code>syd_…</code>): from <code>npm start</code>, an admin, or{' '}
          <code>syd token create</code>. It stays in this browser until you sign out.
        </p>
        <Field label="Token" error={error} name="token">
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              autoFocus
              disabled={checking}
            />
          )}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy || checking}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
