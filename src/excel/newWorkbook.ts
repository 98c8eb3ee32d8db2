/// <reference types="office-js" />
/**
 * Opens generated .xlsx bytes as a new workbook in Excel (ExcelApi 1.8). Excel.createWorkbook
 * sends the whole file as base64 text in one request, and Excel on the web refuses requests over
 * 5 MB, so a file whose base64 is larger than CREATE_WORKBOOK_MAX_BASE64_BYTES is refused here
 * with WorkbookTooLargeError, and the task pane downloads it instead.
 */

/** The largest base64 text sent to Excel.createWorkbook: the plan writer's 4 MB request bound. */
export const CREATE_WORKBOOK_MAX_BASE64_BYTES = 4_000_000;

export class WorkbookTooLargeError extends Error {
  constructor(readonly base64Bytes: number) {
    super(
      `The workbook is ${(base64Bytes / 1e6).toFixed(1)} MB as Excel receives it, more than the ${CREATE_WORKBOOK_MAX_BASE64_BYTES / 1e6} MB Excel on the web accepts in one request`,
    );
    this.name = "WorkbookTooLargeError";
  }
}

/** Length of the base64 text of `bytes`. */
export function base64Length(bytes: Uint8Array): number {
  return 4 * Math.ceil(bytes.length / 3);
}

/** Base64 of bytes, in chunks small enough for String.fromCharCode's argument limit. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export async function openAsNewWorkbook(bytes: Uint8Array): Promise<void> {
  const size = base64Length(bytes);
  if (size > CREATE_WORKBOOK_MAX_BASE64_BYTES) throw new WorkbookTooLargeError(size);
  await Excel.createWorkbook(toBase64(bytes));
}
