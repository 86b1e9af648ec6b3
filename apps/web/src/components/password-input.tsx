import { useState } from 'react';

/**
 * A password box with a Show/Hide button, for the props a `Field` hands its input. Emptying the
 * box (as a form does after sending it) hides it again.
 */
export function PasswordInput({
  value,
  onChange,
  onBlur,
  autoComplete,
  name,
  disabled,
  ...field
}: {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  autoComplete: 'new-password' | 'current-password';
  name?: string;
  disabled?: boolean;
}) {
  const [shown, setShown] = useState(false);
  // hidden again once emptied: adjusted while rendering, not in an effect (react.dev, "you might
  // not need an effect")
  const [wasEmpty, setWasEmpty] = useState(value === '');
  if ((value === '') !== wasEmpty) {
    setWasEmpty(value === '');
    if (value === '') setShown(false);
  }
  return (
    <div className="password-box">
      <input
        {...field}
        name={name}
        type={shown ? 'text' : 'password'}
        autoComplete={autoComplete}
        autoCapitalize="none"
        spellCheck={false}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
      />
      <button
        type="button"
        className="btn btn-small"
        aria-controls={field.id}
        aria-label={shown ? 'Hide password' : 'Show password'}
        disabled={disabled}
        onClick={() => setShown((s) => !s)}
      >
        {shown ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}
