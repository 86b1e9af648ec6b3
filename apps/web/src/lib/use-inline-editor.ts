import { useRef, useState } from 'react';

/**
 * An inline form opened from a button: what it edits (`'new'` for a new one), and the keyboard
 * handed back to the button that opened it when it closes (or to the page heading, if that
 * button is gone).
 */
export function useInlineEditor<T>() {
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const open = (what: T | 'new') => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setEditing(what);
  };
  const close = () => {
    setEditing(null);
    const back = opener.current;
    requestAnimationFrame(() => (back?.isConnected ? back : heading.current)?.focus());
  };
  return { editing, open, close, heading };
}
