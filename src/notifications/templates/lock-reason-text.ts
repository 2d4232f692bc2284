import type { LockReason } from '../../domain/lock.js';
import { LOCK_REASONS } from '../../domain/lock.js';
import type { MessageLocale, ParamSpec } from './template-definition.js';

/** A lock reason (Decision 34 Art 10), as the messages about locks and restorations name it. */
export const lockReasonParam = {
  pattern: new RegExp(`^(?:${LOCK_REASONS.join('|')})$`),
  longestExample: 'id_number_re_established',
  optional: false,
} as const satisfies ParamSpec;

interface ReasonText {
  /** Completes "Your account was locked ..." */
  why: string;
  /** How the lock is lifted (Decision 34 Art 11), for the email. */
  howToLift: string;
}

/** Why, in both languages; short enough for an SMS. */
export const LOCK_REASON_TEXT: Readonly<Record<MessageLocale, Readonly<Record<LockReason, ReasonText>>>> = {
  vi: {
    owner_request: { why: 'theo yêu cầu của bạn', howToLift: 'Bạn có thể tự mở khóa trên trang tài khoản, với mã xác thực gửi tới liên hệ đã đăng ký.' },
    agency_request: { why: 'theo yêu cầu của cơ quan có thẩm quyền', howToLift: 'Tài khoản chỉ được mở khóa khi chính cơ quan đã yêu cầu khóa đề nghị mở khóa.' },
    service_user_request: { why: 'theo yêu cầu của đơn vị cung cấp dịch vụ', howToLift: 'Tài khoản chỉ được mở khóa khi chính đơn vị đã yêu cầu khóa đề nghị mở khóa.' },
    terms_violation: { why: 'do vi phạm điều khoản sử dụng', howToLift: 'Sau khi vi phạm được khắc phục và ghi nhận, bạn có thể đề nghị mở khóa trên trang tài khoản.' },
    id_number_invalidated: { why: 'do số định danh cá nhân bị hủy', howToLift: 'Tài khoản chỉ được mở khóa khi Cơ sở dữ liệu quốc gia về dân cư điều chỉnh thông tin.' },
    id_number_re_established: { why: 'do số định danh cá nhân được xác lập lại', howToLift: 'Tài khoản chỉ được mở khóa khi Cơ sở dữ liệu quốc gia về dân cư điều chỉnh thông tin.' },
    death: { why: 'do CSDL dân cư ghi nhận chủ tài khoản đã mất', howToLift: 'Nếu thông tin này sai, hãy liên hệ cơ quan công an để điều chỉnh; tài khoản được mở khóa khi dữ liệu được sửa.' },
    foreign_document_expired: { why: 'do hộ chiếu hoặc giấy tờ cư trú hết hạn', howToLift: 'Tài khoản được mở khóa khi giấy tờ được gia hạn và cập nhật vào Cơ sở dữ liệu quốc gia về xuất nhập cảnh.' },
  },
  en: {
    owner_request: { why: 'at your request', howToLift: 'You can unlock it yourself on your account page, with a code sent to your registered contact.' },
    agency_request: { why: 'at the request of a competent agency', howToLift: 'Only the agency that asked for the lock can have it lifted.' },
    service_user_request: { why: 'at the request of a service provider', howToLift: 'Only the service provider that asked for the lock can have it lifted.' },
    terms_violation: { why: 'for a violation of the terms of use', howToLift: 'Once the violation is remedied and recorded, you can ask for the lock to be lifted on your account page.' },
    id_number_invalidated: { why: 'as your personal ID number was invalidated', howToLift: 'It is unlocked only when the National Population Database corrects the record.' },
    id_number_re_established: { why: 'as your personal ID number was re-established', howToLift: 'It is unlocked only when the National Population Database corrects the record.' },
    death: { why: 'as the population database records the holder as deceased', howToLift: 'If this is wrong, ask the police to correct the record; the account is unlocked once it is corrected.' },
    foreign_document_expired: { why: 'as your passport or residence document expired', howToLift: 'It is unlocked once the renewed document is recorded in the National Immigration Database.' },
  },
};
