import { escapeHtml } from './html-escape.js';
import type { EmailBlock, EmailContent, MessageLocale } from './template-definition.js';

/** The frame every email shares: who sends it and why it needs no reply. */
const FRAME: Record<MessageLocale, { sender: string; footer: string }> = {
  vi: {
    sender: 'Hệ thống định danh và xác thực điện tử',
    footer: 'Thư này được gửi tự động, vui lòng không trả lời. Chúng tôi không bao giờ hỏi mật khẩu hay mã xác thực của bạn.',
  },
  en: {
    sender: 'Electronic identification and authentication system',
    footer: 'This message was sent automatically; please do not reply. We never ask for your password or your codes.',
  },
};

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Builds both bodies of an email from its blocks. Every piece of text, parameters included, goes through escapeHtml:
 * nothing a template or a person supplied can become markup. Styles are inline because mail clients drop <style>.
 */
export function layoutEmail(content: EmailContent, locale: MessageLocale): RenderedEmail {
  const frame = FRAME[locale];
  const text = [...content.blocks.map(blockAsText), '--', frame.sender, frame.footer].join('\n\n');
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${locale}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(content.subject)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f3f4f6;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6;"><tr><td align="center" style="padding:24px 12px;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;font-family:Arial,Helvetica,sans-serif;color:#1f2933;">',
    `<tr><td style="padding:20px 32px;border-bottom:4px solid #c8102e;font-size:15px;font-weight:bold;">${escapeHtml(frame.sender)}</td></tr>`,
    `<tr><td style="padding:24px 32px;font-size:16px;line-height:1.5;">${content.blocks.map(blockAsHtml).join('')}</td></tr>`,
    `<tr><td style="padding:16px 32px;font-size:13px;line-height:1.4;color:#52606d;border-top:1px solid #e4e7eb;">${escapeHtml(frame.footer)}</td></tr>`,
    '</table></td></tr></table>',
    '</body></html>',
  ].join('\n');
  return { subject: content.subject, text, html };
}

function blockAsText(block: EmailBlock): string {
  if (block.kind === 'code') return `    ${block.text}`;
  if (block.kind === 'warning') return `! ${block.text}`;
  return block.text;
}

function blockAsHtml(block: EmailBlock): string {
  const text = escapeHtml(block.text);
  if (block.kind === 'code') {
    return `<p style="margin:24px 0;font-size:32px;font-weight:bold;letter-spacing:6px;font-family:'Courier New',Courier,monospace;">${text}</p>`;
  }
  if (block.kind === 'warning') {
    return `<p style="margin:16px 0;padding:12px 16px;background:#fff4e5;border-left:4px solid #f0b429;">${text}</p>`;
  }
  return `<p style="margin:0 0 16px;">${text}</p>`;
}
