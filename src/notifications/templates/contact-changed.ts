import { fullNameParam } from './common-params.js';
import type { ParamSpec } from './template-definition.js';
import { defineTemplate } from './template-definition.js';

export interface ContactChangedParams {
  /** Which contact of the account was replaced. */
  contact: 'phone' | 'email';
  fullName?: string;
}

const contactParam = { pattern: /^(?:phone|email)$/, longestExample: 'phone', optional: false } as const satisfies ParamSpec;

/**
 * Decision 34 Art 12.1: sent to the PREVIOUS phone number or email once the owner replaced it, so that someone who took
 * over the account cannot quietly divert every later code and notice to themselves.
 */
export const contactChanged = defineTemplate<ContactChangedParams>('contact_changed', {
  purpose: 'Notice to the previous contact that the account phone or email was replaced (Decision 34 Art 12.1)',
  channels: ['sms', 'email'],
  params: { contact: contactParam, fullName: fullNameParam },
  vi: {
    sms: ({ contact }) =>
      `${contact === 'phone' ? 'Số điện thoại' : 'Email'} của tài khoản định danh điện tử đã được thay đổi. Không phải bạn? Hãy khóa tài khoản ngay.`,
    email: ({ contact, fullName }) => ({
      subject: contact === 'phone' ? 'Số điện thoại của tài khoản đã được thay đổi' : 'Email của tài khoản đã được thay đổi',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Xin chào ${fullName},` : 'Xin chào,' },
        {
          kind: 'paragraph',
          text: `${contact === 'phone' ? 'Số điện thoại' : 'Địa chỉ email'} của tài khoản định danh điện tử của bạn vừa được thay bằng một liên hệ mới. Từ nay mã và thông báo được gửi tới liên hệ mới.`,
        },
        { kind: 'warning', text: 'Nếu bạn không thực hiện việc này, hãy khóa tài khoản ngay trên trang tài khoản và báo cho cơ quan công an.' },
      ],
    }),
  },
  en: {
    sms: ({ contact }) => `The ${contact === 'phone' ? 'phone number' : 'email'} of your e-ID account was changed. Not you? Lock your account at once.`,
    email: ({ contact, fullName }) => ({
      subject: contact === 'phone' ? 'The phone number of your account was changed' : 'The email address of your account was changed',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Hello ${fullName},` : 'Hello,' },
        {
          kind: 'paragraph',
          text: `The ${contact === 'phone' ? 'phone number' : 'email address'} of your electronic identification account was just replaced by a new one. Codes and notices now go to the new contact.`,
        },
        { kind: 'warning', text: 'If you did not do this, lock your account at once from your account page and tell the police.' },
      ],
    }),
  },
});
