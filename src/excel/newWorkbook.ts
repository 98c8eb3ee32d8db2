/// <reference types="office-js" />
/** Opens generated .xlsx bytes as a new workbook in Excel (ExcelApi 1.8). */

/** Base64 of bytes, in chunks small enough for String.fromCharCode's argument limit. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export async function openAsNewWorkbook(bytes: Uint8Array): Promise<void> {
  await Excel.createWorkbook(toBase64(bytes));
}
