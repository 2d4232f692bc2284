import type { ParamSpec } from './template-definition.js';

/** Parameters several templates share, so a code or a name has one form everywhere. */

/** A one-time code: digits only, so it reads the same in every language and on every phone keypad. */
export const oneTimeCodeParam = {
  pattern: /^[0-9]{6,8}$/,
  longestExample: '01234567',
  optional: false,
} as const satisfies ParamSpec;

/** Whole minutes a code stays valid. */
export const minutesParam = { pattern: /^[1-9][0-9]{0,2}$/, longestExample: '999', optional: false } as const satisfies ParamSpec;

/** An assurance level (Decision 34 Art 5). */
export const levelParam = { pattern: /^[12]$/, longestExample: '2', optional: false } as const satisfies ParamSpec;

/**
 * The person's full name as the registry holds it, for the email greeting. Free text (names carry every script and
 * punctuation), which is exactly why the email layout escapes everything. Never used in an SMS: it would make the
 * message longer and show the name on a lock screen.
 */
export const fullNameParam = {
  pattern: /^(?=.*\S).{1,100}$/u,
  longestExample: 'Tôn Nữ Hoàng Phương Thảo Nguyễn Thị Minh Khai Hồ Lê Ngọc Bảo Châu Trần Huyền Trang Vĩnh Long Thị Mai',
  optional: true,
} as const satisfies ParamSpec;
