import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError, errorText } from '../api/client';
import { Field } from '../components/field';
import { useSession } from '../lib/session';

type Method = 'password' | 'token';
const METHOD_KEY = 'switchyard.signInWith';

// The way this browser signed in last. A browser that never did starts with a token: the only
// way into a new installation, whose admin has no password until one is set.
const lastMethod = (): Method => (localStorage.getItem(METHOD_KEY) === 'password' ? 'password' : 'token');

type Problems = Partial<Record<'token' | 'tenant' | 'user' | 'password' | 'form', string>>;

/** The API's answer as problems beside the boxes it names, else for the form as a whole. */
function problemsOf(err: unknown, method: Method): Problems {
  if (err instanceof ApiError && err.details.length > 0) {
    const byPath = err.fieldErrors();
    const known = method === 'token' ? ['token'] : ['tenant', 'user', 'password'];
    const out: Problems = {};
    for (const [path, message] of Object.entries(byPath)) {
      if (known.includes(path)) out[path as keyof Problems] = message;
      else out.form = `${err.message}: ${path} ${message}`;
    }
    return out;
  }
  // a refused token belongs to its box; a refused sign-in (401, 429 with the wait) to the form
  return method === 'token' ? { token: errorText(err) } : { form: errorText(err) };
}

export function SignInPage() {
  const { me, signIn, signInWithPassword, checking } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [method, setMethod] = useState<Method>(lastMethod);
  // the first box takes the focus on arrival; switching the method leaves it on the switch
  const [focusFirst, setFocusFirst] = useState(true);
  const [token, setToken] = useState('');
  const [tenant, setTenant] = useState('default');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/catalog';

  if (me && !busy) return <Navigate to={from} replace />;

  const choose = (m: Method) => {
    setMethod(m);
    setProblems({});
    setFocusFirst(false);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: Problems =
      method === 'token'
        ? { ...(token.trim() ? {} : { token: 'Paste a token' }) }
        : {
            ...(user.trim() ? {} : { user: 'Enter your user name' }),
            ...(password ? {} : { password: 'Enter your password' }),
          };
    if (Object.keys(missing).length > 0) {
      setProblems(missing);
      return;
    }
    setBusy(true);
    setProblems({});
    try {
      if (method === 'token') await signIn(token.trim());
      else await signInWithPassword({ tenant: tenant.trim() || 'default', user: user.trim(), password });
      localStorage.setItem(METHOD_KEY, method);
      await navigate(from, { replace: true });
    } catch (err) {
      setProblems(problemsOf(err, method));
      if (method === 'password') setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const methodButton = (m: Method, label: string) => (
    <button type="button" className="btn segment" aria-pressed={method === m} onClick={() => choose(m)}>
      {label}
    </button>
  );

  return (
    <main className="signin" id="main">
      <form className="card signin-card" onSubmit={(e) => void submit(e)} noValidate>
        <h1>Sign in to Switchyard</h1>
        <div className="segmented" role="group" aria-label="Sign in with">
          {methodButton('password', 'User account')}
          {methodButton('token', 'API token')}
        </div>
        {method === 'password' ? (
          <>
            <p className="muted">
              With your user name and password. You stay signed in in this browser until you sign out or the
              session ends.
            </p>
            <Field label="Tenant" name="tenant" error={problems.tenant}>
              {(p) => (
                <input
                  {...p}
                  value={tenant}
                  onChange={(e) => setTenant(e.target.value)}
                  autoCapitalize="none"
                  spellCheck={false}
                  disabled={checking}
                />
              )}
            </Field>
            <Field label="User name" name="user" error={problems.user}>
              {(p) => (
                <input
                  {...p}
                  autoComplete="username"
                  autoCapitalize="none"
                  spellCheck={false}
                  value={user}
                  onChange={(e) => setUser(e.target.value)}
                  autoFocus={focusFirst}
                  disabled={checking}
                />
              )}
            </Field>
            <Field label="Password" name="password" error={problems.password}>
              {(p) => (
                <input
                  {...p}
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  disabled={checking}
                />
              )}
            </Field>
          </>
        ) : (
          <>
            <p className="muted">
              With an API token (<code>syd_…</code>): from <code>npm start</code>, an admin, or{' '}
              <code>syd token create</code>. The browser keeps it in a cookie that no page script can read,
              until you sign out.
            </p>
            <Field label="Token" error={problems.token} name="token">
              {(p) => (
                <input
                  {...p}
                  type="password"
                  autoComplete="current-password"
                  value={token}
                  onChange={(e) => setToken(e.target.value)}
                  autoFocus={focusFirst}
                  disabled={checking}
                />
              )}
            </Field>
          </>
        )}
        {problems.form && (
          <p className="state state-error signin-error" role="alert">
            {problems.form}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy || checking}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
