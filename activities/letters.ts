// A letter as the PDF Notify prints and posts (a precompiled letter): A4, the address where a window envelope
// shows it, the trust's name, and the words wrapped in the patient's format. Pure and deterministic: the same
// input gives the same bytes, so a letter sent can be rendered again to be seen.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { LetterFormat } from '../domain';

export type LetterInput = {
  /** Up to 7 lines, the last a postcode (Notify's rule for an address). */
  addressLines: string[];
  /** The date printed on the letter, as words (e.g. "3 June 2026"). */
  date: string;
  subject: string;
  /** Paragraphs separated by blank lines. */
  body: string;
  format: LetterFormat;
  /** Who the letter is from: the trust header. */
  sender?: { name: string; lines: string[] };
};

const mm = (n: number) => (n * 72) / 25.4;
export const A4 = { width: mm(210), height: mm(297) } as const;
/** Notify's precompiled letter spec: the address block a window envelope shows. */
export const addressBlock = { left: mm(24.6), top: mm(39.5), width: mm(95.6), height: mm(26.8) } as const;
const margin = { left: mm(25), right: mm(20), top: mm(20), bottom: mm(20) };
const bodyTop = mm(95);

/** Body sizes: large print is 16 pt and up; easy read is larger and more spaced; standard 12 pt. */
export const letterStyles: Record<LetterFormat, { size: number; subjectSize: number; leading: number; paragraphGap: number }> = {
  standard: { size: 12, subjectSize: 14, leading: 1.35, paragraphGap: 0.8 },
  large_print: { size: 16, subjectSize: 20, leading: 1.4, paragraphGap: 0.9 },
  easy_read: { size: 14, subjectSize: 18, leading: 1.8, paragraphGap: 1.4 },
};

const defaultSender = { name: 'Access Centre', lines: ['Booking office'] };

/** Standard PDF fonts speak WinAnsi only: typographic quotes and dashes become plain ones, anything else '?'. */
function printable(font: PDFFont, text: string) {
  const known = new Set(font.getCharacterSet());
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/[–—]/g, '-')
    .replace(/./gu, (ch) => (known.has(ch.codePointAt(0)!) ? ch : '?'));
}

function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, size) > width) { lines.push(line); line = word; } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

export async function letterPdf(input: LetterInput): Promise<Uint8Array> {
  // No creation date or producer: those would make every rendering differ.
  const doc = await PDFDocument.create({ updateMetadata: false });
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const style = letterStyles[input.format];
  const sender = input.sender ?? defaultSender;
  const ink = rgb(0, 0, 0);
  const text = (page: PDFPage, s: string, x: number, yFromTop: number, size: number, font = regular) =>
    page.drawText(printable(font, s), { x, y: A4.height - yFromTop - size, size, font, color: ink });

  let page = doc.addPage([A4.width, A4.height]);
  // Trust header and date on the right, clear of the address window.
  const headerX = mm(125);
  text(page, sender.name, headerX, margin.top, 14, bold);
  sender.lines.forEach((l, i) => text(page, l, headerX, margin.top + 18 + i * 13, 11));
  text(page, input.date, headerX, addressBlock.top, 11);

  // The address: at most 7 lines, sized to fit the block whatever the body's format (it is for the post).
  const address = input.addressLines.slice(0, 7);
  const addressSize = 9;
  address.forEach((l, i) => text(page, l, addressBlock.left, addressBlock.top + i * addressSize * 1.2, addressSize));

  const width = A4.width - margin.left - margin.right;
  let y = bodyTop;
  const lineHeight = style.size * style.leading;
  const ensureRoom = (h: number) => {
    if (y + h <= A4.height - margin.bottom) return;
    page = doc.addPage([A4.width, A4.height]);
    y = margin.top;
  };
  for (const l of wrap(bold, style.subjectSize, printable(bold, input.subject), width)) {
    ensureRoom(style.subjectSize * style.leading);
    text(page, l, margin.left, y, style.subjectSize, bold);
    y += style.subjectSize * style.leading;
  }
  y += style.size * style.paragraphGap;
  for (const paragraph of input.body.split(/\n\s*\n/)) {
    for (const l of wrap(regular, style.size, printable(regular, paragraph), width)) {
      ensureRoom(lineHeight);
      text(page, l, margin.left, y, style.size);
      y += lineHeight;
    }
    y += style.size * style.paragraphGap;
  }
  return doc.save();
}
