import { csvLine } from './csv';

describe('csvLine', () => {
  it('joins plain cells with commas and ends with CRLF', () => {
    expect(csvLine(['1', 'user_created', 'success'])).toBe('1,user_created,success\r\n');
  });

  it('quotes cells with commas, quotes or line breaks', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines'])).toBe('"a,b","say ""hi""","two\nlines"\r\n');
  });

  it('defuses cells that a spreadsheet would run as a formula', () => {
    expect(csvLine(['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)'])).toBe(`"'=HYPERLINK(""x"")",'+1,'-2,'@SUM(A1)\r\n`);
  });

  it('keeps empty cells empty', () => {
    expect(csvLine(['', 'x', ''])).toBe(',x,\r\n');
  });
});
