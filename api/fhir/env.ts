import type { AppEnv, Role } from '../context';

export type FhirCaller = { kind: 'staff'; id: string; name: string; role: Role } | { kind: 'system'; id: string; name: string };
export type FhirEnv = { Variables: AppEnv['Variables'] & { fhirCaller: FhirCaller } };
