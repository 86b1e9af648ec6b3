import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError, call, errorText } from '../../api/client';
import type { Role, User } from '../../api/types';
import { Field } from '../../components/field';
import { PasswordInput } from '../../components/password-input';
import { passwordProblem, PASSWORD_MAX, PASSWORD_MIN } from '../../lib/password';
import { useSession } from '../../lib/session';

const ROLES: Role[] = ['member', 'operator', 'admin'];
const FIELDS = ['name', 'role', 'email', 'password'];

type Errors = Partial<Record<'name' | 'role' | 'email' | 'password', string>>;

/**
 * Add a user, or change one's role, email or password. The password is write-only: sent once,
 * then emptied, whatever the answer.
 */
export function UserForm({
  user,
  onSaved,
  onCancel,
}: {
  user?: User;
  onSaved: (saved: User, what: string) => void;
  onCancel: () => void;
}) {
  const { me } = useSession();
  const self = user !== undefined && user.id === me?.user.id;
  const [name, setName] = useState(user?.name ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'member');
  const [email, setEmail] = useState(user?.email ?? '');
  const [password, setPassword] = useState('');
  // the password's rule is said once the box is left (or the form sent), then as it is typed
  const [checkPassword, setCheckPassword] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [sources, setSources] = useState<'local' | 'server'>('local');
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const mine = ROLES.indexOf(me?.role ?? 'member');
  // open: the keyboard starts in the form
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled])')?.focus();
  }, []);

  // a typed password is checked as the server would, live once the box was left or the form sent
  const livePassword = checkPassword && password !== '';
  const shown: Errors = {
    ...errors,
    password: livePassword ? passwordProblem(password) : errors.password,
  };
  const sourceOf = (f: keyof Errors) =>
    shown[f] ? (f === 'password' && livePassword ? 'local' : sources) : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Errors = {};
    if (!user && !name.trim()) local.name = 'is required';
    if (password && passwordProblem(password)) local.password = passwordProblem(password);
    setCheckPassword(true);
    setErrors(local);
    setSources('local');
    setFormError(undefined);
    if (Object.keys(local).length) return;
    const changes = user && {
      ...(role !== user.role ? { role } : {}),
      // emptied: cleared on the server
      ...(email.trim() !== (user.email ?? '') ? { email: email.trim() || null } : {}),
      ...(password ? { password } : {}),
    };
    if (changes && Object.keys(changes).length === 0) {
      onCancel();
      return;
    }
    setBusy(true);
    try {
      const saved = user
        ? await call<User>(
            api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: changes ?? {} }),
          )
        : await call<User>(
            api.POST('/api/v1/users', {
              body: {
                name: name.trim(),
                role,
                ...(email.trim() ? { email: email.trim() } : {}),
                ...(password ? { password } : {}),
              },
            }),
          );
      onSaved(saved, savedText(saved, user, password !== ''));
    } catch (err) {
      setSources('server');
      setErrors(problemsOf(err, !user));
      setFormError(formProblem(err, !user));
    } finally {
      // sent: the password is not kept, whatever the answer
      setPassword('');
      setCheckPassword(false);
      setBusy(false);
    }
  };

  return (
    <form
      ref={form}
      className="card user-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={user ? 'Edit user' : 'Add user'}
    >
      <h2>{user ? `Edit ${user.name}` : 'Add a user'}</h2>
      {formError && (
        <div className="state state-error" role="alert">
          {formError}
        </div>
      )}
      <div className="grid2">
        {!user && (
          <Field
            label={
              <>
                User name<span className="req"> *</span>
              </>
            }
            name="name"
            hint="Lowercase letters, digits and -: alice, ci-bot"
            error={shown.name}
            errorSource={sourceOf('name')}
          >
            {(p) => (
              <input
                {...p}
                name="name"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
        )}
        <Field
          label="Role"
          name="role"
          hint={self ? 'No one changes their own role' : undefined}
          error={shown.role}
          errorSource={sourceOf('role')}
        >
          {(p) => (
            <select {...p} value={role} disabled={self} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r, i) => (
                // above one's own role: not to be given (the user's present role is still shown)
                <option key={r} value={r} disabled={i > mine && r !== user?.role}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Email"
          name="email"
          hint={user ? 'Optional; empty clears it' : 'Optional'}
          error={shown.email}
          errorSource={sourceOf('email')}
        >
          {(p) => (
            <input
              {...p}
              name="email"
              type="email"
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        {self ? (
          <div className="field">
            <span className="field-label">Password</span>
            <small className="hint">
              Your own password is changed with the current one:{' '}
              <Link to="/account/password">Change my password</Link>
            </small>
          </div>
        ) : (
          <Field
            label={user ? 'New password' : 'Password'}
            name="password"
            hint={
              user
                ? `${PASSWORD_MIN} to ${PASSWORD_MAX} characters; empty keeps the present one. A new password ends ${user.name}'s sign-in sessions (not their API tokens).`
                : `${PASSWORD_MIN} to ${PASSWORD_MAX} characters. Empty: the user signs in with API tokens only.`
            }
            error={shown.password}
            errorSource={sourceOf('password')}
          >
            {(p) => (
              <PasswordInput
                {...p}
                name="password"
                autoComplete="new-password"
                value={password}
                onChange={setPassword}
                onBlur={() => setCheckPassword(true)}
              />
            )}
          </Field>
        )}
      </div>
      <div className="row end">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : user ? 'Save' : 'Create user'}
        </button>
      </div>
    </form>
  );
}

/** The API's problems beside the boxes they name (`details[].path`); a taken name beside the name. */
function problemsOf(err: unknown, adding: boolean): Errors {
  if (!(err instanceof ApiError)) return {};
  if (err.status === 409 && adding) return { name: err.message };
  return Object.fromEntries(Object.entries(err.fieldErrors()).filter(([path]) => FIELDS.includes(path)));
}

/** What the form as a whole is told: a refusal (403: an operator and an admin, or oneself) in full. */
function formProblem(err: unknown, adding: boolean): string {
  if (!(err instanceof ApiError)) return errorText(err);
  const other = err.details.filter((d) => !FIELDS.includes(d.path));
  if (other.length) return `${err.message}: ${other.map((d) => `${d.path} ${d.message}`).join('; ')}`;
  if (err.details.length || (err.status === 409 && adding)) return 'Correct the fields marked below.';
  return errorText(err);
}

/** What was done, for the page's status line. */
function savedText(saved: User, before: User | undefined, passwordSet: boolean): string {
  if (!before) return `User ${saved.name} added${saved.hasPassword ? ' with a password' : ''}.`;
  const parts = [
    saved.role !== before.role && `role now ${saved.role}`,
    saved.email !== before.email && (saved.email ? `email now ${saved.email}` : 'email cleared'),
    passwordSet && 'new password set; their sign-in sessions ended',
  ].filter(Boolean);
  return `User ${saved.name} saved${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}
