import { useEffect, useRef, useState } from 'react';
import { CellInput, type ErrorFor } from '../../components/cell-input';
import { DateInput } from '../../components/date-input';
import { Field } from '../../components/field';
import {
  newRow,
  shapeProblem,
  toBody,
  toDraft,
  type PriceListDraft,
  type PriceRow,
} from '../../lib/price-list';
import { DATE_FORMAT } from '../../lib/format';

const P = 'priceList';

/**
 * The price list as a form: currency, source, date, a table of instance types (add and remove
 * rows), an optional rate card, and a JSON view for pasting a whole list. Every box carries the
 * API's path, so the form's checks and the server's answer land next to the value they name.
 */
export function PriceListEditor({
  draft,
  onChange,
  errorFor,
  onJsonProblem,
  submits,
}: {
  draft: PriceListDraft;
  /** Counts the form's submits: each one shows the table again, where its problems are marked. */
  submits: number;
  onChange: (path: string, next: PriceListDraft) => void;
  errorFor: ErrorFor;
  /** The JSON view holds text that does not parse: the form must not be sent as it is. */
  onJsonProblem: (problem: string | undefined) => void;
}) {
  const inputs = useRef(new Map<string, HTMLInputElement>());
  const addButton = useRef<HTMLButtonElement>(null);
  // after adding or removing a row, where the keyboard goes next
  const [focusNext, setFocusNext] = useState<string | 'add'>();
  const [json, setJson] = useState<string>();
  const [jsonError, setJsonError] = useState<string>();

  useEffect(() => {
    if (focusNext === undefined) return;
    (focusNext === 'add' ? addButton.current : inputs.current.get(focusNext))?.focus();
    setFocusNext(undefined);
  }, [focusNext]);

  useEffect(() => {
    // a JSON view that parses is already in the draft; one that does not stays open to be fixed
    if (submits > 0) setJson((open) => (open !== undefined && jsonError === undefined ? undefined : open));
    // on a new submit only, not as the text changes
  }, [submits]);

  const set = (path: string, change: Partial<PriceListDraft>) => onChange(path, { ...draft, ...change });
  const setRow = (i: number, field: keyof Omit<PriceRow, 'key'>, value: string) =>
    onChange(`${P}.instanceTypes.${i}.${field}`, {
      ...draft,
      rows: draft.rows.map((r, n) => (n === i ? { ...r, [field]: value } : r)),
    });
  const add = () => {
    const row = newRow();
    onChange(`${P}.instanceTypes`, { ...draft, rows: [...draft.rows, row] });
    setFocusNext(`${row.key}.name`);
  };
  const remove = (i: number) => {
    const rows = draft.rows.filter((_, n) => n !== i);
    onChange(`${P}.instanceTypes`, { ...draft, rows });
    const next = rows[i] ?? rows[i - 1];
    setFocusNext(next ? `${next.key}.name` : 'add');
  };

  const openJson = () => {
    setJson(JSON.stringify(toBody(draft), null, 2));
    setJsonError(undefined);
  };
  const editJson = (text: string) => {
    setJson(text);
    try {
      const parsed = JSON.parse(text) as unknown;
      const problem = shapeProblem(parsed);
      setJsonError(problem);
      onJsonProblem(problem);
      if (!problem) onChange(P, toDraft(parsed as Parameters<typeof toDraft>[0]));
    } catch (err) {
      const problem = `is not valid JSON (${err instanceof Error ? err.message : String(err)})`;
      setJsonError(problem);
      onJsonProblem(problem);
    }
  };

  const listProblem = errorFor(P).error;
  const typesProblem = errorFor(`${P}.instanceTypes`).error;
  return (
    <fieldset className="price-list" data-field={P}>
      <legend>Price list</legend>
      {listProblem && <p className="field-error">{listProblem}</p>}
      <div className="grid3">
        <Field
          label="Currency"
          name={`${P}.currency`}
          hint="ISO 4217: USD, EUR"
          {...errorFor(`${P}.currency`)}
        >
          {(p) => (
            <input
              {...p}
              value={draft.currency}
              maxLength={3}
              autoCapitalize="characters"
              onChange={(e) => set(`${P}.currency`, { currency: e.target.value.toUpperCase() })}
            />
          )}
        </Field>
        <Field
          label="Source"
          name={`${P}.source`}
          hint="Where the prices come from"
          {...errorFor(`${P}.source`)}
        >
          {(p) => (
            <input
              {...p}
              value={draft.source}
              placeholder="internal rate card 2026"
              onChange={(e) => set(`${P}.source`, { source: e.target.value })}
            />
          )}
        </Field>
        <Field
          label="Date"
          name={`${P}.date`}
          hint={`When the prices were taken, as ${DATE_FORMAT}`}
          {...errorFor(`${P}.date`)}
        >
          {(p) => <DateInput {...p} value={draft.date} onChange={(date) => set(`${P}.date`, { date })} />}
        </Field>
      </div>
      {json === undefined ? (
        <>
          <h3 id="instance-types-title">Instance types</h3>
          {typesProblem && <p className="field-error">{typesProblem}</p>}
          {draft.rows.length === 0 ? (
            <p className="muted">
              {draft.useRateCard
                ? 'No instance types: the rate card prices the sizes the cloud offers.'
                : 'No instance types yet: add one, or price any size with a rate card.'}
            </p>
          ) : (
            <div className="table-wrap">
              <table className="edit-table" aria-labelledby="instance-types-title">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">vCPUs</th>
                    <th scope="col">Memory (MiB)</th>
                    <th scope="col">Hourly price ({draft.currency || '?'})</th>
                    <th scope="col">
                      <span className="sr-only">Remove</span>
                    </th>
                  </tr>
                </thead>
                <tbody>{draft.rows.map((r, i) => priceRow(r, i))}</tbody>
              </table>
            </div>
          )}
          <div className="row">
            <button type="button" className="btn btn-small" ref={addButton} onClick={add}>
              Add instance type
            </button>
            <button type="button" className="btn btn-small" onClick={openJson}>
              Edit as JSON
            </button>
          </div>
        </>
      ) : (
        <>
          <Field
            label="Price list (JSON)"
            name={`${P}.json`}
            hint="The body the API takes; the table shows it again when you go back"
            error={jsonError}
            errorSource="local"
          >
            {(p) => (
              <textarea
                {...p}
                rows={12}
                className="mono"
                value={json}
                onChange={(e) => editJson(e.target.value)}
              />
            )}
          </Field>
          <button
            type="button"
            className="btn btn-small"
            disabled={jsonError !== undefined}
            onClick={() => setJson(undefined)}
          >
            Back to the table
          </button>
        </>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={draft.useRateCard}
          onChange={(e) => set(`${P}.rateCard`, { useRateCard: e.target.checked })}
        />{' '}
        Price any size with a rate card (private clouds); listed types without a price use it
      </label>
      {draft.useRateCard && (
        <div className="grid3">
          {(
            [
              ['vcpuHour', 'Per vCPU and hour'],
              ['gibRamHour', 'Per GiB of memory and hour'],
              ['gibDiskMonth', 'Per GiB of disk and month'],
            ] as const
          ).map(([k, label]) => (
            <Field key={k} label={label} name={`${P}.rateCard.${k}`} {...errorFor(`${P}.rateCard.${k}`)}>
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={draft.rateCard[k]}
                  onChange={(e) =>
                    set(`${P}.rateCard.${k}`, { rateCard: { ...draft.rateCard, [k]: e.target.value } })
                  }
                />
              )}
            </Field>
          ))}
        </div>
      )}
      <Field
        label="Storage per GiB and month"
        name={`${P}.storageGiBMonthPrice`}
        hint="Optional; with a rate card, its disk price"
        {...errorFor(`${P}.storageGiBMonthPrice`)}
      >
        {(p) => (
          <input
            {...p}
            inputMode="decimal"
            value={draft.storageGiBMonthPrice}
            onChange={(e) => set(`${P}.storageGiBMonthPrice`, { storageGiBMonthPrice: e.target.value })}
          />
        )}
      </Field>
    </fieldset>
  );

  function priceRow(r: PriceRow, i: number) {
    const at = `${P}.instanceTypes.${i}`;
    const rowProblem = errorFor(at).error;
    const cell = (field: keyof Omit<PriceRow, 'key'>, label: string, extra: Record<string, unknown> = {}) => (
      <CellInput
        path={`${at}.${field}`}
        label={label}
        row={i + 1}
        errorFor={errorFor}
        value={r[field]}
        onChange={(e) => setRow(i, field, e.target.value)}
        inputRef={(el) => {
          if (el) inputs.current.set(`${r.key}.${field}`, el);
          else inputs.current.delete(`${r.key}.${field}`);
        }}
        {...extra}
      />
    );
    return [
      <tr key={r.key} data-row={i}>
        {cell('name', 'Name', { placeholder: 't3.small', autoComplete: 'off' })}
        {cell('cpu', 'vCPUs', { inputMode: 'numeric', className: 'num' })}
        {cell('memoryMiB', 'Memory (MiB)', { inputMode: 'numeric', className: 'num' })}
        {cell('hourlyPrice', 'Hourly price', {
          inputMode: 'decimal',
          className: 'num',
          placeholder: draft.useRateCard ? 'from the rate card' : '0.0208',
        })}
        <td className="cell-action">
          <button
            type="button"
            className="btn btn-small"
            aria-label={`Remove ${r.name.trim() || `row ${i + 1}`}`}
            onClick={() => remove(i)}
          >
            Remove
          </button>
        </td>
      </tr>,
      rowProblem && (
        <tr key={`${r.key}-problem`} className="row-problem">
          <td colSpan={5} data-field={at}>
            <span className="field-error">
              Row {i + 1}: {rowProblem}
            </span>
          </td>
        </tr>
      ),
    ];
  }
}
