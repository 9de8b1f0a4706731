// The leader's "Move work" choices (From, To) and the refusal they got, kept outside any one screen. A team leader's
// home shows the team dashboard too, and going to the Team page swaps that dashboard for the page's own: React Router
// renders the new page in a transition, so the home's panel stays on screen and usable until the Team page is ready.
// Kept in a component's state, a choice made in that moment (and the refusal it got) went with the home's panel; here
// both panels show the same choices, whichever one the leader used.
import { useCallback, useSyncExternalStore } from 'react';
import type { Refusal } from '../tasks/bulk-assign';

export type MoveChoices = { from: string; to: string; refusal: Refusal | null };

const none: MoveChoices = { from: '', to: '', refusal: null };
let current = none;
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

function set(change: Partial<MoveChoices>) {
  current = { ...current, ...change };
  for (const listener of listeners) listener();
}

/** Forgets the choices (signing out: the next person starts with none). */
export const forgetMoveChoices = () => set(none);

export function useMoveChoices(): [MoveChoices, (change: Partial<MoveChoices>) => void] {
  const choices = useSyncExternalStore(subscribe, () => current);
  return [choices, useCallback(set, [])];
}
