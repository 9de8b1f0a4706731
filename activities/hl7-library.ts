// node-hl7-client, loaded on first use. Its v2.5 tables are 4 MB of JavaScript that cost a process about 100 MiB of
// RSS once evaluated: a worker or API with no PAS feed (HL7_FEED=off, no HL7_HOST) should not carry them
// (docs/operations.md "Worker memory").
import { createRequire } from 'node:module';

type Hl7Library = typeof import('node-hl7-client');
let library: Hl7Library | undefined;

export function hl7Library(): Hl7Library {
  library ??= createRequire(import.meta.url)('node-hl7-client') as Hl7Library;
  return library;
}
