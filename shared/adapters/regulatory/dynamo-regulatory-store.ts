import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { RegulatoryCase } from '#domain/regulatory-workflow/case.ts';
import type { TimelineEntry, TimelineEntryDraft } from '#domain/timeline.ts';
import type { ObligationCondition, ObligationRecord, RegulatoryStore } from '#ports/regulatory.ts';
import { DynamoTimeline, queryPartition } from '../dynamo-partition.ts';

/**
 * The regulatory stack's own table: `REG#<incident>` holds CASE (facts, contacts, templates
 * version), OBL#<regime#report#recipient> (one per obligation, conditional writes) and
 * TL#<seq> (its own hash-chained timeline, same chain as the responder's).
 */
export class DynamoRegulatoryStore implements RegulatoryStore {
  private readonly timeline: DynamoTimeline;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.timeline = new DynamoTimeline(doc, table);
  }

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

  appendTimeline(incidentId: string, draft: TimelineEntryDraft): Promise<TimelineEntry> {
    return this.timeline.append(this.pk(incidentId), incidentId, draft);
  }

  readTimeline(incidentId: string) {
    return this.timeline.read(this.pk(incidentId));
  }

  private query(incidentId: string, prefix: string) {
    return queryPartition(this.doc, this.table, this.pk(incidentId), prefix);
  }
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _p, sk: _s, ...rest } = item;
  return rest as T;
}
