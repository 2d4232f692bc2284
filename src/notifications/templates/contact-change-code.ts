import { fullNameParam, minutesParam, oneTimeCodeParam } from './common-params.js';
import { defineTemplate } from './template-definition.js';

export interface ContactChangeCodeParams {
  code: string;
  /** How long the code stays valid, in minutes. */
  expiresInMinutes: string;
  fullName?: string;
}

/**
 * Decision 34 Art 6.4.e, 12.1: the owner replaces the phone number or email of their account; the code goes to the NEW
 * contact, so that only a contact the owner actually holds becomes the one codes and notices are sent to.
 */
export const contactChangeCode = defineTemplate<ContactChangeCodeParams>('contact_change_code', {
  purpose: 'One-time code confirming a new phone number or email for the account (Decision 34 Art 6.4.e, 12.1)',
  channels: ['sms', 'email'],
  params: { code: oneTimeCodeParam, expiresInMinutes: minutesParam, fullName: fullNameParam },
  vi: {
    sms: ({ code, expiresInMinutes }) => `Mã xác nhận liên hệ mới: ${code}, hiệu lực ${expiresInMinutes} phút. Không đưa mã cho ai.`,
    email: ({ code, expiresInMinutes, fullName }) => ({
      subject: 'Mã xác nhận địa chỉ email mới',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Xin chào ${fullName},` : 'Xin chào,' },
        { kind: 'paragraph', text: 'Bạn đang đặt địa chỉ này làm email của tài khoản định danh điện tử. Hãy nhập mã dưới đây trên trang tài khoản.' },
        { kind: 'code', text: code },
        { kind: 'paragraph', text: `Mã có hiệu lực trong ${expiresInMinutes} phút và chỉ dùng được một lần.` },
        { kind: 'warning', text: 'Không cung cấp mã này cho bất kỳ ai. Nếu bạn không yêu cầu thay đổi, hãy bỏ qua thư này.' },
      ],
    }),
  },
  en: {
    sms: ({ code, expiresInMinutes }) => `Code to confirm your new e-ID contact: ${code}, valid ${expiresInMinutes} minutes. Never share it.`,
    email: ({ code, expiresInMinutes, fullName }) => ({
      subject: 'Confirm your new email address',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Hello ${fullName},` : 'Hello,' },
        { kind: 'paragraph', text: 'You are making this address the email of your electronic identification account. Enter the code below on your account page.' },
        { kind: 'code', text: code },
        { kind: 'paragraph', text: `The code is valid for ${expiresInMinutes} minutes and works only once.` },
        { kind: 'warning', text: 'Never give this code to anyone. If you did not ask for this change, ignore this message.' },
      ],
    }),
  },
});
