import { useId, type ReactNode } from 'react';

/** A labelled input with its hint and its problem (ours or the server's), tied by aria-describedby. */
export function Field({
  label,
  hint,
  error,
  errorSource,
  name,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  /** Whose word the problem is: the server's answer or the form's own check. */
  errorSource?: 'server' | 'local';
  name?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`} data-field={name}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={errorId} className="field-error" role="alert" data-source={errorSource}>
          {error}
        </small>
      )}
    </div>
  );
}
