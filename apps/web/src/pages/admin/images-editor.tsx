import { useRef } from 'react';
import { CellInput, type ErrorFor } from '../../components/cell-input';
import { newImage, type ImageRow } from '../../lib/environment-draft';

/** The images of an environment, one per os and version, as rows to add, edit and remove. */
export function ImagesEditor({
  rows,
  errorFor,
  onChange,
}: {
  rows: ImageRow[];
  errorFor: ErrorFor;
  onChange: (path: string, rows: ImageRow[]) => void;
}) {
  // a removed row's button goes away: the keyboard goes to Add image
  const add = useRef<HTMLButtonElement>(null);
  const setRow = (i: number, field: 'os' | 'version' | 'imageId', value: string) =>
    onChange(
      `images.${i}.${field}`,
      rows.map((r, n) => (n === i ? { ...r, [field]: value } : r)),
    );
  return (
    <fieldset data-field="images">
      <legend>Images</legend>
      {errorFor('images').error && <p className="field-error">{errorFor('images').error}</p>}
      <p className="muted small">
        The image each os and version runs from: an AMI, a Glance image or a template.
      </p>
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="edit-table" aria-label="Images">
            <thead>
              <tr>
                <th scope="col">OS</th>
                <th scope="col">Version</th>
                <th scope="col">Image id</th>
                <th scope="col">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.flatMap((r, i) => [
                <tr key={r.key} data-row={i}>
                  <CellInput
                    path={`images.${i}.os`}
                    label="OS"
                    row={i + 1}
                    errorFor={errorFor}
                    value={r.os}
                    onChange={(e) => setRow(i, 'os', e.target.value)}
                  />
                  <CellInput
                    path={`images.${i}.version`}
                    label="Version"
                    row={i + 1}
                    errorFor={errorFor}
                    value={r.version}
                    onChange={(e) => setRow(i, 'version', e.target.value)}
                  />
                  <CellInput
                    path={`images.${i}.imageId`}
                    label="Image id"
                    row={i + 1}
                    errorFor={errorFor}
                    value={r.imageId}
                    onChange={(e) => setRow(i, 'imageId', e.target.value)}
                  />
                  <td className="cell-action">
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={`Remove image ${r.os} ${r.version}`.trim()}
                      onClick={() => {
                        onChange(
                          'images',
                          rows.filter((_, n) => n !== i),
                        );
                        add.current?.focus();
                      }}
                    >
                      Remove
                    </button>
                  </td>
                </tr>,
                errorFor(`images.${i}`).error && (
                  <tr key={`${r.key}-problem`} className="row-problem">
                    <td colSpan={4} data-field={`images.${i}`}>
                      <span className="field-error">
                        Row {i + 1}: {errorFor(`images.${i}`).error}
                      </span>
                    </td>
                  </tr>
                ),
              ])}
            </tbody>
          </table>
        </div>
      )}
      <button
        type="button"
        className="btn btn-small"
        ref={add}
        onClick={() => onChange('images', [...rows, newImage()])}
      >
        Add image
      </button>
    </fieldset>
  );
}
