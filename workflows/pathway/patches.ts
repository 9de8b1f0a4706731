// Patch markers cost: each patched() records a marker event in a new pathway's history, and the server writes and
// keeps every one (issue 13: eight markers put about 45% on a new workflow's server CPU). Pathways started from here
// on record one marker for every pathway patch made before it, and take each of them as applied; histories recorded
// before it have no such marker and ask each patch on its own, as they did.
import { patched } from '@temporalio/workflow';

/** The one marker that stands for every patch in `coveredPatches`. */
export const PATCHES_OF_NOVEMBER = '2026-12-patches-of-november';

/** Every referralPathway patch before PATCHES_OF_NOVEMBER. A patch made after it asks patched() on its own: never add one here. */
export const coveredPatches: ReadonlySet<string> = new Set([
  '2026-11-trust-time', '2026-11-pathway-by-stage', '2026-11-rtt-complete', '2026-11-work-item-ladders', '2026-11-import',
  '2026-11-admitted', '2026-11-cancel-through-pathway', '2026-11-follow-up-validation', '2026-11-partial-booking',
  '2026-11-console', '2026-11-pifu-attendances', '2026-11-pifu-discharge-letters', '2026-11-follow-up-attended-on',
  '2026-11-changes', '2026-11-cash-up-cancellation',
]);

/**
 * Asked once, in the pathway's first activation (a replay of an older history answers false there, so the pathway
 * keeps asking each patch as it always did); answers whether a patch applies to this run.
 */
export function pathwayPatches(): (patchId: string) => boolean {
  const covered = patched(PATCHES_OF_NOVEMBER);
  return (patchId) => (covered && coveredPatches.has(patchId)) || patched(patchId);
}
