// The forecast check's probe (issue 17): the forecast (domain/forecast.ts) made from the simulation's database.
// Undefined until the forecast is in this build; the simulation then skips the check and says so.
import type { ForecastProbe } from './simulation';

export const simulationForecastProbe: ForecastProbe | undefined = undefined;
