/**
 * Calendar conventions of the engine. Dates travel as Excel serial numbers (days since
 * 1899-12-30, the 1900 date system without its phantom 29 Feb 1900 for dates after 1 Mar 1900),
 * so a date moves between Excel, the workbook and the core without conversion.
 */

/** Days in a model month: the contract's 365.25 / 12. */
export const DAYS_PER_MONTH = 365.25 / 12;
/** Hours in a model month: 730.5. */
export const HOURS_PER_MONTH = DAYS_PER_MONTH * 24;
/** Bitcoin targets one block every ten minutes. */
export const BLOCKS_PER_DAY = 144;
/** Blocks in a model month: 144 × 30.4375 = 4,383 exactly. */
export const BLOCKS_PER_MONTH = BLOCKS_PER_DAY * DAYS_PER_MONTH;

const MS_PER_DAY = 86_400_000;
/** Excel serial number of 1970-01-01. */
const UNIX_EPOCH_SERIAL = 25_569;

/** Excel serial → ISO date text (yyyy-mm-dd); the fraction of a day is dropped. */
export function serialToIso(serial: number): string {
  const date = new Date(Math.round((Math.floor(serial) - UNIX_EPOCH_SERIAL) * MS_PER_DAY));
  return date.toISOString().slice(0, 10);
}

/** ISO date text (yyyy-mm-dd) → Excel serial, or undefined when the text is not a real date. */
export function isoToSerial(text: string): number | undefined {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return ms / MS_PER_DAY + UNIX_EPOCH_SERIAL;
}
