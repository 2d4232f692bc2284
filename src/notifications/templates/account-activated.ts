import { fullNameParam, levelParam } from './common-params.js';
import { defineTemplate } from './template-definition.js';

export interface AccountActivatedParams {
  /** The level the account was activated at (Decision 34 Art 5). */
  level: string;
  fullName?: string;
}

/**
 * Decision 34 Art 7 and Art 12.1 (the owner is informed of the status of their account): tells the registered contact
 * that an account now exists in their name, so someone who did not register can ask for it to be locked (Art 10.1).
 */
export const accountActivated = defineTemplate<AccountActivatedParams>('account_activated', {
  purpose: 'Confirmation that an account was activated, so an owner who did not do it can react (Decision 34 Art 7, 12.1)',
  channels: ['sms', 'email'],
  params: { level: levelParam, fullName: fullNameParam },
  vi: {
    sms: ({ level }) => `Tài khoản định danh điện tử mức độ ${level} của bạn đã được kích hoạt. Không phải bạn? Hãy yêu cầu khóa tài khoản ngay.`,
    email: ({ level, fullName }) => ({
      subject: 'Tài khoản định danh điện tử đã được kích hoạt',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Xin chào ${fullName},` : 'Xin chào,' },
        { kind: 'paragraph', text: `Tài khoản định danh điện tử mức độ ${level} của bạn đã được kích hoạt và có thể dùng để đăng nhập.` },
        {
          kind: 'warning',
          text: 'Nếu bạn không thực hiện việc này, có người đang dùng thông tin của bạn: hãy yêu cầu khóa tài khoản ngay và báo cho cơ quan công an.',
        },
      ],
    }),
  },
  en: {
    sms: ({ level }) => `Your level ${level} e-ID account is now active. Not you? Ask for it to be locked at once.`,
    email: ({ level, fullName }) => ({
      subject: 'Your electronic identification account is active',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Hello ${fullName},` : 'Hello,' },
        { kind: 'paragraph', text: `Your level ${level} electronic identification account has been activated and can now be used to sign in.` },
        {
          kind: 'warning',
          text: 'If you did not do this, someone is using your details: ask for the account to be locked at once and tell the police.',
        },
      ],
    }),
  },
});
