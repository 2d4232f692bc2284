/**
 * Largest request head (request line + headers) the HTTP server reads: Node's own default, set explicitly so that an
 * upgrade of Node cannot change it unnoticed. A larger head is refused by Node with 431 before any of our code runs;
 * our cookies and tokens stay far below it (docs/configuration.md, "Fixed request limits").
 */
export const MAX_REQUEST_HEADER_BYTES = 16 * 1024;
