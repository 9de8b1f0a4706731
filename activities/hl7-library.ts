// node-hl7-client, loaded on first use. Its HL7 v2 tables are 4 MB of JavaScript (10-15 MiB of RSS, about 15 MB of V8
// heap, once evaluated): a worker with no PAS feed (HL7_FEED=off, no HL7_HOST), and the API, need not carry them
// (docs/operations.md "Worker memory").
import { createRequire } from 'node:module';

type Hl7Library = typeof import('node-hl7-client');
let library: Hl7Library | undefined;

export function hl7Library(): Hl7Library {
  library ??= createRequire(import.meta.url)('node-hl7-client') as Hl7Library;
  return library;
}
