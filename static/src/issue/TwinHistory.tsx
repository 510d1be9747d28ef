// One twin's sync history, newest first: what happened, why, and each field
// that changed, from → to.
import { timeAgo } from '../lib/relative-time';
import type { HistoryEntry } from '../schemas';
import { causeText, itemChangeText, outcomeText, valueText, valueTitle } from './history-text';

const SHOWN = 5;

function Entry({ entry, remote, now }: { entry: HistoryEntry; remote: string; now: number }) {
  const failed = entry.outcome === 'error';
  // A change that reads the same before and after (an empty document replacing nothing) is noise here.
  const changes = entry.changes.filter((change) => valueText(change.from) !== valueText(change.to));
  return (
    <li className={`history__entry${failed ? ' history__entry--error' : ''}`} data-testid="history-entry">
      <div className="history__head">
        <span className="history__arrow" aria-hidden>
          {entry.direction === 'out' ? '→' : '←'}
        </span>
        <strong>{outcomeText(entry, remote)}</strong>
        <span className="history__why">because {causeText(entry.cause)}</span>
        <span className="history__when">{timeAgo(entry.at, now)}</span>
      </div>
      {entry.message && (failed || entry.outcome === 'connected') ? <p className={failed ? 'field-error' : 'history__message'}>{entry.message}</p> : null}
      {changes.length > 0 ? (
        <ul className="history__changes">
          {changes.map((change, i) => (
            <li key={`${change.field}-${i}`}>
              {itemChangeText(change) ?? (
                <>
                  <span className="history__field">{change.field}</span> <span title={valueTitle(change.from)}>{valueText(change.from)}</span> →{' '}
                  <span title={valueTitle(change.to)}>{valueText(change.to)}</span>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {entry.warnings?.length ? (
        <ul className="history__warnings">
          {entry.warnings.map((warning, i) => (
            <li key={i}>{warning}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function TwinHistory({ entries, remote, now }: { entries: HistoryEntry[]; remote: string; now: number }) {
  if (entries.length === 0) return null;
  const recent = entries.slice(0, SHOWN);
  const older = entries.slice(SHOWN);
  return (
    <div className="history" data-testid="twin-history">
      <ul className="history__list" aria-label="Sync history">
        {recent.map((entry, i) => (
          <Entry key={`${entry.at}-${i}`} entry={entry} remote={remote} now={now} />
        ))}
      </ul>
      {older.length > 0 ? (
        <details className="history__older">
          <summary>{older.length} older</summary>
          <ul className="history__list">
            {older.map((entry, i) => (
              <Entry key={`${entry.at}-${i}`} entry={entry} remote={remote} now={now} />
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
