import { fullNameParam, minutesParam, oneTimeCodeParam } from './common-params.js';
import { defineTemplate } from './template-definition.js';

export interface SignInCodeParams {
  code: string;
  /** How long the code stays valid, in minutes. */
  expiresInMinutes: string;
  fullName?: string;
}

/**
 * The second factor of a level-2 sign-in (Decision 34 Art 5.1.b: level 2 for services that need it): a one-time code
 * to the registered phone, entered after the password. Short enough for one UCS-2 segment; it says what to do when
 * the person did not try to sign in, because then someone knows their password. Sign-in sends it by SMS to a proven
 * phone; the email form exists like every code of the catalogue (same layout, same escaping).
 */
export const signInCode = defineTemplate<SignInCodeParams>('sign_in_code', {
  purpose: 'One-time code, second factor of a level-2 sign-in (Decision 34 Art 5.1.b)',
  channels: ['sms', 'email'],
  params: { code: oneTimeCodeParam, expiresInMinutes: minutesParam, fullName: fullNameParam },
  vi: {
    sms: ({ code, expiresInMinutes }) => `Mã đăng nhập: ${code}, hiệu lực ${expiresInMinutes} phút. Không phải bạn? Đổi mật khẩu.`,
    email: ({ code, expiresInMinutes, fullName }) => ({
      subject: 'Mã đăng nhập tài khoản định danh điện tử',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Xin chào ${fullName},` : 'Xin chào,' },
        { kind: 'paragraph', text: 'Mã đăng nhập mức độ 2 của bạn:' },
        { kind: 'code', text: code },
        { kind: 'paragraph', text: `Mã có hiệu lực trong ${expiresInMinutes} phút và chỉ dùng được một lần.` },
        { kind: 'warning', text: 'Nếu bạn không đăng nhập, có người biết mật khẩu của bạn: đừng đưa mã cho ai và hãy đổi mật khẩu.' },
      ],
    }),
  },
  en: {
    sms: ({ code, expiresInMinutes }) => `Your e-ID sign-in code: ${code}, valid ${expiresInMinutes} min. Not you? Change your password.`,
    email: ({ code, expiresInMinutes, fullName }) => ({
      subject: 'Your electronic identification sign-in code',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Hello ${fullName},` : 'Hello,' },
        { kind: 'paragraph', text: 'Your level 2 sign-in code:' },
        { kind: 'code', text: code },
        { kind: 'paragraph', text: `The code is valid for ${expiresInMinutes} minutes and works only once.` },
        { kind: 'warning', text: 'If you are not signing in, someone knows your password: never share the code, and change your password.' },
      ],
    }),
  },
});
