/** Keyboard shortcuts: single keys outside text fields, as in every desk (j/k, Enter, /, g q …). */
import { useEffect, useRef } from 'react';

const typing = (target: EventTarget | null): boolean => {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
};

/** `bindings` keys: 'j', 'Enter', '/', 'g q' (a sequence), 'ctrl+Enter' (works inside fields too). */
export function useShortcuts(bindings: Record<string, (e: KeyboardEvent) => void>): void {
  const ref = useRef(bindings);
  ref.current = bindings;
  useEffect(() => {
    let prefix: string | null = null;
    let prefixTimer: number | undefined;
    const onKey = (e: KeyboardEvent) => {
      const b = ref.current;
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && b['ctrl+Enter']) {
        e.preventDefault();
        b['ctrl+Enter'](e);
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const key = prefix ? `${prefix} ${e.key}` : e.key;
      if (b[key]) {
        e.preventDefault();
        prefix = null;
        b[key](e);
        return;
      }
      if (Object.keys(b).some((k) => k.startsWith(`${e.key} `))) {
        prefix = e.key;
        window.clearTimeout(prefixTimer);
        prefixTimer = window.setTimeout(() => (prefix = null), 1000);
      } else prefix = null;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
