/** A value as one RFC 4180 field: quoted (with doubled quotes) only when it holds a comma, quote or line break. */
export function formatCsvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
