import { useState, type FormEvent } from 'react';
import { api, ApiError, call, errorText } from '../api/client';
import { Field } from '../components/field';
import { PasswordInput } from '../components/password-input';
import { passwordProblem, PASSWORD_MAX, PASSWORD_MIN } from '../lib/password';
import { useSession } from '../lib/session';

type Errors = Partial<Record<'currentPassword' | 'newPassword', string>>;
const FIELDS = ['currentPassword', 'newPassword'];

/** The signed-in user sets their own password, proving the current one if they have one. */
export function AccountPasswordPage() {
  const { me } = useSession();
  // a password sign-in proves there is one; a pasted token does not tell
  const hasPassword = me?.kind === 'session';
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [checkNext, setCheckNext] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [sources, setSources] = useState<'local' | 'server'>('local');
  const [formError, setFormError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  const liveNext = checkNext && next !== '';
  const shown: Errors = { ...errors, newPassword: liveNext ? passwordProblem(next) : errors.newPassword };
  const sourceOf = (f: keyof Errors) =>
    shown[f] ? (f === 'newPassword' && liveNext ? 'local' : sources) : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Errors = {};
    if (hasPassword && !current) local.currentPassword = 'is required: you have a password';
    local.newPassword = next ? passwordProblem(next) : 'is required';
    if (!local.newPassword) delete local.newPassword;
    setCheckNext(true);
    setErrors(local);
    setSources('local');
    setFormError(undefined);
    setDone(undefined);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await call(
        api.POST('/api/v1/me/password', {
          body: { ...(current ? { currentPassword: current } : {}), newPassword: next },
        }),
      );
      setDone('Your password is changed. Your sign-in sessions elsewhere have ended; this one stays.');
    } catch (err) {
      setSources('server');
      if (err instanceof ApiError) {
        setErrors(Object.fromEntries(Object.entries(err.fieldErrors()).filter(([p]) => FIELDS.includes(p))));
        const other = err.details.filter((d) => !FIELDS.includes(d.path));
        setFormError(
          other.length
            ? `${err.message}: ${other.map((d) => `${d.path} ${d.message}`).join('; ')}`
            : err.details.length
              ? 'Correct the fields marked below.'
              : errorText(err),
        );
      } else setFormError(errorText(err));
    } finally {
      // sent: neither password is kept, whatever the answer
      setCurrent('');
      setNext('');
      setCheckNext(false);
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>Change my password</h1>
      <p className="muted">
        Signed in as {me?.user.name} ({me?.tenant.name}). With a password you sign in by user name on the
        sign-in page&rsquo;s User account tab.
      </p>
      <div className="narrow">
        <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-label="Change my password">
          {formError && (
            <div className="state state-error" role="alert">
              {formError}
            </div>
          )}
          <Field
            label="Current password"
            name="currentPassword"
            hint={hasPassword ? undefined : 'Leave it empty only if you have no password yet'}
            error={shown.currentPassword}
            errorSource={sourceOf('currentPassword')}
          >
            {(p) => (
              <PasswordInput
                {...p}
                name="currentPassword"
                autoComplete="current-password"
                value={current}
                onChange={setCurrent}
              />
            )}
          </Field>
          <Field
            label="New password"
            name="newPassword"
            hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters. Your sign-in sessions in other browsers end; this one stays.`}
            error={shown.newPassword}
            errorSource={sourceOf('newPassword')}
          >
            {(p) => (
              <PasswordInput
                {...p}
                name="newPassword"
                autoComplete="new-password"
                value={next}
                onChange={setNext}
                onBlur={() => setCheckNext(true)}
              />
            )}
          </Field>
          <div className="row end">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Saving…' : 'Change password'}
            </button>
          </div>
        </form>
        <p role="status" className={done ? 'notice' : 'sr-only'}>
          {done}
        </p>
      </div>
    </section>
  );
}
