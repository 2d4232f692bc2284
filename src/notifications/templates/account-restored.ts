import type { LockReason } from '../../domain/lock.js';
import { fullNameParam } from './common-params.js';
import { LOCK_REASON_TEXT, lockReasonParam } from './lock-reason-text.js';
import type { ParamSpec } from './template-definition.js';
import { defineTemplate } from './template-definition.js';

export interface AccountRestoredParams {
  /** The reason of the lock that was lifted. */
  reason: LockReason;
  /** `yes` when other locks remain open, so the account is still unusable. */
  stillLocked: 'yes' | 'no';
  fullName?: string;
}

const yesNoParam = { pattern: /^(?:yes|no)$/, longestExample: 'yes', optional: false } as const satisfies ParamSpec;

/** Decision 34 Art 11 and 12.1.dd (later rules: the owner is told at once of every restoration). */
export const accountRestored = defineTemplate<AccountRestoredParams>('account_restored', {
  purpose: 'Notice that a lock on the account was lifted, and whether the account is usable again (Decision 34 Art 11, 12.1)',
  channels: ['sms', 'email'],
  params: { reason: lockReasonParam, stillLocked: yesNoParam, fullName: fullNameParam },
  vi: {
    sms: ({ stillLocked }) =>
      stillLocked === 'yes'
        ? 'Một lệnh khóa tài khoản định danh điện tử của bạn đã được gỡ, nhưng tài khoản vẫn còn bị khóa vì lý do khác.'
        : 'Tài khoản định danh điện tử của bạn đã được mở khóa và có thể sử dụng lại.',
    email: ({ reason, stillLocked, fullName }) => ({
      subject: stillLocked === 'yes' ? 'Một lệnh khóa tài khoản đã được gỡ' : 'Tài khoản định danh điện tử đã được mở khóa',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Xin chào ${fullName},` : 'Xin chào,' },
        { kind: 'paragraph', text: `Lệnh khóa tài khoản ${LOCK_REASON_TEXT.vi[reason].why} đã được gỡ.` },
        {
          kind: 'paragraph',
          text: stillLocked === 'yes' ? 'Tài khoản vẫn còn bị khóa vì lý do khác; xem trang tài khoản để biết cách mở khóa.' : 'Tài khoản đã có thể dùng để đăng nhập trở lại.',
        },
        { kind: 'warning', text: 'Nếu bạn không đề nghị mở khóa và không mong đợi thông báo này, hãy khóa tài khoản ngay và liên hệ cơ quan công an.' },
      ],
    }),
  },
  en: {
    sms: ({ stillLocked }) =>
      stillLocked === 'yes'
        ? 'A lock on your e-ID account was lifted, but the account is still locked for another reason.'
        : 'Your e-ID account was unlocked and can be used again.',
    email: ({ reason, stillLocked, fullName }) => ({
      subject: stillLocked === 'yes' ? 'A lock on your account was lifted' : 'Your electronic identification account was unlocked',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Hello ${fullName},` : 'Hello,' },
        { kind: 'paragraph', text: `The lock placed ${LOCK_REASON_TEXT.en[reason].why} was lifted.` },
        {
          kind: 'paragraph',
          text: stillLocked === 'yes' ? 'The account is still locked for another reason; your account page says how to lift it.' : 'The account can be used to sign in again.',
        },
        { kind: 'warning', text: 'If you did not ask for this and did not expect it, lock the account at once and contact the police.' },
      ],
    }),
  },
});
