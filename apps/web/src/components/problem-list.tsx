import { ApiError, errorText } from '../api/client';
import { fieldLabel } from '../lib/field-paths';

/** An API error as a person reads it: what went wrong, then each field it named and why. */
export function ProblemList({ lead, error }: { lead: string; error: unknown }) {
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div className="field-error">
      <p className="problem-lead">
        {lead}: {errorText(error)}
      </p>
      {details.length > 0 && (
        <ul className="problem-list">
          {details.map((d) => (
            <li key={`${d.path} ${d.message}`} data-path={d.path}>
              <strong>{fieldLabel(d.path)}</strong> {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
