import { IDENTITY_FIELDS, type IdentityField } from '../../domain/registry-event.js';
import { fullNameParam } from './common-params.js';
import type { MessageLocale, ParamSpec } from './template-definition.js';
import { defineTemplate } from './template-definition.js';


export interface IdentityUpdatedParams {
  /** Comma-separated field names, e.g. `full_name,birth_date`. */
  fields: string;
  fullName?: string;
}

const fieldsParam = {
  pattern: new RegExp(`^(?:${IDENTITY_FIELDS.join('|')})(?:,(?:${IDENTITY_FIELDS.join('|')})){0,2}$`),
  longestExample: 'full_name,birth_date,gender',
  optional: false,
} as const satisfies ParamSpec;

const FIELD_NAMES: Readonly<Record<MessageLocale, Readonly<Record<IdentityField, string>>>> = {
  vi: { full_name: 'họ tên', birth_date: 'ngày sinh', gender: 'giới tính' },
  en: { full_name: 'full name', birth_date: 'date of birth', gender: 'gender' },
};

const listed = (locale: MessageLocale, fields: string): string =>
  fields
    .split(',')
    .map((field) => FIELD_NAMES[locale][field as IdentityField])
    .join(', ');

/**
 * Decision 34 Art 9.1: identity data changed in the national database was synchronised into the account, and the owner
 * is told which fields (not their values, which an SMS would show on a lock screen).
 */
export const identityUpdated = defineTemplate<IdentityUpdatedParams>('identity_updated', {
  purpose: 'Notice that identity data changed in the national database was applied to the account (Decision 34 Art 9.1)',
  channels: ['sms', 'email'],
  params: { fields: fieldsParam, fullName: fullNameParam },
  vi: {
    sms: ({ fields }) => `Thông tin tài khoản định danh điện tử được cập nhật theo CSDL quốc gia: ${listed('vi', fields)}.`,
    email: ({ fields, fullName }) => ({
      subject: 'Thông tin tài khoản định danh điện tử đã được cập nhật',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Xin chào ${fullName},` : 'Xin chào,' },
        { kind: 'paragraph', text: `Theo dữ liệu mới của cơ sở dữ liệu quốc gia, các thông tin sau của tài khoản đã được cập nhật: ${listed('vi', fields)}. Từ nay các dịch vụ nhận thông tin mới.` },
        { kind: 'warning', text: 'Nếu thông tin mới không đúng, hãy liên hệ cơ quan công an nơi cư trú để điều chỉnh.' },
      ],
    }),
  },
  en: {
    sms: ({ fields }) => `Your e-ID account was updated from the national database: ${listed('en', fields)}.`,
    email: ({ fields, fullName }) => ({
      subject: 'Your electronic identification account details were updated',
      blocks: [
        { kind: 'paragraph', text: fullName ? `Hello ${fullName},` : 'Hello,' },
        { kind: 'paragraph', text: `Following a change in the national database, these details of your account were updated: ${listed('en', fields)}. Services now receive the new details.` },
        { kind: 'warning', text: 'If the new details are wrong, contact the police where you live to have them corrected.' },
      ],
    }),
  },
});
