import { HELD_DOCUMENT_TYPES, type HeldDocumentType } from '../../domain/held-document.js';
import { fullNameParam } from './common-params.js';
import type { MessageLocale, ParamSpec } from './template-definition.js';
import { defineTemplate } from './template-definition.js';

export interface DocumentExpiredParams {
  document: HeldDocumentType;
  fullName?: string;
}

const documentParam = {
  pattern: new RegExp(`^(?:${HELD_DOCUMENT_TYPES.join('|')})$`),
  longestExample: 'vehicle_registration',
  optional: false,
} as const satisfies ParamSpec;

const DOCUMENT_NAMES: Readonly<Record<MessageLocale, Readonly<Record<HeldDocumentType, string>>>> = {
  vi: {
    identity_card: 'thẻ căn cước',
    driving_licence: 'giấy phép lái xe',
    health_insurance_card: 'thẻ bảo hiểm y tế',
    vehicle_registration: 'giấy đăng ký xe',
  },
  en: {
    identity_card: 'identity card',
    driving_licence: 'driving licence',
    health_insurance_card: 'health insurance card',
    vehicle_registration: 'vehicle registration',
  },
};

/**
 * Draft 2025 amendment of Decision 34 Art 9.1: when an identity card or other document expires, only that document is
 * hidden and the owner is told to renew it; the account stays usable.
 */
export const documentExpired = defineTemplate<DocumentExpiredParams>('document_expired', {
  purpose: 'Notice that an expired document is hidden until renewed; the account stays usable (Decision 34 Art 9.1, draft 2025)',
  channels: ['sms', 'email'],
  params: { document: documentParam, fullName: fullNameParam },
  vi: {
    sms: ({ document }) => `${capitalise(DOCUMENT_NAMES.vi[document])} của bạn đã hết hạn và tạm ẩn khỏi tài khoản định danh điện tử. Hãy làm thủ tục cấp đổi.`,
    email: ({ document, fullName }) => ({
      subject: `${capitalise(DOCUMENT_NAMES.vi[document])} đã hết hạn`,
      blocks: [
        { kind: 'paragraph', text: fullName ? `Xin chào ${fullName},` : 'Xin chào,' },
        { kind: 'paragraph', text: `${capitalise(DOCUMENT_NAMES.vi[document])} của bạn đã hết hạn nên tạm thời không được hiển thị cùng danh tính điện tử và không được cung cấp cho các dịch vụ. Tài khoản vẫn sử dụng bình thường.` },
        { kind: 'paragraph', text: 'Hãy làm thủ tục cấp đổi; giấy tờ mới sẽ tự động hiển thị khi được cập nhật vào cơ sở dữ liệu.' },
      ],
    }),
  },
  en: {
    sms: ({ document }) => `Your ${DOCUMENT_NAMES.en[document]} has expired and is hidden from your e-ID account until renewed. Please renew it.`,
    email: ({ document, fullName }) => ({
      subject: `Your ${DOCUMENT_NAMES.en[document]} has expired`,
      blocks: [
        { kind: 'paragraph', text: fullName ? `Hello ${fullName},` : 'Hello,' },
        { kind: 'paragraph', text: `Your ${DOCUMENT_NAMES.en[document]} has expired, so it is no longer shown with your electronic identity nor given to services. Your account can still be used as before.` },
        { kind: 'paragraph', text: 'Please renew it; the new document is shown again as soon as the database records it.' },
      ],
    }),
  },
});

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
