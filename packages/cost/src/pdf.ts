import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { UsageReport } from './reports.js';

const WIDTH = 842; // A4 landscape
const HEIGHT = 595;
const MARGIN = 40;
const LINE = 14;
const COLS: { title: string; x: number; right?: boolean }[] = [
  { title: 'Period', x: 40 },
  { title: 'Tenant', x: 120 },
  { title: 'User', x: 240 },
  { title: 'Model', x: 360 },
  { title: 'Calls', x: 540, right: true },
  { title: 'Tokens', x: 640, right: true },
  { title: 'Cost (USD)', x: 800, right: true },
];

/** The standard PDF fonts cover WinAnsi only: anything else prints as `?`. */
function ascii(s: string, max = 22): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}~` : clean;
}

function cell(
  page: PDFPage,
  font: PDFFont,
  text: string,
  col: (typeof COLS)[number],
  y: number,
  size = 9,
) {
  const width = font.widthOfTextAtSize(text, size);
  page.drawText(text, {
    x: col.right ? col.x - width : col.x,
    y,
    size,
    font,
    color: rgb(0.1, 0.1, 0.1),
  });
}

/**
 * A usage report as a PDF (A4 landscape, paginated table, totals line) made with pdf-lib.
 *
 * @example
 * res.type('application/pdf').send(Buffer.from(await reportToPdf(report)));
 */
export async function reportToPdf(
  report: UsageReport,
  title = 'AI usage report',
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setProducer('@platform/cost');
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage([WIDTH, HEIGHT]);
  let y = HEIGHT - MARGIN;

  const header = () => {
    page.drawRectangle({
      x: MARGIN - 4,
      y: y - 4,
      width: WIDTH - 2 * MARGIN + 8,
      height: LINE + 2,
      color: rgb(0.88, 0.91, 0.96),
    });
    for (const c of COLS) cell(page, bold, c.title, c, y);
    y -= LINE + 4;
  };

  page.drawText(ascii(title, 80), { x: MARGIN, y, size: 18, font: bold });
  y -= 24;
  const scope = report.tenant === undefined ? 'all tenants' : `tenant ${ascii(report.tenant, 60)}`;
  page.drawText(`${report.from} to ${report.to}, ${report.granularity}ly, ${scope}`, {
    x: MARGIN,
    y,
    size: 11,
    font,
  });
  y -= 26;
  header();
  for (const r of report.rows) {
    if (y < MARGIN + 2 * LINE) {
      page = doc.addPage([WIDTH, HEIGHT]);
      y = HEIGHT - MARGIN;
      header();
    }
    const values = [
      r.period,
      r.tenant ?? '',
      r.user ?? '',
      r.model ?? '',
      String(r.calls),
      String(r.totalTokens),
      r.costUsd,
    ];
    COLS.forEach((c, i) => {
      cell(page, font, ascii(values[i] ?? ''), c, y);
    });
    y -= LINE;
  }
  if (y < MARGIN + 2 * LINE) {
    page = doc.addPage([WIDTH, HEIGHT]);
    y = HEIGHT - MARGIN;
  }
  y -= 4;
  page.drawLine({
    start: { x: MARGIN, y: y + LINE - 2 },
    end: { x: WIDTH - MARGIN, y: y + LINE - 2 },
    thickness: 1,
  });
  const t = report.totals;
  const totals = ['Total', '', '', '', String(t.calls), String(t.totalTokens), t.costUsd];
  COLS.forEach((c, i) => {
    cell(page, bold, totals[i] ?? '', c, y);
  });
  return doc.save();
}
