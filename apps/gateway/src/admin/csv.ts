/**
 * Formats one CSV record (RFC 4180) with a CRLF line end. Written by hand because no CSV library is
 * installed and the format needs only quoting. A cell that starts like a spreadsheet formula gets
 * a leading apostrophe, so that opening an export in a spreadsheet runs nothing (OWASP "CSV
 * Injection").
 */
export function csvLine(cells: string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;

  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
