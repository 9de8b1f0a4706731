// Reading HL7 back in tests with a parser independent of the one we build with (hl7-standard, not node-hl7-client).
// hl7-standard splits fields, components and repetitions but leaves escape sequences as they are: `text` undoes them
// per HL7 v2.5 §2.7, so a test compares the value a PAS would read.
import HL7 from 'hl7-standard';

type Parsed = { get(path: string, segmentIndex?: number, repetition?: number): unknown };

export function unescapeHl7(value: string): string {
  return value.replace(/\\(F|S|T|R|E|X0D)\\/g, (_, c: string) => ({ F: '|', S: '^', T: '&', R: '~', E: '\\', X0D: '\r' })[c]!);
}

export function parseHl7(message: string) {
  const h = new (HL7 as unknown as new (raw: string) => Parsed & { transform(): void })(message.replace(/\r\n?|\n/g, '\r'));
  h.transform();
  const raw = (path: string, repetition = 0, segmentIndex = 0) => {
    const v = h.get(path, segmentIndex, repetition);
    return typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v);
  };
  return {
    raw,
    /** A component's value as the PAS reads it (escapes undone). */
    text: (path: string, repetition = 0, segmentIndex = 0) => unescapeHl7(raw(path, repetition, segmentIndex)),
    segments: message.split(/\r\n?|\n/).filter(Boolean).map((s) => s.slice(0, 3)),
  };
}
