import { ConfigError } from '@platform/core';
import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { optionalPeer } from '../optional.js';
import type { ControlTemplate } from '../templates/schema.js';
import type { Manifest } from './manifest.js';
import type { CollectorOutcome, ControlResult } from './status.js';

const WIDTH = 842; // A4 landscape
const HEIGHT = 595;
const MARGIN = 36;
const SIZE = 8;
const LINE = 10.5;

interface Column {
  title: string;
  width: number;
}

/** The standard fonts cover WinAnsi only: anything else prints as `?`. */
const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

function wrap(font: PDFFont, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of ascii(text).split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    const joined = last === undefined ? word : `${last} ${word}`;
    if (last !== undefined && font.widthOfTextAtSize(joined, SIZE) <= width)
      lines[lines.length - 1] = joined;
    else {
      let rest = word;
      while (font.widthOfTextAtSize(rest, SIZE) > width && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), SIZE) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      lines.push(rest);
    }
  }
  return lines.length ? lines : [''];
}

/** Writes pages top-down, opening a new page when the next row does not fit. */
class Writer {
  page!: PDFPage;
  y = 0;
  constructor(
    readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
    readonly grey: ReturnType<typeof import('pdf-lib').rgb>,
  ) {
    this.newPage();
  }
  newPage() {
    this.page = this.doc.addPage([WIDTH, HEIGHT]);
    this.y = HEIGHT - MARGIN;
  }
  text(s: string, size = SIZE, font = this.font) {
    if (this.y - size < MARGIN) this.newPage();
    this.page.drawText(ascii(s), { x: MARGIN, y: this.y - size, size, font });
    this.y -= size + 5;
  }
  row(columns: readonly Column[], cells: readonly string[], header = false) {
    const font = header ? this.bold : this.font;
    const wrapped = columns.map((c, i) => wrap(font, cells[i] ?? '', c.width - 6));
    const height = Math.max(...wrapped.map((w) => w.length)) * LINE + 4;
    if (this.y - height < MARGIN) {
      this.newPage();
      if (!header)
        this.row(
          columns,
          columns.map((c) => c.title),
          true,
        );
    }
    let x = MARGIN;
    columns.forEach((c, i) => {
      (wrapped[i] ?? []).forEach((line, j) => {
        this.page.drawText(line, { x: x + 2, y: this.y - (j + 1) * LINE, size: SIZE, font });
      });
      x += c.width;
    });
    this.y -= height;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y + 1 },
      end: { x: WIDTH - MARGIN, y: this.y + 1 },
      thickness: header ? 0.8 : 0.3,
      color: this.grey,
    });
  }
}

const CONTROL_COLUMNS: Column[] = [
  { title: 'Control', width: 80 },
  { title: 'Title', width: 190 },
  { title: 'Status', width: 70 },
  { title: 'Evidence files', width: 200 },
  { title: 'Notes', width: 230 },
];
const COLLECTOR_COLUMNS: Column[] = [
  { title: 'Collector', width: 110 },
  { title: 'Status', width: 80 },
  { title: 'Summary or reason', width: 580 },
];

/** pdf-lib is an optional peer (about 22 MB installed): loaded only when a summary is rendered. */
async function loadPdfLib(): Promise<typeof import('pdf-lib')> {
  const pdfLib = await optionalPeer('pdf-lib', () => import('pdf-lib'));
  if (pdfLib) return pdfLib;
  throw new ConfigError(
    'evidencePack: the PDF summary needs pdf-lib (npm install pdf-lib), or pass pdf: false',
    [{ path: 'pdf', message: 'pdf-lib is not installed' }],
  );
}

export interface SummaryInput {
  title: string;
  manifest: Omit<Manifest, 'files' | 'format'>;
  templates: readonly ControlTemplate[];
  controls: readonly ControlResult[];
  collectors: readonly CollectorOutcome[];
}

/** The pack's PDF summary: the period and signer, then controls → status → evidence files. */
export async function summaryPdf(input: SummaryInput): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts, rgb } = await loadPdfLib();
  const doc = await PDFDocument.create();
  const { manifest: m } = input;
  doc.setTitle(input.title);
  doc.setCreationDate(new Date(m.generatedAt));
  doc.setModificationDate(new Date(m.generatedAt));
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
    rgb(0.6, 0.6, 0.6),
  );
  w.text(input.title, 16, w.bold);
  w.text(
    `Period: ${m.period.from} to ${m.period.to} (end exclusive)    Tenant: ${m.tenant ?? 'all tenants'}`,
  );
  w.text(`Generated: ${m.generatedAt}    Manifest signed with Ed25519 key "${m.keyId}"`);
  w.text(
    'Statuses say whether evidence was collected, not whether a control is effective. Verify the pack with: platform-evidence verify <archive> --public-key <file>',
  );
  const counts = new Map<string, number>();
  for (const c of input.controls) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  w.text(`Controls: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}`, 9, w.bold);
  for (const t of input.templates) {
    w.y -= 6;
    w.text(`${t.framework}: ${t.title} (${t.version})`, 11, w.bold);
    w.row(
      CONTROL_COLUMNS,
      CONTROL_COLUMNS.map((c) => c.title),
      true,
    );
    for (const c of input.controls.filter((r) => r.templateId === t.id))
      w.row(CONTROL_COLUMNS, [
        c.controlId,
        c.title,
        c.status,
        [...new Set(c.files)].join(' '),
        c.notes.join('; '),
      ]);
  }
  w.y -= 6;
  w.text('Collectors', 11, w.bold);
  w.row(
    COLLECTOR_COLUMNS,
    COLLECTOR_COLUMNS.map((c) => c.title),
    true,
  );
  for (const c of input.collectors) {
    const failed = c.findings.filter((f) => !f.ok).map((f) => f.detail);
    w.row(COLLECTOR_COLUMNS, [c.id, c.status, [c.summary ?? c.reason ?? '', ...failed].join('; ')]);
  }
  return doc.save();
}
