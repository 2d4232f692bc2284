import type { LockReason } from '../../domain/lock.js';
import { fullNameParam } from './common-params.js';
import { LOCK_REASON_TEXT, lockReasonParam } from './lock-reason-text.js';
import { defineTemplate } from './template-definition.js';

export interface AccountLockedParams {
  reason: LockReason;
  fullName?: string;
}

/**
 * Decision 34 Art 10 and 12.1.dd (the owner is informed of the status of their account; later rules: at once, of every
 * lock): says that the account was locked, why, and how the lock is lifted (Art 11).
 */
export const accountLocked = defineTemplate<AccountLockedParams>('account_locked', {
  purpose: 'Notice that the account was locked, with the reason and how it is lifted (Decision 34 Art 10, 11, 12.1)',
  channels: ['sms', 'email'],
  params: { reason: lockReasonParam, fullName: fullNameParam },
  vi: {
    sms: ({ reason }) => `Tài khoản định danh điện tử của bạn đã bị khóa ${LOCK_REASON_TEXT.vi[reason].why}. Xem chi tiết trên trang tài khoản.`,
    email: ({ reason, fullName }) => ({
      subject: 'Tài khoản định danh điện tử đã bị khóa',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Xin chào ${fullName},` : 'Xin chào,' },
        { kind: 'paragraph', text: `Tài khoản định danh điện tử của bạn đã bị khóa ${LOCK_REASON_TEXT.vi[reason].why}. Trong thời gian bị khóa, tài khoản không dùng được để đăng nhập vào bất kỳ dịch vụ nào và mọi phiên đăng nhập đã kết thúc.` },
        { kind: 'paragraph', text: LOCK_REASON_TEXT.vi[reason].howToLift },
        { kind: 'warning', text: 'Nếu bạn không hiểu vì sao tài khoản bị khóa, hãy liên hệ cơ quan công an nơi gần nhất.' },
      ],
    }),
  },
  en: {
    sms: ({ reason }) => `Your e-ID account was locked ${LOCK_REASON_TEXT.en[reason].why}. See your account page for details.`,
    email: ({ reason, fullName }) => ({
      subject: 'Your electronic identification account was locked',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Hello ${fullName},` : 'Hello,' },
        { kind: 'paragraph', text: `Your electronic identification account was locked ${LOCK_REASON_TEXT.en[reason].why}. While it is locked it cannot be used to sign in anywhere, and every session has ended.` },
        { kind: 'paragraph', text: LOCK_REASON_TEXT.en[reason].howToLift },
        { kind: 'warning', text: 'If you do not know why the account was locked, contact the nearest police office.' },
      ],
    }),
  },
});
