import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

// pdf.js (Mozilla's reader, in JavaScript) instead of poppler's command-line tools, so the
// tests need no system binary. Its standard fonts are files in the package.
const standardFontDataUrl = join(
  dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
  'standard_fonts/',
);

/** What the test uses of pdf.js's Node canvas (@napi-rs/canvas); its own types say `Object`. */
interface NodeCanvasFactory {
  create(
    width: number,
    height: number,
  ): {
    canvas: { width: number; height: number };
    context: {
      getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
    };
  };
}

export interface ReadPdf {
  pages: number;
  /** The page's text as lines top to bottom, words of a line left to right (like `pdftotext -layout`). */
  text(page: number): Promise<string>;
  /** The share of dark pixels when the page is drawn in grey at `dpi` (like `pdftoppm -gray`). */
  ink(page: number, dpi?: number): Promise<{ width: number; height: number; ink: number }>;
}

export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const doc: PDFDocumentProxy = await getDocument({
    data: bytes.slice(),
    standardFontDataUrl,
    isEvalSupported: false,
  }).promise;
  return {
    pages: doc.numPages,
    async text(n) {
      const page = await doc.getPage(n);
      const lines = new Map<number, { x: number; s: string }[]>();
      for (const item of (await page.getTextContent()).items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const y = Math.round(item.transform[5]);
        const line = lines.get(y) ?? [];
        line.push({ x: item.transform[4], s: item.str });
        lines.set(y, line);
      }
      return [...lines.entries()]
        .sort(([a], [b]) => b - a)
        .map(([, words]) =>
          words
            .sort((a, b) => a.x - b.x)
            .map((w) => w.s)
            .join(' '),
        )
        .join('\n');
    },
    async ink(n, dpi = 40) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: dpi / 72 });
      // pdf.js's own Node canvas (@napi-rs/canvas, its optional dependency).
      const { canvas, context } = (doc.canvasFactory as NodeCanvasFactory).create(
        Math.ceil(viewport.width),
        Math.ceil(viewport.height),
      );
      await page.render({
        canvas: canvas as never,
        canvasContext: context as never,
        viewport,
        background: 'white',
      }).promise;
      const { width, height } = canvas;
      const rgba = context.getImageData(0, 0, width, height).data;
      let dark = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        const grey = ((rgba[i] ?? 0) + (rgba[i + 1] ?? 0) + (rgba[i + 2] ?? 0)) / 3;
        if (grey < 128) dark++;
      }
      return { width, height, ink: dark / (width * height) };
    },
  };
}
