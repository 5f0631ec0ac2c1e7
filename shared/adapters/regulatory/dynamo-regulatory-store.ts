import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { RegulatoryCase } from '#domain/regulatory-workflow/case.ts';
import { chainEntry, type TimelineEntry, type TimelineEntryDraft } from '#domain/timeline.ts';
import type { ObligationCondition, ObligationRecord, RegulatoryStore } from '#ports/regulatory.ts';

/**
 * The regulatory stack's own table: `REG#<incident>` holds CASE (facts, contacts, templates
 * version), OBL#<regime#report#recipient> (one per obligation, conditional writes) and
 * TL#<seq> (its own hash-chained timeline, same chain as the responder's).
 */
export class DynamoRegulatoryStore implements RegulatoryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private pk(id: string) {
    return `REG#${id}`;
  }

  async getCase(incidentId: string) {
    const r = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: this.pk(incidentId), sk: 'CASE' },
        ConsistentRead: true,
      }),
    );
    return r.Item ? (r.Item.case as RegulatoryCase) : undefined;
  }

  async putCase(c: RegulatoryCase, expectedVersion: number | undefined) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: this.pk(c.incidentId), sk: 'CASE', case: c, version: c.version },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(sk)' }
            : {
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': expectedVersion },
              }),
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async listObligations(incidentId: string) {
    return (await this.query(incidentId, 'OBL#')).map((i) => strip<ObligationRecord>(i));
  }

  async getObligation(incidentId: string, key: string) {
    const r = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: this.pk(incidentId), sk: `OBL#${key}` },
        ConsistentRead: true,
      }),
    );
    return r.Item ? strip<ObligationRecord>(r.Item) : undefined;
  }

  async putObligationIfAbsent(rec: ObligationRecord) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: this.pk(rec.incidentId), sk: `OBL#${rec.key}`, ...rec },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async updateObligation(
    incidentId: string,
    key: string,
    patch: Partial<Record<keyof ObligationRecord, unknown>>,
    cond: ObligationCondition = {},
  ) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    const removes: string[] = [];
    Object.entries(patch).forEach(([k, v], i) => {
      if (v === undefined) return;
      names[`#a${i}`] = k;
      if (v === null) removes.push(`#a${i}`);
      else {
        values[`:a${i}`] = v;
        sets.push(`#a${i} = :a${i}`);
      }
    });
    const conds = ['attribute_exists(sk)'];
    if (cond.status) {
      names['#st'] = 'status';
      conds.push(`#st IN (${cond.status.map((_s, i) => `:s${i}`).join(', ')})`);
      cond.status.forEach((s, i) => {
        values[`:s${i}`] = s;
      });
    }
    if (cond.notStatus) {
      names['#st'] = 'status';
      cond.notStatus.forEach((s, i) => {
        values[`:n${i}`] = s;
        conds.push(`#st <> :n${i}`);
      });
    }
    if (cond.claim !== undefined) {
      names['#cl'] = 'claim';
      values[':cl'] = cond.claim;
      conds.push('#cl = :cl');
    }
    const expr = [
      sets.length ? `SET ${sets.join(', ')}` : '',
      removes.length ? `REMOVE ${removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: this.pk(incidentId), sk: `OBL#${key}` },
          UpdateExpression: expr,
          ConditionExpression: conds.join(' AND '),
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async appendTimeline(incidentId: string, draft: TimelineEntryDraft): Promise<TimelineEntry> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const head = await this.head(incidentId);
      const entry = chainEntry(incidentId, head, draft);
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              pk: this.pk(incidentId),
              sk: `TL#${String(entry.seq).padStart(8, '0')}`,
              entry,
            },
            ConditionExpression: 'attribute_not_exists(sk)',
          }),
        );
        return entry;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
      }
    }
    throw new Error('appendTimeline: too much contention on the timeline head');
  }

  async readTimeline(incidentId: string) {
    return (await this.query(incidentId, 'TL#')).map((i) => i.entry as TimelineEntry);
  }

  private async head(incidentId: string) {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': this.pk(incidentId), ':s': 'TL#' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const e = res.Items?.[0]?.entry as TimelineEntry | undefined;
    return e ? { seq: e.seq, hash: e.hash } : undefined;
  }

  private async query(incidentId: string, prefix: string) {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':p': this.pk(incidentId), ':s': prefix },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _p, sk: _s, ...rest } = item;
  return rest as T;
}
