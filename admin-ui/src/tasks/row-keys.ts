// j/k (or n/p) move the highlighted row, Enter opens it, x ticks it for a bulk action; c claims
// the next item (a page-wide shortcut, see useShortcut).
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

// Dialogs, drop-down lists and pop-up menus keep their keys. The sidebar is a menu too (role="menu"),
// but focus stays on its link after a click, so it must not switch the page's shortcuts off.
export function insideOverlay(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    target.closest('[role="dialog"], [role="listbox"], .MuiPopover-root, .MuiPopper-root, [role="menu"]:not(.RaMenu-open):not(.RaMenu-closed)') != null
  );
}

export interface RowKeyHandlers<T> {
  rows: T[];
  onOpen: (row: T) => void;
  onClaimTop?: () => void;
  /** Tick or untick the highlighted row (lists with bulk actions). */
  onToggle?: (row: T) => void;
  /** The table: Enter only opens a row when focus is on the page itself or in this table. */
  tableRef: RefObject<HTMLElement | null>;
}

export function useRowKeys<T extends { id: unknown }>({ rows, onOpen, onClaimTop, onToggle, tableRef }: RowKeyHandlers<T>) {
  const [selected, setSelected] = useState(0);

  // Keep the highlight on a row that exists as the list changes under it.
  useEffect(() => {
    if (selected > rows.length - 1) setSelected(Math.max(0, rows.length - 1));
  }, [rows.length, selected]);

  const latest = useLatest({ rows, selected, onOpen, onClaimTop, onToggle, tableRef });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const { rows, selected, onOpen, onClaimTop, onToggle, tableRef } = latest.current;
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTyping(event.target) || insideOverlay(event.target)) return;
      const key = event.key;
      if (key === 'j' || key === 'n') {
        event.preventDefault();
        setSelected((index) => Math.min(index + 1, Math.max(0, rows.length - 1)));
      } else if (key === 'k' || key === 'p') {
        event.preventDefault();
        setSelected((index) => Math.max(index - 1, 0));
      } else if (key === 'Enter') {
        const active = document.activeElement;
        const onPage = active == null || active === document.body || tableRef.current?.contains(active);
        if (!onPage || rows.length === 0) return;
        event.preventDefault();
        onOpen(rows[Math.min(selected, rows.length - 1)]);
      } else if ((key === 'c' || key === 'C') && onClaimTop) {
        event.preventDefault();
        onClaimTop();
      } else if (key === 'x' && onToggle && rows.length > 0) {
        event.preventDefault();
        onToggle(rows[Math.min(selected, rows.length - 1)]);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [latest]);

  // Bring the highlighted row into view when it moves off screen.
  useEffect(() => {
    const row = tableRef.current?.querySelector<HTMLElement>(`[data-row-index="${selected}"]`);
    row?.scrollIntoView?.({ block: 'nearest' });
  }, [selected, tableRef]);

  return { selected, setSelected };
}

/**
 * A single-key shortcut for the whole page (not while typing or inside a dialog or menu), live for
 * as long as the component using it is on screen.
 */
export function useShortcut(keys: string[], handler: ((key: string) => void) | undefined) {
  const latest = useLatest(handler);
  const enabled = handler !== undefined;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTyping(event.target) || insideOverlay(event.target)) return;
      if (!keys.includes(event.key)) return;
      event.preventDefault();
      latest.current?.(event.key);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
    // keys is a literal at each call site
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, latest, keys.join('|')]);
}

/**
 * The value from the last commit, for a listener registered once. Updated in a layout effect (before
 * the browser can deliver another key), not a passive one: a key pressed the moment the page shows its
 * new state must act on that state, not the one before (the calendar's ← right after → went back two weeks).
 */
function useLatest<T>(value: T) {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
