import { describe, expect, it } from 'vitest';
import { csvField } from './violations-csv.js';

describe('csvField', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas, leaving numbers alone', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=cmd()')).toBe("'=cmd()");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
  });
});
