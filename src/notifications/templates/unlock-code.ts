import { fullNameParam, minutesParam, oneTimeCodeParam } from './common-params.js';
import { defineTemplate } from './template-definition.js';

export interface UnlockCodeParams {
  code: string;
  /** How long the code stays valid, in minutes. */
  expiresInMinutes: string;
  fullName?: string;
}

/**
 * Decision 34 Art 11.1: the owner asks to lift the lock they put on their account. The code goes to the registered
 * phone number or email, so a password alone (the credential that may have leaked) cannot undo the lock.
 */
export const unlockCode = defineTemplate<UnlockCodeParams>('unlock_code', {
  purpose: 'One-time code with which the owner lifts their own lock (Decision 34 Art 11.1)',
  channels: ['sms', 'email'],
  params: { code: oneTimeCodeParam, expiresInMinutes: minutesParam, fullName: fullNameParam },
  vi: {
    sms: ({ code, expiresInMinutes }) => `Mã mở khóa tài khoản: ${code}, hiệu lực ${expiresInMinutes} phút. Không đưa mã cho ai.`,
    email: ({ code, expiresInMinutes, fullName }) => ({
      subject: 'Mã mở khóa tài khoản định danh điện tử',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Xin chào ${fullName},` : 'Xin chào,' },
        { kind: 'paragraph', text: 'Bạn đã yêu cầu mở khóa tài khoản định danh điện tử. Hãy nhập mã dưới đây trên trang mở khóa.' },
        { kind: 'code', text: code },
        { kind: 'paragraph', text: `Mã có hiệu lực trong ${expiresInMinutes} phút và chỉ dùng được một lần.` },
        {
          kind: 'warning',
          text: 'Không cung cấp mã này cho bất kỳ ai. Nếu bạn không yêu cầu mở khóa, có người biết mật khẩu của bạn: đừng nhập mã và hãy liên hệ cơ quan công an.',
        },
      ],
    }),
  },
  en: {
    sms: ({ code, expiresInMinutes }) => `Your e-ID unlock code: ${code}, valid ${expiresInMinutes} minutes. Never share it.`,
    email: ({ code, expiresInMinutes, fullName }) => ({
      subject: 'Your electronic identification account unlock code',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Hello ${fullName},` : 'Hello,' },
        { kind: 'paragraph', text: 'You asked to unlock your electronic identification account. Enter the code below on the unlock page.' },
        { kind: 'code', text: code },
        { kind: 'paragraph', text: `The code is valid for ${expiresInMinutes} minutes and works only once.` },
        {
          kind: 'warning',
          text: 'Never give this code to anyone. If you did not ask to unlock your account, someone knows your password: do not use the code and contact the police.',
        },
      ],
    }),
  },
});
