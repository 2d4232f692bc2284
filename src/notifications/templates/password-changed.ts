import { fullNameParam } from './common-params.js';
import { defineTemplate } from './template-definition.js';

export interface PasswordChangedParams {
  fullName?: string;
}

/**
 * Decision 34 Art 12.1 (the owner keeps the credentials confidential and is informed of the account's status): the
 * password was changed and every other session signed out; an owner who did not do it locks the account (Art 10.1).
 */
export const passwordChanged = defineTemplate<PasswordChangedParams>('password_changed', {
  purpose: 'Notice that the account password was changed (Decision 34 Art 12.1)',
  channels: ['sms', 'email'],
  params: { fullName: fullNameParam },
  vi: {
    sms: () => 'Mật khẩu tài khoản định danh điện tử của bạn vừa được đổi. Không phải bạn? Hãy khóa tài khoản ngay.',
    email: ({ fullName }) => ({
      subject: 'Mật khẩu tài khoản đã được đổi',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Xin chào ${fullName},` : 'Xin chào,' },
        { kind: 'paragraph', text: 'Mật khẩu tài khoản định danh điện tử của bạn vừa được đổi; các phiên đăng nhập khác đã bị đăng xuất.' },
        { kind: 'warning', text: 'Nếu bạn không thực hiện việc này, hãy khóa tài khoản ngay và báo cho cơ quan công an.' },
      ],
    }),
  },
  en: {
    sms: () => 'The password of your e-ID account was just changed. Not you? Lock your account at once.',
    email: ({ fullName }) => ({
      subject: 'Your account password was changed',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Hello ${fullName},` : 'Hello,' },
        { kind: 'paragraph', text: 'The password of your electronic identification account was just changed; every other session was signed out.' },
        { kind: 'warning', text: 'If you did not do this, lock your account at once and tell the police.' },
      ],
    }),
  },
});
