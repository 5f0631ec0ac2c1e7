import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Incident } from '#domain/incident.ts';
import type { TimelineEntry, TimelineEntryDraft } from '#domain/timeline.ts';
import type { ActionRecord, AlertRecord, IncidentStore } from '#ports/incident-store.ts';
import { DynamoTimeline, queryPartition } from './dynamo-partition.ts';

/**
 * Single-table incident store. No transactions (dynalite has none): every invariant rests on
 * conditional puts.
 *   INC#<id> / META           incident
 *   INC#<id> / ALERT#<id>     alert belonging to the incident
 *   INC#<id> / TL#<seq:8>     timeline entry (hash-chained; conditional put on seq)
 *   INC#<id> / ACTION#<name>  containment action (pre-state, result, verification, release)
 *   INC#<id> / CLAIM#<lever>#<sha256(item)>  containment target -> owning action record
 *   ALERT#<id> / CLAIM        alert dedup claim -> incident id
 *   KEY#<key> / CLAIM         correlation key -> incident id, claimedAt
 *   DELIVERY#<id> / SEEN      webhook delivery seen (replay protection)
 * GSI1: gsi1pk = 'INCIDENT', gsi1sk = openedAt#id (list incidents newest first).
 */
export class DynamoIncidentStore implements IncidentStore {
  private readonly timeline: DynamoTimeline;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.timeline = new DynamoTimeline(doc, table);
  }

  async markDelivery(deliveryId: string, at: string) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `DELIVERY#${deliveryId}`, sk: 'SEEN', at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async forgetDelivery(deliveryId: string) {
    await this.doc.send(
      new DeleteCommand({
        TableName: this.table,
        Key: { pk: `DELIVERY#${deliveryId}`, sk: 'SEEN' },
      }),
    );
  }

  async claimAlert(alertId: string, incidentId: string, at: string) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `ALERT#${alertId}`, sk: 'CLAIM', incidentId, at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { firstTime: true, incidentId };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const got = await this.doc.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: `ALERT#${alertId}`, sk: 'CLAIM' },
          ConsistentRead: true,
        }),
      );
      return { firstTime: false, incidentId: String(got.Item?.incidentId) };
    }
  }

  async saveAlert(record: AlertRecord) {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `INC#${record.incidentId}`, sk: `ALERT#${record.alertId}`, ...record },
      }),
    );
  }

  async findIncidentByKeys(keys: string[], notBefore: string) {
    if (keys.length === 0) return undefined;
    const found: Array<{ incidentId: string; at: string }> = [];
    for (let i = 0; i < keys.length; i += 100) {
      const chunk = [...new Set(keys.slice(i, i + 100))];
      const res = await this.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [this.table]: {
              Keys: chunk.map((k) => ({ pk: `KEY#${k}`, sk: 'CLAIM' })),
              ConsistentRead: true,
            },
          },
        }),
      );
      for (const item of res.Responses?.[this.table] ?? []) {
        found.push({ incidentId: String(item.incidentId), at: String(item.at) });
      }
    }
    // The oldest incident still inside the window wins, so concurrent openings converge.
    return found
      .filter((f) => f.at >= notBefore)
      .sort((a, b) => a.at.localeCompare(b.at) || a.incidentId.localeCompare(b.incidentId))[0]
      ?.incidentId;
  }

  async claimKey(key: string, incidentId: string, at: string, notBefore: string) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `KEY#${key}`, sk: 'CLAIM', incidentId, at },
          ConditionExpression: 'attribute_not_exists(pk) OR #at < :nb OR incidentId = :me',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':nb': notBefore, ':me': incidentId },
        }),
      );
      return { won: true, holder: incidentId };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const got = await this.doc.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: `KEY#${key}`, sk: 'CLAIM' },
          ConsistentRead: true,
        }),
      );
      return { won: false, holder: String(got.Item?.incidentId) };
    }
  }

  async alertClaim(alertId: string) {
    const got = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `ALERT#${alertId}`, sk: 'CLAIM' },
        ConsistentRead: true,
      }),
    );
    return got.Item ? String(got.Item.incidentId) : undefined;
  }

  async claimKeys(keys: string[], incidentId: string, at: string) {
    for (const key of new Set(keys)) {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `KEY#${key}`, sk: 'CLAIM', incidentId, at },
        }),
      );
    }
  }

  async createIncident(incident: Incident) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `INC#${incident.incidentId}`,
            sk: 'META',
            gsi1pk: 'INCIDENT',
            gsi1sk: `${incident.openedAt}#${incident.incidentId}`,
            ...incident,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async getIncident(incidentId: string) {
    const res = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `INC#${incidentId}`, sk: 'META' },
        ConsistentRead: true,
      }),
    );
    return res.Item ? toIncident(res.Item) : undefined;
  }

  async updateIncident(incidentId: string, patch: Partial<Omit<Incident, 'incidentId'>>) {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INC#${incidentId}`, sk: 'META' },
        UpdateExpression: `SET ${entries.map((_, i) => `#k${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#k${i}`, k])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  async updateIncidentIf(
    incidentId: string,
    patch: Partial<Omit<Incident, 'incidentId'>>,
    expectedAlertCount: number,
  ) {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `INC#${incidentId}`, sk: 'META' },
          UpdateExpression: `SET ${entries.map((_, i) => `#k${i} = :v${i}`).join(', ')}`,
          ExpressionAttributeNames: {
            ...Object.fromEntries(entries.map(([k], i) => [`#k${i}`, k])),
            '#ids': 'alertIds',
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
            ':n': expectedAlertCount,
          },
          ConditionExpression: 'attribute_exists(pk) AND size(#ids) = :n',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async listIncidents(limit = 50) {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': 'INCIDENT' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map(toIncident);
  }

  appendTimeline(incidentId: string, draft: TimelineEntryDraft): Promise<TimelineEntry> {
    return this.timeline.append(`INC#${incidentId}`, incidentId, draft);
  }

  readTimeline(incidentId: string) {
    return this.timeline.read(`INC#${incidentId}`);
  }

  async claimItems(incidentId: string, lever: string, owner: string, items: string[], at: string) {
    const held: string[] = [];
    for (const item of new Set(items)) {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { pk: `INC#${incidentId}`, sk: claimSk(lever, item), lever, item, owner, at },
            ConditionExpression: 'attribute_not_exists(pk) OR #o = :me',
            ExpressionAttributeNames: { '#o': 'owner' },
            ExpressionAttributeValues: { ':me': owner },
          }),
        );
        held.push(item);
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
    return held;
  }

  async listClaims(incidentId: string, lever: string) {
    return (await this.queryAll(incidentId, `CLAIM#${lever}#`)).map((i) => ({
      item: String(i.item),
      owner: String(i.owner),
    }));
  }

  async putAction(record: ActionRecord) {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `INC#${record.incidentId}`, sk: `ACTION#${record.action}`, ...record },
      }),
    );
  }

  async getAction(incidentId: string, action: string) {
    const res = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `INC#${incidentId}`, sk: `ACTION#${action}` },
        ConsistentRead: true,
      }),
    );
    return res.Item ? stripKeys<ActionRecord>(res.Item) : undefined;
  }

  async listActions(incidentId: string) {
    return (await this.queryAll(incidentId, 'ACTION#')).map((i) => stripKeys<ActionRecord>(i));
  }

  async listAlerts(incidentId: string) {
    return (await this.queryAll(incidentId, 'ALERT#')).map((i) => stripKeys<AlertRecord>(i));
  }

  private queryAll(incidentId: string, prefix: string) {
    return queryPartition(this.doc, this.table, `INC#${incidentId}`, prefix);
  }
}

/** Items can be long (S3 URIs): the sort key carries their hash. */
const claimSk = (lever: string, item: string) =>
  `CLAIM#${lever}#${createHash('sha256').update(item).digest('hex')}`;

function stripKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
}

function toIncident(item: Record<string, unknown>): Incident {
  return stripKeys<Incident>(item);
}
