import { useEffect, useRef, useState } from 'react';
import type { DeploymentEvent } from '../api/types';

/**
 * The deployment's events, newest first, in a box of its own that scrolls: a new event comes in
 * at the top and the box (never the page) scrolls back to it, marked so that it shows.
 */
export function DeploymentTimeline({ events }: { events: DeploymentEvent[] }) {
  const box = useRef<HTMLOListElement>(null);
  // events made after the page opened are live ones; the rest is the history the stream replays
  const [openedAt] = useState(() => Date.now());
  const newest = events.at(-1)?.id;
  useEffect(() => {
    box.current?.scrollTo({ top: 0 });
  }, [newest]);
  if (!events.length) return <p className="muted">No events yet.</p>;
  return (
    <ol
      ref={box}
      className="timeline"
      aria-label="Timeline, newest first"
      aria-live="polite"
      // a box that scrolls: the keyboard can scroll it too
      tabIndex={0}
    >
      {[...events].reverse().map((e) => (
        <li
          key={e.id}
          data-type={e.type}
          className={Date.parse(e.createdAt) >= openedAt ? 'event-live' : undefined}
        >
          <time dateTime={e.createdAt}>
            {new Date(e.createdAt).toLocaleTimeString('en-GB', { hour12: false })}
          </time>
          <span className="badge badge-soft">{e.type}</span> {e.message}
        </li>
      ))}
    </ol>
  );
}
