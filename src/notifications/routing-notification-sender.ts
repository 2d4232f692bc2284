import type { Notification, NotificationChannel, NotificationSender } from '../domain/ports.js';
import type { Result } from '../shared/result.js';

/** Hands each notification to the sender of its channel: email to the SMTP relay, sms to the gateway. */
export class RoutingNotificationSender implements NotificationSender {
  constructor(private readonly routes: Readonly<Record<NotificationChannel, NotificationSender>>) {}

  send(notification: Notification): Promise<Result<void, 'sender_unavailable'>> {
    const sender = Object.hasOwn(this.routes, notification.channel) ? this.routes[notification.channel] : undefined;
    if (!sender) throw new Error(`no sender for channel ${String(notification.channel)}`);
    return sender.send(notification);
  }
}
