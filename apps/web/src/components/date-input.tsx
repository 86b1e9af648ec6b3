import { useRef, type InputHTMLAttributes } from 'react';
import { DATE_FORMAT } from '../lib/format';

/**
 * A date typed year first, as the app writes dates everywhere ("2026-12-05"), with a calendar
 * to pick from. The browser's own date field would show the order of its locale instead.
 */
export function DateInput({
  value,
  onChange,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  value: string;
  onChange: (value: string) => void;
}) {
  const calendar = useRef<HTMLInputElement>(null);
  return (
    <span className="row date-input">
      <input
        {...input}
        type="text"
        inputMode="numeric"
        placeholder={DATE_FORMAT}
        pattern="\d{4}-\d{2}-\d{2}"
        maxLength={10}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <button type="button" className="btn btn-small" onClick={() => calendar.current?.showPicker()}>
        Calendar
      </button>
      {/* only its picker is seen; it writes the same year-first text */}
      <input
        ref={calendar}
        type="date"
        className="date-calendar"
        tabIndex={-1}
        aria-hidden="true"
        value={/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : ''}
        onChange={(e) => onChange(e.target.value)}
      />
    </span>
  );
}
