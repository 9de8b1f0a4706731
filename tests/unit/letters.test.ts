// Letters as PDFs: A4, readable back, the address inside Notify's window, large print larger, the same bytes
// every time for the same letter.
import { describe, expect, it } from 'vitest';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream } from 'pdf-lib';
import { letterPdf, letterStyles, type LetterInput } from '../../activities/letters';
import { composeMessage } from '../../domain/messages';

const words = composeMessage('appointment_confirmation', 'letter', {
  appointment_date: 'Tuesday 3 June 2026', appointment_time: '09:30', clinic: 'Eye clinic', site: 'North Hospital', booking_office_phone: '0300 123 4567',
});
const letter: LetterInput = {
  addressLines: ['A Patient', '1 High Street', 'Leeds', 'LS1 4AP'], date: '20 May 2026', subject: words.subject, body: words.body, format: 'standard',
};

describe('letterPdf', () => {
  it('makes an A4 PDF that parses back', async () => {
    const doc = await PDFDocument.load(await letterPdf(letter));
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect(width).toBeCloseTo(595.28, 1);
    expect(height).toBeCloseTo(841.89, 1);
  });

  it('puts large print at 16 pt or more and standard at 11–12 pt', () => {
    expect(letterStyles.large_print.size).toBeGreaterThanOrEqual(16);
    expect(letterStyles.standard.size).toBeGreaterThanOrEqual(11);
    expect(letterStyles.standard.size).toBeLessThanOrEqual(12);
    expect(letterStyles.easy_read.leading).toBeGreaterThan(letterStyles.standard.leading);
  });

  it('prints the body bigger in large print (so a long letter runs to more pages)', async () => {
    const long = { ...letter, body: Array.from({ length: 12 }, () => words.body).join('\n\n') };
    const pages = async (format: LetterInput['format']) => (await PDFDocument.load(await letterPdf({ ...long, format }))).getPageCount();
    const standard = await pages('standard');
    expect(await pages('large_print')).toBeGreaterThan(standard);
    expect(await pages('easy_read')).toBeGreaterThan(standard);
    // The font size is in the content stream as "/F.. 16 Tf".
    const sizes = async (format: LetterInput['format']) => {
      const doc = await PDFDocument.load(await letterPdf({ ...letter, format }), { updateMetadata: false });
      const contents = doc.getPage(0).node.Contents();
      const streams = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
      const raw = streams.map((st) => Buffer.from(decodePDFRawStream(st as PDFRawStream).decode()).toString('latin1')).join('\n');
      return [...raw.matchAll(/ (\d+(?:\.\d+)?) Tf/g)].map((m) => Number(m[1]));
    };
    expect(Math.max(...(await sizes('large_print')))).toBeGreaterThanOrEqual(20);
    expect(await sizes('large_print')).toContain(16);
    expect(await sizes('standard')).not.toContain(16);
  });

  it('is deterministic: the same letter gives the same bytes', async () => {
    const a = await letterPdf(letter);
    const b = await letterPdf({ ...letter, addressLines: [...letter.addressLines] });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(await letterPdf({ ...letter, date: '21 May 2026' })))).toBe(false);
  });

  it('prints words the standard fonts cannot, as plain characters, rather than failing', async () => {
    await expect(letterPdf({ ...letter, body: 'It’s “fine” – café ✓' })).resolves.toBeInstanceOf(Uint8Array);
  });
});
