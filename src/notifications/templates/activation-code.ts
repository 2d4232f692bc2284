import { fullNameParam, minutesParam, oneTimeCodeParam } from './common-params.js';
import { defineTemplate } from './template-definition.js';

export interface ActivationCodeParams {
  code: string;
  /** How long the code stays valid, in minutes. */
  expiresInMinutes: string;
  fullName?: string;
}

/**
 * Decision 34 Art 7: once the registry matched the declared identity, the account is created and the activation
 * request goes to the registered phone number or email; the registrant enters this code, then sets a password.
 * With a 6-digit code valid under 100 minutes the SMS fits one segment even with Vietnamese diacritics (UCS-2, 70
 * characters): the brand name the gateway sends it under says which service it is from, so the text can be this short.
 */
export const activationCode = defineTemplate<ActivationCodeParams>('activation_code', {
  purpose: 'One-time code that activates a newly registered account (Decision 34 Art 7)',
  channels: ['sms', 'email'],
  params: { code: oneTimeCodeParam, expiresInMinutes: minutesParam, fullName: fullNameParam },
  vi: {
    sms: ({ code, expiresInMinutes }) => `Mã kích hoạt tài khoản: ${code}, hiệu lực ${expiresInMinutes} phút. Không đưa mã cho ai.`,
    email: ({ code, expiresInMinutes, fullName }) => ({
      subject: 'Mã kích hoạt tài khoản định danh điện tử',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Xin chào ${fullName},` : 'Xin chào,' },
        {
          kind: 'paragraph',
          text: 'Thông tin bạn đăng ký đã khớp với cơ sở dữ liệu quốc gia. Để kích hoạt tài khoản định danh điện tử, hãy nhập mã dưới đây trên trang kích hoạt.',
        },
        { kind: 'paragraph', text: 'Mã kích hoạt của bạn:' },
        { kind: 'code', text: code },
        { kind: 'paragraph', text: `Mã có hiệu lực trong ${expiresInMinutes} phút và chỉ dùng được một lần.` },
        {
          kind: 'warning',
          text: 'Không cung cấp mã này cho bất kỳ ai, kể cả người tự xưng là cán bộ công an hay nhân viên hỗ trợ. Nếu bạn không đăng ký tài khoản, hãy bỏ qua thư này.',
        },
      ],
    }),
  },
  en: {
    sms: ({ code, expiresInMinutes }) => `Your e-ID activation code: ${code}, valid ${expiresInMinutes} minutes. Never share it.`,
    email: ({ code, expiresInMinutes, fullName }) => ({
      subject: 'Your electronic identification account activation code',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Hello ${fullName},` : 'Hello,' },
        {
          kind: 'paragraph',
          text: 'The details you registered match the national database. To activate your electronic identification account, enter the code below on the activation page.',
        },
        { kind: 'paragraph', text: 'Your activation code:' },
        { kind: 'code', text: code },
        { kind: 'paragraph', text: `The code is valid for ${expiresInMinutes} minutes and works only once.` },
        {
          kind: 'warning',
          text: 'Never give this code to anyone, including someone who claims to be a police officer or support staff. If you did not register, ignore this message.',
        },
      ],
    }),
  },
});
