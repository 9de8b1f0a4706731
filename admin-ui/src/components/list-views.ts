// Preset views of a list (filters by name), and which one a list's filter currently is.

export interface ListView {
  key: string;
  label: string;
  filter: () => Record<string, unknown>;
}

/** The view a filter is exactly, if any (the census date and the search box do not count). */
export function listViewOf(filter: Record<string, unknown>, views: readonly ListView[]): ListView | undefined {
  const own = Object.fromEntries(Object.entries(filter).filter(([key, v]) => key !== 'census' && key !== 'q' && v !== undefined && v !== ''));
  return views.find((view) => {
    const wanted = view.filter();
    const keys = new Set([...Object.keys(wanted), ...Object.keys(own)]);
    return [...keys].every((key) => JSON.stringify(wanted[key]) === JSON.stringify(own[key]));
  });
}
