import { randomBytes } from 'node:crypto';

// Text ids with a type prefix and a time-ordered body: `ref_01jc…` says what it names and sorts by creation.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
let lastMs = 0;
let seq = 0;

export type IdPrefix = 'ref' | 'pat' | 'task' | 'appt' | 'slot' | 'clin' | 'tmpl' | 'staff' | 'queue' | 'comm' | 'abs' | 'note'
  | 'offer' // issue 10
  | 'contact' | 'notif' // issue 12: the contact log, the staff inbox
  | 'imp' // issue 13: go-live imports
  | 'hl7' // issue 14: the PAS feed's messages
  | 'ersw' | 'ersdoc' | 'erso' // issue 14: e-RS worklist entries, documents, outcomes to send
  | 'sysc' // issue 14: FHIR system clients
  | 'adm' | 'tci' | 'ths' // issue 15: admissions, TCI offers, theatre sessions
  | 'cop' // issue 15: cancelled operations (the 28-day guarantee)
  | 'pbe' // issue 16: partial booking list entries
  | 'wf' // issue 16: ward forms
  | 'att' // issue 16: attendances outside a booked clinic
  | 'fcr'; // issue 17: forecast runs

export function newId(prefix: IdPrefix | 'tmplv' | 'chg' /* issue 10: template versions, session changes */, now = Date.now()): string {
  // A per-millisecond counter keeps ids made in the same millisecond in creation order.
  if (now === lastMs) seq += 1;
  else { lastMs = now; seq = 0; }
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) { time = alphabet[t % 32] + time; t = Math.floor(t / 32); }
  const counter = seq.toString(32).padStart(3, '0');
  const rand = Array.from(randomBytes(8), (b) => alphabet[b % 32]).join('');
  return `${prefix}_${time}${counter}${rand}`;
}
