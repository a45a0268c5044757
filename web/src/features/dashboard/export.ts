/** Export of the dashboard's figures: CSV (with a BOM, so Excel reads Cyrillic) and XLSX (write-excel-file). */
import type { Dashboard } from '../../api/client';

type Cell = string | number | null;

const escape = (c: Cell): string => {
  if (c === null) return '';
  const s = String(c);
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

/** Three sheets: SLA by the chosen grouping, the weekly on-time share, each assignee's load. */
export async function toXlsx(d: Dashboard, header: string[], rows: Cell[][]): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/universal');
  return writeXlsxFile([
    { sheet: 'SLA', data: [header.map(bold), ...rows] },
    {
      sheet: 'По неделям',
      data: [
        ['Неделя', 'Линия', 'Тип', 'Решено', 'В срок'].map(bold),
        ...d.weekly.map((w) => [w.week, w.lineLabel, w.typeLabel, w.resolved, w.onTime]),
      ],
    },
    {
      sheet: 'Нагрузка',
      data: [
        ['Исполнитель', 'Открыто', 'Просрочено', 'Ждут оператора'].map(bold),
        ...d.load.map((l) => [l.assigneeName ?? 'не назначены', l.open, l.breached, l.awaitingOperator]),
      ],
    },
  ]).toBlob();
}
