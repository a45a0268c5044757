/** Export of the dashboard's figures: CSV (with a BOM, so Excel reads Cyrillic) and XLSX (write-excel-file). */
import type { Dashboard } from '../../api/client';

type Cell = string | number | null;

/**
 * Text a spreadsheet would take for a formula (=, +, -, @, a tab or CR first) gets a leading «'»:
 * OWASP's rule against CSV injection, the same as the API's (api/csv.ts, issue #18 finding 10).
 */
export const neutralizeFormula = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

const escape = (c: Cell): string => {
  if (c === null) return '';
  const s = typeof c === 'string' ? neutralizeFormula(c) : String(c);
  return /[",;\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(header: string[], rows: Cell[][]): string {
  return '\ufeff' + [header, ...rows].map((r) => r.map(escape).join(';')).join('\r\n') + '\r\n';
}

export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const bold = (value: string) => ({ value, fontWeight: 'bold' as const });

/** A cell of the workbook: text is always a string cell (never a formula), neutralised as in CSV. */
const xlsxCell = (c: Cell) =>
  typeof c === 'string' ? { value: neutralizeFormula(c), type: String } : c === null ? null : { value: c };

/** Three sheets: SLA by the chosen grouping, the weekly on-time share, each assignee's load. */
export async function toXlsx(d: Dashboard, header: string[], rows: Cell[][]): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/universal');
  return writeXlsxFile([
    { sheet: 'SLA', data: [header.map(bold), ...rows.map((r) => r.map(xlsxCell))] },
    {
      sheet: 'По неделям',
      data: [
        ['Неделя', 'Линия', 'Тип', 'Решено', 'В срок'].map(bold),
        ...d.weekly.map((w) => [w.week, w.lineLabel, w.typeLabel, w.resolved, w.onTime].map(xlsxCell)),
      ],
    },
    {
      sheet: 'Нагрузка',
      data: [
        ['Исполнитель', 'Открыто', 'Просрочено', 'Ждут оператора'].map(bold),
        ...d.load.map((l) =>
          [l.assigneeName ?? 'не назначены', l.open, l.breached, l.awaitingOperator].map(xlsxCell),
        ),
      ],
    },
  ]).toBlob();
}
