import { loginKeyOf, type Account } from '../../domain/account.js';
import type { AuditTrail } from '../../domain/audit.js';
import type { HeldDocument } from '../../domain/held-document.js';
import type { LockActor } from '../../domain/lock.js';
import type { AccountStore, ProcessedEvents } from '../../domain/ports.js';
import { planRegistryEvent, type NotApplicable, type RegistryAction, type RegistryEvent, type RegistrySource } from '../../domain/registry-event.js';
import type { NotificationSender } from '../../domain/ports.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { AccountLocking } from '../locks/account-locking.js';
import { notifyOwner } from '../locks/owner-notice.js';

export interface RegistrySyncDeps {
  accounts: AccountStore;
  locking: AccountLocking;
  audit: AuditTrail;
  sender: NotificationSender;
  processed: ProcessedEvents;
  clock: Clock;
  logger: Logger;
}

/**
 * What became of a pushed event: `applied` (the account changed), `duplicate` (this id was processed already),
 * `no_account` (nobody holds an account for that identity), or why it changed nothing.
 */
export type RegistryEventOutcome = 'applied' | 'duplicate' | 'no_account' | NotApplicable;

export interface RegistryEventReport {
  outcome: RegistryEventOutcome;
  /** The kinds of action applied, in order (e.g. `open_lock:death`). */
  actions: string[];
}

const describeAction = (action: RegistryAction): string => {
  switch (action.kind) {
    case 'update_identity':
      return `update_identity:${action.fields.join(',')}`;
    case 'open_lock':
      return `open_lock:${action.reason}`;
    case 'lift_locks':
      return `lift_locks:${action.reasons.join(',')}`;
    case 'hide_document':
      return `hide_document:${action.documentType}`;
    case 'show_document':
      return `show_document:${action.document.type}`;
  }
};

/** Who acts for a registry in the lock ledger and the audit trail. */
export const registryActor = (source: RegistrySource): LockActor => ({ kind: 'registry', id: source });

/**
 * Identity changes in the national databases flowing into the accounts (Decision 34 Art 9.1): events pushed by the
 * registries, each applied once (by id), and the actions the reconciliation pass finds. The owner is told of every
 * change (identity, lock, restoration, hidden document), and each is audited with the registry as actor.
 */
export class RegistrySync {
  constructor(private readonly deps: RegistrySyncDeps) {}

  async receive(event: RegistryEvent, clientId: string): Promise<RegistryEventReport> {
    const { processed, accounts, audit } = this.deps;
    if ((await processed.claim(event.id)) === 'duplicate') return { outcome: 'duplicate', actions: [] };
    try {
      const account = await accounts.findByLoginKey(loginKeyOf(event.subject));
      const planned = account ? planRegistryEvent(event, account) : undefined;
      const report: RegistryEventReport = !account
        ? { outcome: 'no_account', actions: [] }
        : planned && planned.ok
          ? { outcome: 'applied', actions: planned.actions.map(describeAction) }
          : { outcome: planned ? planned.error : 'missing_data', actions: [] };
      if (account && planned?.ok) await this.apply(account, planned.actions, event.source, { eventId: event.id, clientId });
      await audit.record({
        type: 'registry_event.received',
        ...(account ? { accountId: account.id } : {}),
        actor: { kind: 'registry', id: event.source },
        clientId,
        legalBasis: 'Decision 34 Art 9.1',
        details: { eventId: event.id, eventType: event.type, outcome: report.outcome, actions: report.actions.join(' ') },
      });
      return report;
    } catch (error) {
      // Not applied (an outage half-way): the registry's retry of the same id must be processed again. Every action
      // is idempotent (locks are looked up before being opened, lifts find the lock gone), so a partial run is safe.
      await processed.release(event.id).catch(() => undefined);
      throw error;
    }
  }

  /** Applies the actions in order; identity and document changes are saved once, before the locks. */
  async apply(account: Account, actions: readonly RegistryAction[], source: RegistrySource, context: { eventId?: string; clientId?: string }): Promise<void> {
    const fresh = (await this.deps.accounts.findById(account.id)) ?? account;
    const updated = this.applyRecordChanges(fresh, actions);
    if (updated !== fresh) await this.deps.accounts.save(updated);
    for (const action of actions) await this.applyOne(updated, action, source, context);
  }

  private applyRecordChanges(account: Account, actions: readonly RegistryAction[]): Account {
    let next = account;
    const now = this.deps.clock.now();
    for (const action of actions) {
      if (action.kind === 'update_identity') {
        next = { ...next, identity: { ...next.identity, ...action.changes }, updatedAt: now };
      } else if (action.kind === 'hide_document') {
        const documents = next.documents ?? [];
        const held = documents.find((document) => document.type === action.documentType);
        const hidden: HeldDocument = held ? { ...held, hidden: true } : { type: action.documentType, expiresOn: action.expiresOn ?? null, hidden: true };
        next = { ...next, documents: [...documents.filter((document) => document.type !== action.documentType), hidden], updatedAt: now };
      } else if (action.kind === 'show_document') {
        const documents = (next.documents ?? []).filter((document) => document.type !== action.document.type);
        next = { ...next, documents: [...documents, action.document], updatedAt: now };
      }
    }
    return next;
  }

  private async applyOne(account: Account, action: RegistryAction, source: RegistrySource, context: { eventId?: string; clientId?: string }): Promise<void> {
    const { locking, audit, sender, logger } = this.deps;
    const actor = registryActor(source);
    const common = {
      accountId: account.id,
      actor: { kind: 'registry' as const, id: source },
      ...(context.clientId ? { clientId: context.clientId } : {}),
    };
    const eventDetails: Record<string, string> = context.eventId ? { eventId: context.eventId } : {};
    switch (action.kind) {
      case 'update_identity': {
        // Decision 34 Art 9.1: the owner is told which fields changed.
        const notified = await notifyOwner(sender, logger, account, 'identity_updated', { fields: action.fields.join(',') });
        await audit.record({ ...common, type: 'identity.updated', legalBasis: 'Decision 34 Art 9.1', details: { ...eventDetails, fields: action.fields.join(','), ownerNotified: notified } });
        return;
      }
      case 'hide_document': {
        // Draft 2025: hidden, the owner told to renew; the account stays usable.
        const notified = await notifyOwner(sender, logger, account, 'document_expired', { document: action.documentType });
        await audit.record({ ...common, type: 'document.hidden', legalBasis: 'Decision 34 Art 9.1 (draft 2025)', details: { ...eventDetails, documentType: action.documentType, ownerNotified: notified } });
        return;
      }
      case 'show_document':
        await audit.record({ ...common, type: 'document.shown', legalBasis: 'Decision 34 Art 9.1 (draft 2025)', details: { ...eventDetails, documentType: action.document.type } });
        return;
      case 'open_lock': {
        const opened = await locking.open({ accountId: account.id, reason: action.reason, actor, ...(context.clientId ? { clientId: context.clientId } : {}) });
        if (!opened.ok) logger.error({ event: 'registry_lock.refused', reason: action.reason, refusal: opened.error }, 'registry_lock.refused');
        return;
      }
      case 'lift_locks': {
        const locks = (await locking.openLocks(account.id)).filter((lock) => action.reasons.includes(lock.reason));
        for (const lock of locks) {
          await locking.lift({
            accountId: account.id,
            lockId: lock.id,
            actor,
            registryCause: action.cause,
            ...(context.clientId ? { clientId: context.clientId } : {}),
          });
        }
        return;
      }
    }
  }
}
