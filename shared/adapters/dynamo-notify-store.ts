import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TemplateApproval } from '#domain/notify/templates.ts';
import type {
  NotifyProgress,
  NotifyStore,
  NotifyTotals,
  SendRecord,
  SendStatus,
  StoredScope,
} from '#ports/notify.ts';

/**
 * Scope, approvals, per-recipient send records, suppression list and progress in the incident
 * table (single table, conditional writes, no transactions):
 *   INC#<id> / SCOPE                       the applied scope result
 *   INC#<id> / NOTIFY#TOTALS               progress and totals
 *   NOTIFY#<id> / SEND#<template-vN>#<rid> one record per recipient and template version
 *   NOTICE_TEMPLATE#<id> / APPROVAL#v<n>#<hash>  approval records (approver, time, content hash)
 *   SESMSG#<messageId> / KEY               message id → send record
 *   SUPPRESSED#<email hmac> / ENTRY        suppression list (never the address)
 */

const isConditional = (err: unknown) =>
  (err as { name?: string }).name === 'ConditionalCheckFailedException';

export class DynamoNotifyStore implements NotifyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putScope(scope: StoredScope): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `INC#${scope.incidentId}`, sk: 'SCOPE', ...scope },
      }),
    );
  }

  async getScope(incidentId: string): Promise<StoredScope | undefined> {
    const r = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `INC#${incidentId}`, sk: 'SCOPE' } }),
    );
    if (!r.Item) return undefined;
    const { pk: _p, sk: _s, ...rest } = r.Item;
    return rest as StoredScope;
  }

  async putApproval(a: TemplateApproval): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `NOTICE_TEMPLATE#${a.templateId}`,
          sk: `APPROVAL#v${String(a.version).padStart(6, '0')}#${a.contentHash}`,
          ...a,
        },
      }),
    );
  }

  async listApprovals(templateId: string): Promise<TemplateApproval[]> {
    const out: TemplateApproval[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: { ':pk': `NOTICE_TEMPLATE#${templateId}`, ':sk': 'APPROVAL#' },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of r.Items ?? [])
        out.push({
          templateId: String(i.templateId),
          version: Number(i.version),
          contentHash: String(i.contentHash),
          approver: String(i.approver),
          approvedAt: String(i.approvedAt),
        });
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }

  private sendKey(incidentId: string, recipientId: string, templateKey: string) {
    return { pk: `NOTIFY#${incidentId}`, sk: `SEND#${templateKey}#${recipientId}` };
  }

  async claimSend(r: SendRecord): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...this.sendKey(r.incidentId, r.recipientId, r.templateKey), ...r },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditional(err)) return false;
      throw err;
    }
  }

  async transition(
    incidentId: string,
    recipientId: string,
    templateKey: string,
    from: SendStatus[],
    patch: Pick<SendRecord, 'status'> & Partial<Pick<SendRecord, 'messageId' | 'reason'>>,
    at: string,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#s': 'status', '#u': 'updatedAt' };
    const values: Record<string, unknown> = { ':s': patch.status, ':u': at };
    const sets = ['#s = :s', '#u = :u'];
    if (patch.messageId) {
      names['#m'] = 'messageId';
      values[':m'] = patch.messageId;
      sets.push('#m = :m');
    }
    if (patch.reason) {
      names['#r'] = 'reason';
      values[':r'] = patch.reason;
      sets.push('#r = :r');
    }
    const conds = from.map((f, i) => {
      values[`:f${i}`] = f;
      return `#s = :f${i}`;
    });
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.sendKey(incidentId, recipientId, templateKey),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `attribute_exists(pk) AND (${conds.join(' OR ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if (isConditional(err)) return false;
      throw err;
    }
  }

  async releaseClaim(incidentId: string, recipientId: string, templateKey: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: this.sendKey(incidentId, recipientId, templateKey),
          ConditionExpression: '#s = :sending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      );
    } catch (err) {
      if (!isConditional(err)) throw err;
    }
  }

  async getSend(incidentId: string, recipientId: string, templateKey: string) {
    const r = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: this.sendKey(incidentId, recipientId, templateKey),
      }),
    );
    return r.Item ? strip<SendRecord>(r.Item) : undefined;
  }

  async listSends(incidentId: string): Promise<SendRecord[]> {
    const out: SendRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: { ':pk': `NOTIFY#${incidentId}`, ':sk': 'SEND#' },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of r.Items ?? []) out.push(strip<SendRecord>(i));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async indexMessage(
    messageId: string,
    key: { incidentId: string; recipientId: string; templateKey: string },
  ): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `SESMSG#${messageId}`, sk: 'KEY', ...key },
      }),
    );
  }

  async findMessage(messageId: string) {
    const r = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `SESMSG#${messageId}`, sk: 'KEY' } }),
    );
    if (!r.Item) return undefined;
    return {
      incidentId: String(r.Item.incidentId),
      recipientId: String(r.Item.recipientId),
      templateKey: String(r.Item.templateKey),
    };
  }

  async isSuppressed(emailHmac: string): Promise<boolean> {
    const r = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `SUPPRESSED#${emailHmac}`, sk: 'ENTRY' },
      }),
    );
    return r.Item !== undefined;
  }

  async suppress(emailHmac: string, reason: string, at: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `SUPPRESSED#${emailHmac}`, sk: 'ENTRY', reason, at },
      }),
    );
  }

  async putTotals(incidentId: string, totals: NotifyProgress, at: string): Promise<void> {
    const entries = Object.entries({ ...totals, updatedAt: at });
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INC#${incidentId}`, sk: 'NOTIFY#TOTALS' },
        UpdateExpression: `SET ${entries.map((_, i) => `#k${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#k${i}`, k])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
      }),
    );
  }

  async getTotals(incidentId: string): Promise<NotifyProgress | undefined> {
    const r = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `INC#${incidentId}`, sk: 'NOTIFY#TOTALS' },
      }),
    );
    if (!r.Item) return undefined;
    const { pk: _p, sk: _s, updatedAt: _u, ...rest } = r.Item;
    return rest as NotifyProgress;
  }

  async bump(
    incidentId: string,
    deltas: Partial<Record<keyof NotifyTotals | 'batchesDone', number>>,
    at: string,
  ): Promise<void> {
    const entries = Object.entries(deltas).filter(([, v]) => v !== undefined && v !== 0);
    if (entries.length === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INC#${incidentId}`, sk: 'NOTIFY#TOTALS' },
        UpdateExpression: `ADD ${entries.map((_, i) => `#k${i} :v${i}`).join(', ')} SET #u = :u`,
        ExpressionAttributeNames: {
          ...Object.fromEntries(entries.map(([k], i) => [`#k${i}`, k])),
          '#u': 'updatedAt',
        },
        ExpressionAttributeValues: {
          ...Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
          ':u': at,
        },
      }),
    );
  }
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _p, sk: _s, ...rest } = item;
  return rest as T;
}
