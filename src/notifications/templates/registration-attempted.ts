import { fullNameParam } from './common-params.js';
import { defineTemplate } from './template-definition.js';

export interface RegistrationAttemptedParams {
  fullName?: string;
}

/**
 * Decision 34 Art 4, 6 (one identity, one account) and Art 12.1 (the owner is told how their account is used): someone
 * registered again with the identity data of an existing account. The registration page answers exactly as for a new
 * registration, so that it cannot be used to learn who has an account; the owner learns it here, on the contact
 * already registered, and no code is sent anywhere.
 */
export const registrationAttempted = defineTemplate<RegistrationAttemptedParams>('registration_attempted', {
  purpose: 'Tells the owner that a registration with their identity data was made although they already have an account (Decision 34 Art 6, 12.1)',
  channels: ['sms', 'email'],
  params: { fullName: fullNameParam },
  vi: {
    sms: () => 'Có người đăng ký lại bằng thông tin của bạn; bạn đã có tài khoản eID.',
    email: ({ fullName }) => ({
      subject: 'Có người vừa đăng ký tài khoản định danh điện tử bằng thông tin của bạn',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Xin chào ${fullName},` : 'Xin chào,' },
        {
          kind: 'paragraph',
          text: 'Vừa có một yêu cầu đăng ký tài khoản định danh điện tử bằng thông tin nhân thân của bạn. Bạn đã có tài khoản (hoặc một đăng ký đang chờ kích hoạt), nên không có tài khoản mới nào được tạo và không có mã nào được gửi.',
        },
        { kind: 'paragraph', text: 'Nếu là bạn: hãy đăng nhập bằng tài khoản hiện có, hoặc dùng mã kích hoạt đã được gửi trước đó.' },
        { kind: 'warning', text: 'Nếu không phải bạn, có người đang biết thông tin nhân thân của bạn: hãy giữ kín mật khẩu và liên hệ cơ quan công an nếu cần.' },
      ],
    }),
  },
  en: {
    sms: () => 'Someone just registered an e-ID account with your details. You already have one: sign in with it.',
    email: ({ fullName }) => ({
      subject: 'Someone registered an electronic identification account with your details',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Hello ${fullName},` : 'Hello,' },
        {
          kind: 'paragraph',
          text: 'A registration for an electronic identification account was just made with your identity details. You already have an account (or a registration waiting for activation), so no new account was created and no code was sent.',
        },
        { kind: 'paragraph', text: 'If this was you: sign in with your existing account, or use the activation code sent earlier.' },
        { kind: 'warning', text: 'If it was not you, someone knows your identity details: keep your password to yourself and contact the police if needed.' },
      ],
    }),
  },
});
