// Workflow time as the trust's calendar: Date.now() inside a workflow is workflow time, so these are
// deterministic. A deadline on a date falls at 00:00Z of that date.
export const workflowToday = () => new Date(Date.now()).toISOString().slice(0, 10);
export const startOfDayMs = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);
