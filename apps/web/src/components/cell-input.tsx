import { useId, type InputHTMLAttributes, type Ref } from 'react';

/** What a form says about one path: its problem and whose word it is (Field's props). */
export type ErrorFor = (path: string) => { error?: string; errorSource?: 'server' | 'local' };

/**
 * One input in a table row: a real label (hidden while the column header shows it, visible when
 * narrow screens stack the row), and its problem right under it, tied by aria-describedby.
 */
export function CellInput({
  path,
  label,
  row,
  errorFor,
  inputRef,
  ...input
}: {
  /** The API's dot path of this value: `priceList.instanceTypes.2.hourlyPrice`. */
  path: string;
  label: string;
  /** 1-based, for the label screen readers hear: "Name of row 3". */
  row: number;
  errorFor: ErrorFor;
  inputRef?: Ref<HTMLInputElement>;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>) {
  const id = useId();
  const { error, errorSource } = errorFor(path);
  return (
    <td data-field={path} className={error ? 'field-invalid' : undefined}>
      <label htmlFor={id} className="cell-label">
        {label}
        <span className="sr-only"> of row {row}</span>
      </label>
      <input
        {...input}
        ref={inputRef}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <small id={`${id}-error`} className="field-error" data-source={errorSource}>
          {error}
        </small>
      )}
    </td>
  );
}
