import fs from 'node:fs';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

export type SheetFormat = 'csv' | 'xlsx';

/** One line of a sheet: its 1-based number and its cells as text. */
export interface SheetLine {
  line: number;
  cells: string[];
}

/**
 * Stream the lines of a CSV (UTF-8, with or without BOM; GB18030 files must be saved as UTF-8 first) or
 * of the first worksheet of an XLSX file, without holding the file in memory.
 * @example for await (const { line, cells } of readSheet('/tmp/register.xlsx', 'xlsx')) …
 */
export async function* readSheet(file: string, format: SheetFormat): AsyncGenerator<SheetLine> {
  if (format === 'csv') yield* readCsv(file);
  else yield* readXlsx(file);
}

async function* readCsv(file: string): AsyncGenerator<SheetLine> {
  const parser = fs.createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false, info: true }));
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (record.record.every((c) => c.trim() === '')) continue;
    yield { line: record.info.lines, cells: record.record };
  }
}

async function* readXlsx(file: string): AsyncGenerator<SheetLine> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => (cells[col - 1] = cellText(cell.value)));
      for (let i = 0; i < cells.length; i++) cells[i] ??= '';
      if (cells.every((c) => c.trim() === '')) continue;
      yield { line: row.number, cells };
    }
    return; // the first worksheet only
  }
}

/** A cell as the text a person typed: dates as YYYY-MM-DD, long numbers without exponent. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText((value.result ?? '') as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return String(value);
}
